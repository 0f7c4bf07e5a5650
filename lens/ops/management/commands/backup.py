"""`lens backup --output FILE`: a backup of the database (keys excluded: they never live
in it). `lens backup prune DIR [--days N]`: delete the backups in DIR older than
BACKUP_RETENTION_DAYS (30 unless set)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lens.ops import backup


class Command(BaseCommand):
    help = (
        "Back up the database to a new file (SQLite: the online backup API; PostgreSQL: "
        "pg_dump --format=custom). The keys are not in it: keep them apart. "
        "`lens backup prune DIR` deletes the backups in DIR older than "
        "BACKUP_RETENTION_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("task", nargs="?", choices=["prune"], help="prune: delete old ones")
        parser.add_argument("directory", nargs="?", help="prune: the folder of backups")
        parser.add_argument("--output", help="The backup file to write (must not exist).")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="prune: delete backups older than this (default BACKUP_RETENTION_DAYS).",
        )

    def handle(self, *args, task, directory, output, days, **options):
        try:
            if task == "prune":
                if not directory:
                    raise CommandError("Name the folder: lens backup prune DIR.")
                days = days if days is not None else settings.BACKUP_RETENTION_DAYS
                if days < 1:
                    raise CommandError("--days must be 1 or more.")
                gone = backup.prune(Path(directory), days)
                for path in gone:
                    self.stdout.write(f"deleted {path}")
                self.stdout.write(f"{len(gone)} backup(s) older than {days} days deleted.")
                return
            if not output:
                raise CommandError("Name the file: lens backup --output FILE.")
            backup.backup(Path(output))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"backup written: {output} ({backup.engine()})")
