"""`lens audit export`: the audit record of the beheerder's writes, as CSV.

lens audit export [--since YYYY-MM-DD] > audit.csv
"""

from __future__ import annotations

import argparse
import csv
from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.accounts.models import AuditRecord
from lens.data.cells import defused

COLUMNS = (
    "id",
    "at",
    "user_id",
    "username",
    "role",
    "os_user",
    "kind",
    "object_type",
    "object_id",
    "details",
)


class Command(BaseCommand):
    help = (
        "The audit record of the administrator's (beheerder's) writes: organisations, "
        "users, memberships, authenticators, lockouts, API clients, key rotation. It holds "
        "no person data. Run `lens audit export --help`."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        tasks = parser.add_subparsers(dest="task", required=True, metavar="TASK")
        export = tasks.add_parser(
            "export",
            help="write every audit record as CSV to standard output, oldest first",
            description=(
                "Write the audit records as CSV (UTF-8, a header row) to standard output, "
                "oldest first; the command line's records have no user_id and name the "
                "operating-system user in os_user."
            ),
        )
        export.add_argument(
            "--since", metavar="YYYY-MM-DD", help="only records from this day on (local time)"
        )

    def handle(self, *args, task: str, since: str | None = None, **options) -> None:
        records = AuditRecord.objects.order_by("id")
        if since:
            try:
                day = date.fromisoformat(since)
            except ValueError:
                raise CommandError(
                    _("--since %(value)r is not a date (YYYY-MM-DD).") % {"value": since}
                ) from None
            start = timezone.make_aware(datetime.combine(day, time.min))
            records = records.filter(at__gte=start)
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        for record in records.values_list(*COLUMNS).iterator(chunk_size=2000):
            # Usernames and details are typed by people: no cell a spreadsheet runs as a
            # formula, as in the access-log export (lens.data.cells).
            writer.writerow(
                [
                    value.isoformat() if isinstance(value, datetime) else defused(value)
                    for value in record
                ]
            )
