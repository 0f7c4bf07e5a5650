"""`lens matching run [--region CODE]`: the batch run of the fuzzy match rule;
`lens matching rebuild-keys`: recompute every record's blocking keys.

Looks for possible matches (candidates) among the records without a BSN, in one region's
organisations or in all, and the records of other organisations that share a blocking
key with them (lens.coordination.matching.fuzzy_run). A candidate is never linked: it
goes on the zorgcoördinator's work list to be confirmed or rejected. Safe to run again:
pairs already proposed or decided are left as they are.

`rebuild-keys` opens every identity in memory and stores its blocking keys again
(lens.coordination.blocking.rebuild_block_keys): after the blocks of the rule change, or
to repair keys. Registry migration 0009 does the same once.
"""

from __future__ import annotations

import argparse
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lens.catalogue import services
from lens.catalogue.services import NoCatalogueLoaded
from lens.coordination import blocking, matching


class Command(BaseCommand):
    help = (
        "Fuzzy matching across organisations: `lens matching run [--region CODE]` looks "
        "for possible matches (typos in names, day and month swapped, one wrong digit) of "
        "the records without a BSN and puts new ones on the zorgcoördinator's work list. "
        "Nothing is linked without the zorgcoördinator."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        tasks = parser.add_subparsers(dest="task", required=True, metavar="TASK")
        run = tasks.add_parser(
            "run",
            help="look for possible matches (candidates)",
            description=(
                "Compare the records without a BSN (of one region's organisations with "
                "--region) with the records of other organisations that share a blocking "
                "key, and store the new candidates."
            ),
        )
        run.add_argument(
            "--region",
            metavar="CODE",
            default="",
            help="only the records without a BSN of this region's organisations "
            "(a region code from the catalogue, e.g. midden_brabant); default: all regions",
        )

        tasks.add_parser(
            "rebuild-keys",
            help="recompute every record's blocking keys from its identity",
            description=(
                "Open every identity in memory and store its blocking keys again, in "
                "batches (each its own transaction; safe to interrupt and run again). "
                "Needs the identity keys and MATCH_KEY_SECRET, as every use of the registry."
            ),
        )

    def handle(self, *args, task: str, region: str = "", **options) -> None:
        if task == "rebuild-keys":
            started = time.monotonic()
            changed = blocking.rebuild_block_keys()
            # gettext calls outside f-strings: xgettext does not read inside them
            changed_label, time_label = _("Records whose blocking keys changed"), _("Time")
            self.stdout.write(f"{changed_label}: {changed}")
            self.stdout.write(f"{time_label}: {time.monotonic() - started:.1f} s")
            return
        region = (region or "").strip()
        if region:
            self._check_region(region)
        started = time.monotonic()
        report = matching.fuzzy_run(region=region or None)
        seconds = time.monotonic() - started
        lines = (
            (_("Region"), region or _("all regions")),
            (_("Persons without a BSN compared"), report.compared_persons),
            (_("Blocks"), report.blocks),
            (_("Identities opened (in memory)"), report.opened),
            (_("Comparisons"), report.comparisons),
            (_("New candidate pairs"), report.new_candidates),
            (_("Time"), f"{seconds:.1f} s"),
        )
        for label, value in lines:
            self.stdout.write(f"{label}: {value}")

    def _check_region(self, region: str) -> None:
        try:
            catalogue, _ruleset = services.active()
        except NoCatalogueLoaded:
            raise CommandError(
                _("No catalogue is loaded: run `lens catalogue load` first."), returncode=2
            ) from None
        if region not in catalogue.regions:
            known = ", ".join(sorted(catalogue.regions))
            raise CommandError(
                _("Unknown region %(region)r.") % {"region": region}
                + " "
                + _("Known: %(codes)s.") % {"codes": known},
                returncode=2,
            )
