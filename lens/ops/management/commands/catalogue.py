"""`lens catalogue validate | load | export --json`: the operator's catalogue tasks.

In lens.ops, not in lens.catalogue: `load` writes its audit record (lens.accounts.audit)
in the transaction of the store, and the catalogue layer may not import the accounts.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lens.accounts import audit
from lens.accounts.models import AuditKind
from lens.catalogue import loader, services
from lens.rules.model import Catalogue, Ruleset

DIR_HELP = "folder with the catalogue YAML files and ruleset.yaml (default: CATALOGUE_DIR, now {})"


def _add_dir_argument(parser: argparse._ActionsContainer) -> None:
    """--dir on a subcommand (or its group of options) that reads the files."""
    default_dir = settings.CATALOGUE_DIR
    parser.add_argument("--dir", type=Path, default=default_dir, help=DIR_HELP.format(default_dir))


class Command(BaseCommand):
    help = (
        "Validate, load or export the catalogue (signals, indicators, leefgebieden, steps, "
        "contacts, ...) and the ruleset. Run `catalogue <subcommand> --help` for each one."
    )
    # `validate` and `export` work without a database; no system checks needed either.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="subcommand")
        validate = subcommands.add_parser(
            "validate",
            help="check the data files; print every problem as file:line: reason",
            description=(
                "Check every catalogue file and ruleset.yaml without touching the database. "
                "Prints each problem as `file:line: reason` on stderr and exits with status 1; "
                "exits 0 with a summary when all is well."
            ),
        )
        _add_dir_argument(validate)
        load = subcommands.add_parser(
            "load",
            help="validate the files, then store them as the active version",
            description=(
                "Validate the files (as `validate` does), then store the catalogue and the "
                "ruleset in the database and make them active. Unchanged content stores "
                "nothing; content loaded before becomes active again. Earlier versions stay, "
                "because stored outcomes refer to them."
            ),
        )
        _add_dir_argument(load)
        export = subcommands.add_parser(
            "export",
            help="print the whole catalogue and ruleset as JSON",
            description=(
                'Print {"catalogue": ..., "ruleset": ...} as JSON on stdout: from the files '
                "(default) or from the version active in the database (--active)."
            ),
        )
        export.add_argument(
            "--json", action="store_true", required=True, help="print JSON (the only format)"
        )
        source = export.add_mutually_exclusive_group()
        source.add_argument(
            "--active", action="store_true", help="export the active version from the database"
        )
        _add_dir_argument(source)

    def handle(self, *args: object, subcommand: str, **options: object) -> None:
        getattr(self, f"handle_{subcommand}")(**options)

    def handle_validate(self, dir: Path, **options: object) -> None:
        loaded = self._load_files(dir)
        self.stdout.write(self.style.SUCCESS(_summary(loaded.catalogue, loaded.ruleset)))

    def handle_load(self, dir: Path, **options: object) -> None:
        loaded = self._load_files(dir)
        try:
            stored = services.store(loaded, on_stored=record_stored(audit.Operator.command_line()))
        except DatabaseError as exc:
            raise CommandError(_database_hint(exc), returncode=1) from exc
        for what, result in zip((_("Catalogue"), _("Ruleset")), stored, strict=True):
            messages = {
                "new": _("%(what)s: new version %(version)s stored and active."),
                "reactivated": _("%(what)s: version %(version)s, loaded before, is active again."),
                "unchanged": _("%(what)s unchanged: version %(version)s is already active."),
            }
            self.stdout.write(
                messages[result.status] % {"what": what, "version": result.row.version}
            )
        if any(result.status == "new" for result in stored):
            self.stdout.write(self.style.SUCCESS(_("New version stored.")))
        else:
            self.stdout.write(_("No new version stored: this content was loaded before."))
        # Stored outcomes computed with other versions are recomputed in the background:
        # the registry listens (lens.registry.apps) and answers whether it enqueued work.
        answers = services.versions_loaded.send(sender=services)
        if any(enqueued for _receiver, enqueued in answers):
            self.stdout.write(
                _(
                    "Stored outcomes are being recomputed (background task; start a worker "
                    "with `lens worker` if none is running)."
                )
            )

    def handle_export(self, active: bool, dir: Path, **options: object) -> None:
        if active:
            try:
                catalogue, ruleset = services.active()
            except services.NoCatalogueLoaded as exc:
                raise CommandError(str(exc), returncode=1) from exc
            except DatabaseError as exc:
                raise CommandError(_database_hint(exc), returncode=1) from exc
        else:
            loaded = self._load_files(dir)
            catalogue, ruleset = loaded.catalogue, loaded.ruleset
        document = {
            "catalogue": loader.catalogue_to_dict(catalogue),
            "ruleset": loader.ruleset_to_dict(ruleset),
        }
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))

    def _load_files(self, directory: Path) -> loader.Loaded:
        try:
            return loader.load_directory(directory)
        except loader.CatalogueInvalid as exc:
            self._fail(exc)

    def _fail(self, exc: loader.CatalogueInvalid) -> NoReturn:
        for error in exc.errors:
            self.stderr.write(str(error))
        count = len(exc.errors)
        raise CommandError(
            ngettext(
                "%(count)d error in the catalogue files.",
                "%(count)d errors in the catalogue files.",
                count,
            )
            % {"count": count},
            returncode=1,
        )


def record_stored(by: audit.Operator) -> Callable[[tuple[services.Stored, services.Stored]], None]:
    """The audit record of a load, for `services.store` to call inside its transaction:
    one record per version that became active (a new one, or one loaded before); none
    when nothing changed."""

    def record(stored: tuple[services.Stored, services.Stored]) -> None:
        for object_type, result in zip(("catalogueversion", "rulesetversion"), stored, strict=True):
            if result.status == "unchanged":
                continue
            kind = (
                AuditKind.CATALOGUE_LOADED
                if result.status == "new"
                else AuditKind.CATALOGUE_REACTIVATED
            )
            audit.record(by, kind, object_type, result.row.pk, result.row.version)

    return record


def _summary(catalogue: Catalogue, ruleset: Ruleset) -> str:
    # The same plural for every count (as before): "1 indicatoren" reads as a heading.
    counts = [
        _("%(count)d signals") % {"count": len(catalogue.signals)},
        _("%(count)d indicators") % {"count": len(catalogue.indicators)},
        _("%(count)d life domains") % {"count": len(catalogue.life_domains)},
        _("%(count)d risk factors") % {"count": len(catalogue.risk_factors)},
        _("%(count)d steps") % {"count": len(catalogue.steps)},
        _("%(count)d contacts") % {"count": len(catalogue.contacts)},
        _("%(count)d regions") % {"count": len(catalogue.regions)},
        _("%(count)d sources") % {"count": len(catalogue.sources)},
    ]
    rules = sum(len(level.rules) for level in ruleset.levels)
    return "\n".join(
        (
            _("Catalogue valid: %(counts)s (version %(version)s).")
            % {"counts": ", ".join(counts), "version": catalogue.version},
            _("Ruleset valid: %(levels)d levels, %(rules)d rules (version %(version)s).")
            % {"levels": len(ruleset.levels), "rules": rules, "version": ruleset.version},
        )
    )


def _database_hint(exc: DatabaseError) -> str:
    return _(
        "The database cannot be reached or is not up to date (%(error)s). Run `lens migrate` first."
    ) % {"error": exc}
