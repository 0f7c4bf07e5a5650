"""`lens restore FILE [--journal FILE ...]`: restore a backup into an empty database,
then delete again what the tombstones name (the restored database's and the tombstone
journal's, TOMBSTONE_JOURNAL), before the application serves."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lens.ops import backup
from lens.retention import journal


class Command(BaseCommand):
    help = (
        "Restore a backup made by `lens backup` into an empty database (refused "
        "otherwise), then apply the tombstones: every record deleted by retention or an "
        "erasure request, also after the backup was taken (TOMBSTONE_JOURNAL), is deleted "
        "again. Start the application only after this has finished."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file.")
        parser.add_argument(
            "--journal",
            action="append",
            dest="journals",
            default=[],
            help="A tombstone journal to apply as well (default: TOMBSTONE_JOURNAL).",
        )

    def handle(self, *args, file, journals: list[str], **options):
        journals = [Path(p) for p in journals]
        for path in journals:  # named on the command line: it must be there
            if not path.is_file():
                raise CommandError(
                    f"{path} does not exist (or is not a file): a tombstone journal named "
                    "with --journal must be there; nothing was restored."
                )
        note = ""
        if not journals and (configured := journal.path()) is not None:
            if configured.exists():
                journals = [configured]
            else:  # said after the restore, so that a refusal stays one line
                note = (
                    f"note: no tombstone journal at {configured}; the backup's own tombstones only."
                )
        try:
            again = backup.restore(Path(file), journals)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        if note:
            self.stderr.write(note)
        detail = ", ".join(f"{kind}: {n}" for kind, n in sorted(again.items())) or "none"
        self.stdout.write(
            f"restored {file}; deleted again after the tombstones: {sum(again.values())} "
            f"record(s) ({detail})."
        )
