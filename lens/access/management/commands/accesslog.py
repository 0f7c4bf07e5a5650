"""`lens accesslog verify | export`: check the access log's hash chain; export one person's."""

from __future__ import annotations

import argparse
import io
import json
from types import SimpleNamespace

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lens.access import log, purposes
from lens.access.actor import Actor
from lens.access.models import AccessLogEntry, Action
from lens.access.verify import HASH, head, verify
from lens.accounts.audit import Operator
from lens.data import pseudonyms
from lens.data.registry import Person


class Command(BaseCommand):
    help = (
        "Check the access log (NEN 7513) or export one person's entries. "
        "Run `accesslog <subcommand> --help` for each one."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="subcommand")
        verify = subcommands.add_parser(
            "verify",
            help="check the hash chain; exit 1 and list each problem when it is broken",
            description=(
                "Walk the whole access log in order and check each entry's keyed hash and "
                "its link to the entry before it. Exits 0 with the number of entries and the "
                "last entry's hash when all is well (note that hash somewhere else: entries "
                "removed from the end can only be noticed against it). Prints each changed, "
                "removed or inserted entry on stderr and exits 1 otherwise. Needs "
                "ACCESS_LOG_KEY, the key the entries were written with."
            ),
        )
        verify.add_argument(
            "--expect-head",
            metavar="HASH",
            help=(
                "the last hash an earlier verify printed: also check that this entry is "
                "still in the chain (finds entries removed from the end)"
            ),
        )
        export = subcommands.add_parser(
            "export",
            help="print every access to one person's data, as CSV or JSON",
            description=(
                "Print every access-log entry about one person (by pseudonym), oldest first: "
                "for an access request under the AVG or to see who looked at a file. Works "
                "after the person's data were deleted. The export itself is recorded in the "
                "access log (action export, user lens-cli:<your login name>)."
            ),
        )
        export.add_argument("--person", required=True, metavar="P-XXXX", help="the pseudonym")
        export.add_argument(
            "--format", choices=("csv", "json"), default="csv", help="output format (csv)"
        )
        export.add_argument(
            "--purpose",
            default="AVG-inzageverzoek",
            help="why you export, recorded in the access log (default: AVG-inzageverzoek)",
        )

    def handle(self, *args: object, subcommand: str, **options: object) -> None:
        try:
            getattr(self, f"handle_{subcommand}")(**options)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc), returncode=1) from exc
        except DatabaseError as exc:
            raise CommandError(
                _(
                    "The database is not reachable or not migrated (%(error)s). "
                    "Run `lens migrate` first."
                )
                % {"error": exc},
                returncode=1,
            ) from exc

    def handle_verify(self, expect_head: str | None = None, **options: object) -> None:
        if expect_head is not None:
            expect_head = expect_head.strip().lower()
            if not HASH.fullmatch(expect_head):
                raise CommandError(
                    _(
                        "--expect-head expects a hash of 64 hexadecimal characters, as "
                        "`lens accesslog verify` shows as the last hash."
                    ),
                    returncode=2,
                )
        problems = verify(expect_head)
        count = AccessLogEntry.objects.count()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            found = ngettext("%(count)d problem", "%(count)d problems", len(problems)) % {
                "count": len(problems)
            }
            raise CommandError(
                _("Access log not in order: %(problems)s in %(lines)s.")
                % {"problems": found, "lines": _lines(count)},
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(_("Access log in order: %(lines)s.") % {"lines": _lines(count)})
        )
        newest = head()
        if newest is not None:
            self.stdout.write(
                _("Last entry: %(id)s, hash %(hash)s") % {"id": newest[0], "hash": newest[1]}
            )
            self.stdout.write(
                _(
                    "Keep this hash outside the database and pass it with --expect-head next "
                    "time: only then are entries removed from the end seen."
                )
            )

    def handle_export(self, person: str, format: str, purpose: str, **options: object) -> None:
        try:
            purpose = purposes.given(
                purpose, required=_("Give a purpose with --purpose (the access log asks why).")
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        pseudonym = pseudonyms.typed(person)
        with transaction.atomic():
            rows = list(log.export_rows(log.entries_for_person(pseudonym)))
            subject = Person.objects.filter(pseudonym=pseudonym).first()
            if subject is None and not rows:
                raise CommandError(
                    _(
                        "Unknown pseudonym %(pseudonym)s: no person and no entries in the "
                        "access log."
                    )
                    % {"pseudonym": pseudonym},
                    returncode=1,
                )
            # The person may be deleted by now; the log still names the pseudonym.
            log.record(
                Actor(user=Operator.command_line(), membership=None),
                Action.EXPORT,
                person=subject or SimpleNamespace(pk=None, pseudonym=pseudonym),
                object_type="accesslog",
                object_id=pseudonym,
                purpose=purpose,
            )
        # Printed only after the export's own log entry is committed.
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_csv(rows), ending="")


def _lines(count: int) -> str:
    return ngettext("%(count)d entry", "%(count)d entries", count) % {"count": count}


def _csv(rows: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    log.write_csv(rows, buffer, lineterminator="\n")
    return buffer.getvalue()
