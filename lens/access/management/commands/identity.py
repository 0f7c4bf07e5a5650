"""`lens identity new-key | rotate-key`: the operator's identity master key tasks."""

from __future__ import annotations

import argparse
import secrets
import textwrap
from datetime import date

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lens.access import crypto
from lens.access.rotation import rotate_identity_keys
from lens.data.registry import Person

PROCEDURE = """\
Identities are encrypted with a data key of their own; that data key is wrapped with a
master key from IDENTITY_KEYS (or IDENTITY_KEY_FILE). The first key listed is the current
one; every listed key can still open what it wrapped. To replace the master key:

  1. lens identity new-key
     prints a fresh line "id:base64". Store it where the other secrets are kept.
  2. Put it in FRONT of the existing keys, e.g. IDENTITY_KEYS="new-id:...,old-id:...",
     and restart every process (web, worker), so new identities use the new key.
  3. lens identity rotate-key
     re-wraps every stored data key under the new key (the encrypted identities
     themselves are not changed). Safe to interrupt and run again.
  4. Only when rotate-key reports that no identity uses an old key: remove the old key
     from the configuration and restart again. Keep a backup of it as long as database
     backups made before the rotation exist: those need the old key.
"""


class RawDescriptionFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's help layout, but with the procedure's line breaks kept."""


def _description(intro: str) -> str:
    """A subcommand's description: its own paragraph, wrapped, then the procedure."""
    return textwrap.fill(intro, width=88) + "\n\n" + PROCEDURE


class Command(BaseCommand):
    help = PROCEDURE + "\nRun `identity <subcommand> --help` for each subcommand."
    # `new-key` needs neither a database nor system checks.
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: object):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionFormatter
        return parser

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="subcommand")
        new_key = subcommands.add_parser(
            "new-key",
            help='print a fresh master key line "id:base64" for IDENTITY_KEYS',
            description=_description(
                'Print a new random 256-bit master key as one line "id:base64", to put in '
                "front of IDENTITY_KEYS or at the top of IDENTITY_KEY_FILE. Changes nothing "
                "itself."
            ),
            formatter_class=RawDescriptionFormatter,
        )
        new_key.add_argument(
            "--id",
            dest="key_id",
            default="",
            help="the key id (1-32 letters, digits, '.', '_', '-'); default: k<date>-<random>",
        )
        rotate = subcommands.add_parser(
            "rotate-key",
            help="re-wrap every identity's data key under the current (first) master key",
            description=_description(
                "Re-wrap the data key of every person not yet under the current master key "
                "(the first in IDENTITY_KEYS / IDENTITY_KEY_FILE), in batches, each in its own "
                "transaction. The encrypted identities are not changed and not decrypted."
            ),
            formatter_class=RawDescriptionFormatter,
        )
        rotate.add_argument(
            "--batch-size", type=int, default=500, help="persons per transaction (default 500)"
        )

    def handle(self, *args: object, subcommand: str, **options: object) -> None:
        handler = {"new-key": self.handle_new_key, "rotate-key": self.handle_rotate_key}
        handler[subcommand](**options)

    def handle_new_key(self, key_id: str, **options: object) -> None:
        key_id = key_id or f"k{date.today():%Y%m%d}-{secrets.token_hex(2)}"
        try:
            self.stdout.write(crypto.new_key_line(key_id))
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc

    def handle_rotate_key(self, batch_size: int, **options: object) -> None:
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."), returncode=2)
        try:
            current = crypto.current_key_id()
            rotated = rotate_identity_keys(batch_size=batch_size)
            remaining = Person.objects.exclude(identity_key_id=current).count()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc), returncode=1) from exc
        except crypto.IdentityUnreadable as exc:
            raise CommandError(
                _("Rotation stopped; batches before this one are done. %(error)s") % {"error": exc},
                returncode=1,
            ) from exc
        except DatabaseError as exc:
            raise CommandError(
                _(
                    "The database is not reachable or not migrated (%(error)s). "
                    "Run `lens migrate` first."
                )
                % {"error": exc},
                returncode=1,
            ) from exc
        self.stdout.write(
            ngettext(
                "%(count)d identity re-wrapped under master key %(key)r.",
                "%(count)d identities re-wrapped under master key %(key)r.",
                rotated,
            )
            % {"count": rotated, "key": current}
        )
        if remaining:
            # Rows written meanwhile by a process still on an old key: run again.
            raise CommandError(
                _(
                    "%(count)d identities still use another key (written by a process not yet "
                    "restarted with the new key?). Restart all processes and run rotate-key "
                    "again."
                )
                % {"count": remaining},
                returncode=1,
            )
        old = [key_id for key_id in crypto.known_key_ids() if key_id != current]
        if old:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "No identity uses an old key any more: %(keys)s can be removed from "
                        "the configuration (keep a backup for older database backups)."
                    )
                    % {"keys": ", ".join(old)}
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(_("Every identity uses master key %(key)r.") % {"key": current})
            )
