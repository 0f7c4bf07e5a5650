"""`lens picture export`: the local picture's published tables (the same as /lokaal-beeld/),
for a monthly report to the council or a municipality's own BI tools.

lens picture export --region midden_brabant --municipality Tilburg --period 2026-Q3 --format csv
"""

from __future__ import annotations

import argparse
import json
import re
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lens.access.actor import Actor
from lens.accounts.audit import Operator
from lens.catalogue import services
from lens.insight.areas import area_region, areas
from lens.picture import bulk, closing, pending, selectors, tables
from lens.picture.filters import Filters, Period, Scope, period_options
from lens.picture.years import first_year

PERIOD = re.compile(r"\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?")
LANGUAGE = "nl"  # Dutch first: the labels of the export


class Once(argparse.Action):
    """An option that may be given once: argparse keeps the last of repeated values
    silently, and `--period 2026 --period 2025` exported 2025 without a word (outside
    probe). A repetition is noted here and refused by `refuse_repeated` (exit status 2,
    one line, as every bad input of the command)."""

    def __call__(self, parser, namespace, values, option_string=None):
        given = getattr(namespace, "given_twice", None) or {}
        seen = f"given_{self.dest}"
        if getattr(namespace, seen, False) and option_string not in given:
            given[option_string] = (getattr(namespace, self.dest), values)
        namespace.given_twice = given
        setattr(namespace, seen, True)
        setattr(namespace, self.dest, values)


def refuse_repeated(options: dict) -> None:
    for option, (first, second) in (options.get("given_twice") or {}).items():
        raise CommandError(
            _("%(option)s given more than once (%(first)s and %(second)s): give it once.")
            % {"option": option, "first": first, "second": second},
            returncode=2,
        )


class Command(BaseCommand):
    help = (
        "Export the local picture (lokaal beeld) of a region or municipality: the same "
        "published tables as the page, with the same disclosure control. Run "
        "`lens picture export --help`."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        tasks = parser.add_subparsers(dest="task", required=True, metavar="TASK")
        export = tasks.add_parser(
            "export",
            help="print the local picture's tables as JSON, CSV or XLSX",
            description=(
                "Print the tables of the local picture (persons by area and period, signals "
                "by area, persons by indicator, leefgebied, organisation type and level, "
                "indicator pairs, phenomena with indicators) for a region or one municipality, "
                "suppressed as on the "
                'page: fewer than ten persons is "<10", "x" hides a count that would '
                "give one away. The export is recorded in the access log (action export, "
                "user lens-cli:<your login name>, no person)."
            ),
        )
        export.add_argument(
            "--region",
            metavar="R",
            action=Once,
            help="catalogue region, by code or name (midden_brabant)",
        )
        export.add_argument(
            "--municipality",
            metavar="M",
            action=Once,
            help="one municipality, by CBS code or name (GM0855)",
        )
        export.add_argument(
            "--period",
            action=Once,
            default="",
            metavar="P",
            help="a year (2026), quarter (2026-Q3) or month (2026-09); default all periods",
        )
        export.add_argument(
            "--format",
            action=Once,
            choices=("json", "csv", "xlsx"),
            default="json",
            help="(json)",
        )
        export.add_argument(
            "--output",
            action=Once,
            metavar="FILE",
            help="write to FILE instead of standard output (xlsx)",
        )
        rebuild = tasks.add_parser(
            "rebuild",
            help="recompute the maintained aggregates from the registrations",
            description=(
                "Recompute the local picture's per-person state and count cells from the "
                "current registrations (after a repair, a restore or a catalogue change). "
                "The cells of closed periods stay as published unless --include-closed."
            ),
        )
        rebuild.add_argument(
            "--include-closed",
            action="store_true",
            help="also recompute the cells of closed periods (they stay closed)",
        )
        tasks.add_parser(
            "catch-up",
            help="apply the pending changes to the maintained aggregates",
            description=(
                "Apply the changes that registrations, corrections, withdrawals and link "
                "decisions marked pending to the local picture's cells, many persons at "
                "once (a scheduled job, e.g. every minute: the page catches up before it "
                "answers, and has less to do)."
            ),
        )
        close = tasks.add_parser(
            "close",
            help="keep a period's figures as published (after it has ended)",
            description=(
                "Close a year (2026), quarter (2026-Q3) or month (2026-09) that has ended: "
                "its cells, and those of the periods inside it, are no longer changed by "
                "withdrawals, retention or a catalogue change."
            ),
        )
        close.add_argument("period", metavar="PERIOD", help="2026, 2026-Q3 or 2026-09")

    def handle(self, *args, task: str, **options) -> None:
        refuse_repeated(options)
        if task == "close":
            return self.close(options["period"])
        try:
            catalogue, _ruleset = services.active()
        except services.NoCatalogueLoaded as exc:
            raise CommandError(str(exc), returncode=1) from exc
        if task == "rebuild":
            return self.rebuild(options["include_closed"])
        if task == "catch-up":
            return self.catch_up()
        scope = scope_from(catalogue, options["region"], options["municipality"])
        period = period_from(options["period"] or "")
        format, output = options["format"], options["output"]
        if format == "xlsx" and not output:
            raise CommandError(
                _("--format xlsx needs --output FILE (a workbook is binary)."), returncode=2
            )
        # The file is opened before anything is exported (and logged).
        try:
            file = open(output, "wb") if output else None  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s.") % {"file": output, "reason": exc.strerror},
                returncode=2,
            ) from None
        try:
            operator = Actor(user=Operator.command_line(), membership=None)
            found = selectors.logged_picture(
                operator, scope, Filters(period=period), catalogue, export=format
            )
            with translation.override(LANGUAGE):
                made = tables.tables(found, catalogue, LANGUAGE)
            # Written only after the export's own log entry is committed.
            if format == "xlsx":
                file.write(tables.as_xlsx(made))
                return
            text = (
                json.dumps(tables.as_json(made), ensure_ascii=False, indent=2) + "\n"
                if format == "json"
                else tables.as_csv(made)
            )
            if file:
                file.write(text.encode("utf-8"))
            else:
                self.stdout.write(text, ending="")
        finally:
            if file:
                file.close()

    def rebuild(self, include_closed: bool) -> None:
        def progress(done: int, total: int) -> None:
            self.stdout.write(_("  %(done)d/%(total)d persons") % {"done": done, "total": total})

        found = bulk.rebuild(
            include_closed=include_closed, progress=progress, by=Operator.command_line()
        )
        self.stdout.write(
            _(
                "Local picture rebuilt: %(persons)d persons, %(cells)d cells, %(closed)d "
                "closed periods left alone, in %(seconds)s s."
            )
            % {**found, "seconds": f"{found['seconds']:.1f}"}
        )

    def catch_up(self) -> None:
        started = time.monotonic()
        applied = pending.catch_up()
        self.stdout.write(
            _("Local picture caught up: %(marks)d changes applied in %(seconds)s s.")
            % {"marks": applied, "seconds": f"{time.monotonic() - started:.1f}"}
        )

    def close(self, value: str) -> None:
        value = (value or "").strip()
        if not PERIOD.fullmatch(value):
            raise CommandError(_not_a_period(value), returncode=2)
        try:
            new = closing.close(value, timezone.localdate(), by=Operator.command_line())
        except closing.NotEnded:
            raise CommandError(
                _("Period %(period)s has not ended yet: only an ended period can be closed.")
                % {"period": value},
                returncode=2,
            ) from None
        except closing.BeforeData as refused:
            since = (
                _("the first registration is from %(year)s") % {"year": refused.first_year}
                if refused.first_year
                else _("there are no registrations yet")
            )
            raise CommandError(
                _("Period %(period)s lies before all data (%(since)s): there is nothing to close.")
                % {"period": value, "since": since},
                returncode=2,
            ) from None
        self.stdout.write(
            _("Period %(period)s closed (%(count)d new: %(new)s); the figures stay as published.")
            % {"period": value, "count": len(new), "new": " ".join(new) or _("none")}
        )


def scope_from(catalogue, region: str | None, municipality: str | None) -> Scope:
    """The scope asked for: a region (code or name), a municipality (CBS code or name) in
    it, or a municipality alone (its region then follows). CommandError (exit 2) else."""
    code = ""
    if region:
        wanted = region.strip().casefold()
        code = next(
            (
                c
                for c, r in catalogue.regions.items()
                if wanted in (c.casefold(), *(t.casefold() for t in _labels(r.label)))
            ),
            "",
        )
        if not code:
            known = ", ".join(sorted(catalogue.regions))
            raise CommandError(
                _("Unknown region %(region)r; known: %(known)s.")
                % {"region": region, "known": known},
                returncode=2,
            )
    if not municipality:
        if not code:
            raise CommandError(_("Give --region or --municipality."), returncode=2)
        return Scope(region=code)
    wanted = municipality.strip().casefold()
    place = next(
        (
            m
            for m in areas().municipalities.values()
            if wanted in (m.code.casefold(), m.name.casefold())
        ),
        None,
    )
    regions = [c for c in catalogue.regions if place and area_region(c) == place.region]
    if place is None or not regions:
        raise CommandError(
            _("Unknown municipality %(municipality)r (a CBS code or name).")
            % {"municipality": municipality},
            returncode=2,
        )
    if code and code not in regions:
        raise CommandError(
            _("Municipality %(name)s (%(code)s) is not in region %(region)s.")
            % {"name": place.name, "code": place.code, "region": code},
            returncode=2,
        )
    return Scope(region=code or regions[0], municipality=place.code)


def period_from(value: str) -> Period:
    value = value.strip()
    if value and not PERIOD.fullmatch(value):
        raise CommandError(_not_a_period(value), returncode=2)
    offered = period_options(timezone.localdate(), first_year())
    if value not in offered:
        oldest = offered[-1][:4]  # the oldest year's last month
        raise CommandError(
            _(
                "Period %(period)s is not offered: choose a period from %(first)s (the first "
                "year with data, or three years back) through this year."
            )
            % {"period": value, "first": oldest},
            returncode=2,
        )
    return Period(value)


def _not_a_period(value: str) -> str:
    return _("Period %(period)r is not a year (2026), quarter (2026-Q3) or month (2026-09).") % {
        "period": value
    }


def _labels(label) -> list[str]:
    """The texts of a catalogue label in each language, with and without what follows
    the name in brackets ("Midden-Brabant (Tilburg e.o.)")."""
    texts = [label.get(language) for language in ("nl", "en")]
    return texts + [text.split(" (")[0] for text in texts]
