"""`lens retention`: delete what has outlived its purpose, by rule, leaving tombstones.

lens retention run [--dry-run] [--json] [--enqueue]
lens retention erase PSEUDONYM --reason TEXT   (a person's request for erasure, AVG art. 17)
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lens.accounts import audit
from lens.retention import erase
from lens.retention.run import run, to_review


class Command(BaseCommand):
    help = (
        "Apply the retention periods (README, 'Retention'): delete person records without "
        "activity in the period with all they hold, old login records and idempotency "
        "records; each deleted record leaves a tombstone (kind, id, rule, time; no "
        "content) and each deleted person an access-log entry. Or erase one person's "
        "record on their request."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="task", required=True, metavar="TASK")
        run_parser = sub.add_parser("run", help="Delete what the retention periods say.")
        # A dry run on the queue would delete: the two exclude each other.
        how = run_parser.add_mutually_exclusive_group()
        how.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")
        run_parser.add_argument(
            "--json",
            action="store_true",
            help='Print {"would_delete": {kind: count}} (dry run) or {"deleted": {...}}, '
            'with "review": {"open_cases_idle": n} (open cases idle past '
            "RETENTION_OPEN_CASE_IDLE_DAYS: kept, for the organisations to review).",
        )
        how.add_argument(
            "--enqueue",
            action="store_true",
            help="Put the run on the queue for the worker (lens worker), e.g. from cron.",
        )
        erase_parser = sub.add_parser(
            "erase",
            help="Erase one person's record at this organisation with all it holds, on the "
            "person's request (the access log keeps that it happened and why).",
        )
        erase_parser.add_argument("pseudonym")
        erase_parser.add_argument(
            "--reason", required=True, help="Why (e.g. the request's reference); logged."
        )

    def handle(self, *args, task: str, **options):
        if task == "erase":
            return self.erase(options["pseudonym"], options["reason"])
        if options["enqueue"]:
            from lens.retention.tasks import run_retention

            result = run_retention.enqueue()
            self.stdout.write(_("Enqueued as task %(id)s.") % {"id": result.id})
            return
        counts = run(dry_run=options["dry_run"])
        review = to_review()
        key = "would_delete" if options["dry_run"] else "deleted"
        if options["json"]:
            self.stdout.write(json.dumps({key: dict(sorted(counts.items())), "review": review}))
            return
        # The kinds by their codes, as in --json and in the tombstones.
        for kind, n in sorted(counts.items()):
            self.stdout.write(_("  %(kind)s: %(n)d") % {"kind": kind, "n": n})
        for kind, n in review.items():
            self.stdout.write(
                _("  %(kind)s: %(n)d (kept; for the organisations to review)")
                % {"kind": kind, "n": n}
            )
        total = sum(counts.values())
        if options["dry_run"]:
            self.stdout.write(_("Would delete %(n)d records (dry run).") % {"n": total})
        else:
            self.stdout.write(_("Deleted %(n)d records; each left a tombstone.") % {"n": total})

    def erase(self, pseudonym: str, reason: str) -> None:
        try:
            pseudonym, total = erase.erase_on_request(
                pseudonym, reason, audit.Operator.command_line()
            )
        except erase.ErasureRefused as refused:
            raise CommandError(str(refused), returncode=refused.code) from None
        self.stdout.write(
            _("Erased %(pseudonym)s: %(n)d records, each left a tombstone.")
            % {"pseudonym": pseudonym, "n": total}
        )
