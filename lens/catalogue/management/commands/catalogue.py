"""`lens catalogue validate | load | export --json`: the operator's catalogue tasks."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

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
            stored = services.store(loaded)
        except DatabaseError as exc:
            raise CommandError(_database_hint(exc), returncode=1) from exc
        for what, result in zip(("Catalogus", "Regelset"), stored, strict=True):
            version = result.row.version
            self.stdout.write(
                {
                    "new": f"{what}: nieuwe versie {version} opgeslagen en actief.",
                    "reactivated": f"{what}: eerder geladen versie {version} is weer actief.",
                    "unchanged": f"{what} ongewijzigd: versie {version} is al actief.",
                }[result.status]
            )
        if any(result.status == "new" for result in stored):
            self.stdout.write(self.style.SUCCESS("Nieuwe versie opgeslagen."))
        else:
            self.stdout.write("Geen nieuwe versie opgeslagen: deze inhoud was al geladen.")
        # Stored outcomes computed with other versions are recomputed in the background:
        # the registry listens (lens.registry.apps) and answers whether it enqueued work.
        answers = services.versions_loaded.send(sender=services)
        if any(enqueued for _receiver, enqueued in answers):
            self.stdout.write(
                "Opgeslagen uitkomsten worden herberekend (achtergrondtaak; start een worker "
                "met `lens db-worker` als die niet draait)."
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
        noun = "fout" if count == 1 else "fouten"
        raise CommandError(f"{count} {noun} in de catalogusbestanden.", returncode=1)


def _summary(catalogue: Catalogue, ruleset: Ruleset) -> str:
    counts = [
        (len(catalogue.signals), "signalen"),
        (len(catalogue.indicators), "indicatoren"),
        (len(catalogue.life_domains), "leefgebieden"),
        (len(catalogue.risk_factors), "risicofactoren"),
        (len(catalogue.steps), "stappen"),
        (len(catalogue.contacts), "contacten"),
        (len(catalogue.regions), "regio's"),
        (len(catalogue.sources), "bronnen"),
    ]
    rules = sum(len(level.rules) for level in ruleset.levels)
    return (
        f"Catalogus in orde: {', '.join(f'{n} {what}' for n, what in counts)} "
        f"(versie {catalogue.version}).\n"
        f"Regelset in orde: {len(ruleset.levels)} niveaus, {rules} regels "
        f"(versie {ruleset.version})."
    )


def _database_hint(exc: DatabaseError) -> str:
    return (
        f"De database is niet bereikbaar of niet bijgewerkt ({exc}). Voer eerst `lens migrate` uit."
    )
