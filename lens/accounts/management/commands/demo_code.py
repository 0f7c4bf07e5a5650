"""`lens demo_code USERNAME`: the demo user's current login code (demo mode only)."""

import shlex

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lens.accounts.totp import confirmed_devices, usable_code


class Command(BaseCommand):
    help = (
        "Print the current second-factor (TOTP) code of a demo user, so the demo can be "
        "tried without an authenticator app. Only with DEMO_MODE=1 (which needs DEBUG=1); "
        "refused otherwise, so it can never reveal codes in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The demo user's username.")

    def handle(self, *args, username: str, **options):
        if not (settings.DEMO_MODE and settings.DEBUG):
            raise CommandError(
                _(
                    "Refused: demo codes are only available in demo mode. "
                    "Start with DEMO_MODE=1 and DEBUG=1 (never in production)."
                ),
                returncode=1,
            )
        user = (
            get_user_model()
            ._default_manager.filter(**{get_user_model().USERNAME_FIELD: username})
            .first()
        )
        if user is None:
            raise CommandError(_("No user %(username)r.") % {"username": username}, returncode=1)
        devices = confirmed_devices(user)
        if not devices:
            raise CommandError(
                _("User %(username)r has no authenticator set up: run %(command)s first.")
                % {
                    "username": username,
                    "command": f"`lens accounts enrol-totp {shlex.quote(username)}`",
                },
                returncode=1,
            )
        try:
            code, seconds = usable_code(devices[0])
        except ValueError as exc:
            raise CommandError(
                _("No usable code right now: %(error)s.") % {"error": exc}, returncode=1
            ) from exc
        # One line in a terminal, "123456 (valid for ...)"; only the code on standard
        # output, so that `$(lens demo-code USER)` gives the six digits.
        self.stdout.write(code, ending="")
        self.stdout.flush()
        self.stderr.write(
            " " + _("(valid for about %(seconds)d more seconds, once)") % {"seconds": seconds}
        )
