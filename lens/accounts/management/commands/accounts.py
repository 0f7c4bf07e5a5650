"""`lens accounts`: the beheerder's account tasks on the command line.

lens accounts enrol-totp USERNAME [--replace] [--no-qr]
lens accounts unlock USERNAME
lens accounts logout-everywhere USERNAME
"""

import io

import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lens.accounts import actions


def _user(username: str):
    user = (
        get_user_model()
        ._default_manager.filter(**{get_user_model().USERNAME_FIELD: username})
        .first()
    )
    if user is None:
        raise CommandError(_("No user %(username)r.") % {"username": username}, returncode=1)
    return user


class Command(BaseCommand):
    help = (
        "Account tasks for the administrator: set up a user's authenticator app "
        "(enrol-totp), lift a login lockout (unlock), end all of a user's sessions "
        "(logout-everywhere)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="task", required=True, metavar="TASK")

        enrol = sub.add_parser(
            "enrol-totp",
            help="Give the user a new authenticator secret; prints an otpauth:// URL and a "
            "QR code to scan. Show it to the user in person only.",
        )
        enrol.add_argument("username")
        enrol.add_argument(
            "--replace",
            action="store_true",
            help="Replace the user's existing authenticator (lost or new phone); this also "
            "ends all of the user's sessions.",
        )
        enrol.add_argument("--no-qr", action="store_true", help="Print only the URL.")

        unlock = sub.add_parser(
            "unlock",
            help="Lift the lockout after too many failed logins (django-axes) and the "
            "authenticator's back-off.",
        )
        unlock.add_argument("username")

        everywhere = sub.add_parser(
            "logout-everywhere", help="End every session of the user at their next request."
        )
        everywhere.add_argument("username")

    def handle(self, *args, task: str, username: str, **options):
        if task == "enrol-totp":
            self.enrol(_user(username), replace=options["replace"], qr=not options["no_qr"])
        elif task == "unlock":
            exists = get_user_model()._default_manager.filter(
                **{get_user_model().USERNAME_FIELD: username}
            )
            if not exists.exists() and not actions.failed_attempts(username):
                raise CommandError(
                    _("No user %(username)r and no failed logins under that name.")
                    % {"username": username},
                    returncode=1,
                )
            removed = actions.unlock(username)
            self.stdout.write(
                ngettext(
                    "Unlocked %(username)r: %(count)d failed-attempt record removed.",
                    "Unlocked %(username)r: %(count)d failed-attempt records removed.",
                    removed,
                )
                % {"username": username, "count": removed}
            )
        elif task == "logout-everywhere":
            epoch = actions.end_sessions_of(_user(username))
            self.stdout.write(
                _("All sessions of %(username)r ended (epoch %(epoch)s).")
                % {"username": username, "epoch": epoch}
            )

    def enrol(self, user, *, replace: bool, qr: bool) -> None:
        try:
            device = actions.enrol_totp(user, replace=replace)
        except actions.AlreadyEnrolled as exc:
            raise CommandError(
                _(
                    "User %(username)r already has an authenticator. Use --replace to give "
                    "them a new one (the old one stops working)."
                )
                % {"username": user.get_username()},
                returncode=1,
            ) from exc
        url = device.config_url
        self.stdout.write(
            _(
                "Authenticator set up for %(username)r. Let the user scan this QR code (or "
                "enter the URL) in their authenticator app, in person; it is not shown again."
            )
            % {"username": user.get_username()}
            + "\n"
        )
        self.stdout.write(url)
        if qr:
            buffer = io.StringIO()
            segno.make(url, error="m").terminal(out=buffer, compact=True)
            self.stdout.write(buffer.getvalue(), ending="")
        if replace:
            self.stdout.write(_("The old authenticator no longer works; all sessions were ended."))
