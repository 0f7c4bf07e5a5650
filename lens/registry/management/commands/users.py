"""`lens users add | add-membership | end-membership | list | deactivate`: the beheerder's
users and their roles.

lens users add USERNAME --email EMAIL [--password-prompt]
               [--role ROLE [--organisation NAME | --region CODE [--municipality NAME]]]
lens users add-membership USERNAME --role ROLE [--organisation NAME | --region CODE ...]
lens users end-membership USERNAME (--id ID | --role ROLE [--organisation NAME | --region CODE])
lens users list [--organisation NAME]
lens users deactivate USERNAME
"""

from __future__ import annotations

import argparse
import shlex
from getpass import getpass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from lens.data.registry import Membership, Role
from lens.registry import organisations

from .organisations import refused

ROLES_HELP = (
    "Roles: professional and aandachtsfunctionaris belong to an organisation "
    "(--organisation); zorgcoordinator and analist to a region (--region, a catalogue "
    "code, optionally --municipality); beheerder to neither."
)


def _fail(text: str) -> CommandError:
    return CommandError(text, returncode=1)


class Command(BaseCommand):
    help = (
        "The administrator's (beheerder's) users: add a user, give or end a membership "
        "(a role in an organisation or region), list users, deactivate a user. Nothing is "
        "ever deleted. Run `lens users <task> --help` for each task. " + ROLES_HELP
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        tasks = parser.add_subparsers(dest="task", required=True, metavar="TASK")

        add = tasks.add_parser(
            "add",
            help="add a user (optionally with a first membership)",
            description=(
                "Add a user. Without --password-prompt the user gets no usable password: "
                "set one with `lens changepassword USERNAME` (or let the user do it in "
                "person). Every user also needs an authenticator app: `lens accounts "
                "enrol-totp USERNAME`. A password is never given on the command line (it "
                "would stay in the shell's history). With --role the user gets a first "
                "membership in the same step; if that is refused, no user is added. " + ROLES_HELP
            ),
        )
        add.add_argument("username")
        add.add_argument("--email", required=True, help="the user's work e-mail address")
        add.add_argument(
            "--password-prompt",
            action="store_true",
            help="ask for the password (twice, not shown); it must pass the password rules",
        )
        self._scope_arguments(add, role_required=False)

        membership = tasks.add_parser(
            "add-membership",
            help="give a user a role in an organisation or region",
            description=(
                "Give the user a role. A user may hold several and chooses one after "
                "logging in. " + ROLES_HELP
            ),
        )
        membership.add_argument("username")
        self._scope_arguments(membership, role_required=True)

        end = tasks.add_parser(
            "end-membership",
            help="end one of a user's memberships (it stays in the history)",
            description=(
                "End a membership: the user loses that role at their next request. The "
                "membership is kept (ended), never deleted. Name it by --id (see `lens "
                "users list`) or by --role and its organisation or region."
            ),
        )
        end.add_argument("username")
        end.add_argument("--id", type=int, dest="membership_id", help="the membership's number")
        self._scope_arguments(end, role_required=False)

        listing = tasks.add_parser(
            "list",
            help="list users and their memberships",
            description=(
                "List the users: status, whether a password and an authenticator are set, "
                "last login, and their memberships (with numbers for end-membership). "
                "It shows no person data. API clients' service users are left out "
                "(`lens apiclient list`)."
            ),
        )
        listing.add_argument(
            "--organisation", metavar="NAME", help="only the members of this organisation"
        )

        deactivate = tasks.add_parser(
            "deactivate",
            help="deactivate a user and end all of their sessions",
            description=(
                "Deactivate the user: they can no longer log in, and every session they "
                "have is ended at its next request. The user and their memberships stay "
                "in the history."
            ),
        )
        deactivate.add_argument("username")

    @staticmethod
    def _scope_arguments(parser: argparse.ArgumentParser, *, role_required: bool) -> None:
        parser.add_argument(
            "--role",
            required=role_required,
            metavar="ROLE",
            help="one of: " + ", ".join(Role.values),
        )
        parser.add_argument(
            "--organisation", metavar="NAME", help="the organisation (organisation roles)"
        )
        parser.add_argument(
            "--region",
            default="",
            metavar="CODE",
            help="the region code from the catalogue (zorgcoordinator, analist)",
        )
        parser.add_argument(
            "--municipality",
            default="",
            metavar="NAME",
            help="one of the region's municipalities (optional, zorgcoordinator, analist)",
        )

    def handle(self, *args, task: str, **options) -> None:
        handlers = {
            "add": self._add,
            "add-membership": self._add_membership,
            "end-membership": self._end_membership,
            "list": self._list,
            "deactivate": self._deactivate,
        }
        try:
            handlers[task](options)
        except ValidationError as error:
            raise refused(error) from None

    # --- tasks -----------------------------------------------------------------------

    def _add(self, options) -> None:
        username = options["username"]
        wants_membership = options["role"] or any(
            options[key] for key in ("organisation", "region", "municipality")
        )
        if wants_membership and not options["role"]:
            raise _fail(_("Give --role with --organisation, --region or --municipality."))
        # Everything that can be refused without writing comes first.
        organisation = self._organisation(options)
        password = self._prompt_password(username) if options["password_prompt"] else None
        with transaction.atomic():  # the user and the first membership, or neither
            user = organisations.create_user(username, options["email"], password=password)
            membership = None
            if wants_membership:
                membership = organisations.add_membership(
                    user,
                    options["role"],
                    organisation=organisation,
                    region=options["region"],
                    municipality=options["municipality"],
                )
        name = user.get_username()
        self.stdout.write(
            _("Added user %(username)r (%(email)s).") % {"username": name, "email": user.email}
        )
        if membership is not None:
            self.stdout.write(
                _("Membership #%(id)s: %(membership)s.")
                % {"id": membership.pk, "membership": organisations.describe_membership(membership)}
            )
        quoted = shlex.quote(name)  # the hints are to be pasted into a shell
        steps = []
        if not user.has_usable_password():
            steps.append(
                _("set a password (the user has none yet and cannot log in): %(command)s")
                % {"command": f"`lens changepassword {quoted}`"}
            )
        steps.append(
            _("enrol the user's authenticator app, with the user present: %(command)s")
            % {"command": f"`lens accounts enrol-totp {quoted}`"}
        )
        if membership is None:
            steps.append(
                _("give a role: %(command)s")
                % {"command": f"`lens users add-membership {quoted} --role ROLE ...`"}
            )
        self.stdout.write(_("Next:"))
        for number, step in enumerate(steps, start=1):
            self.stdout.write(f"  {number}. {step}")

    def _add_membership(self, options) -> None:
        user = organisations.get_user(options["username"])
        membership = organisations.add_membership(
            user,
            options["role"],
            organisation=self._organisation(options),
            region=options["region"],
            municipality=options["municipality"],
        )
        self.stdout.write(
            _("User %(username)r now has membership #%(id)s: %(membership)s.")
            % {
                "username": user.get_username(),
                "id": membership.pk,
                "membership": organisations.describe_membership(membership),
            }
        )

    def _end_membership(self, options) -> None:
        user = organisations.get_user(options["username"])
        name = user.get_username()
        memberships = Membership.objects.filter(user=user).select_related("organisation")
        if options["membership_id"] is not None:
            if options["role"] or options["organisation"] or options["region"]:
                raise _fail(
                    _("Give either --id or --role (with its organisation or region), not both.")
                )
            found = list(memberships.filter(pk=options["membership_id"]))
        elif options["role"]:
            memberships = memberships.filter(role=options["role"], is_active=True)
            if options["organisation"]:
                memberships = memberships.filter(organisation=self._organisation(options))
            for key in ("region", "municipality"):
                if options[key]:
                    memberships = memberships.filter(**{f"{key}__iexact": options[key]})
            found = list(memberships)
        else:
            raise _fail(_("Say which membership: --id ID (see `lens users list`) or --role ROLE."))
        if not found:
            raise _fail(
                _("User %(username)r has no such active membership (see `lens users list`).")
                % {"username": name}
            )
        if len(found) > 1:
            choices = "; ".join(f"#{m.pk} {organisations.describe_membership(m)}" for m in found)
            raise _fail(
                _("More than one membership fits: %(choices)s. Give --id.") % {"choices": choices}
            )
        membership = organisations.end_membership(found[0])
        self.stdout.write(
            _("Ended membership #%(id)s of %(username)r: %(membership)s (kept in the history).")
            % {
                "id": membership.pk,
                "username": name,
                "membership": organisations.describe_membership(membership),
            }
        )

    def _list(self, options) -> None:
        User = get_user_model()
        users = (
            User._default_manager.filter(api_client__isnull=True)
            .order_by(User.USERNAME_FIELD)
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=Membership.objects.select_related("organisation").order_by(
                        "-is_active", "pk"
                    ),
                )
            )
        )
        if options["organisation"]:
            organisation = organisations.get_organisation(options["organisation"])
            users = users.filter(memberships__organisation=organisation).distinct()
        with_device = set(
            TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True)
        )
        if not users:
            self.stdout.write(_("No users."))
            return
        for user in users:
            last_login = (
                timezone.localtime(user.last_login).strftime("%Y-%m-%d")
                if user.last_login
                else _("never")
            )
            status = _("active") if user.is_active else _("DEACTIVATED")
            email = user.email or _("(no e-mail)")
            password = _("password set") if user.has_usable_password() else _("password NOT SET")
            device = _("authenticator yes") if user.pk in with_device else _("authenticator NO")
            login = _("last login %(date)s") % {"date": last_login}
            self.stdout.write(
                f"{user.get_username()}  {status} · {email} · {password} · {device} · {login}"
            )
            memberships = list(user.memberships.all())
            if not memberships:
                self.stdout.write("  " + _("(no memberships)"))
            for membership in memberships:
                ended = "" if membership.is_active else "  " + _("[ended]")
                self.stdout.write(
                    f"  #{membership.pk} {organisations.describe_membership(membership)}{ended}"
                )

    def _deactivate(self, options) -> None:
        user = organisations.deactivate_user(organisations.get_user(options["username"]))
        self.stdout.write(
            _(
                "Deactivated %(username)r: they can no longer log in and all of their "
                "sessions were ended. Their memberships and history stay."
            )
            % {"username": user.get_username()}
        )

    # --- helpers ---------------------------------------------------------------------

    @staticmethod
    def _organisation(options):
        name = options.get("organisation")
        return organisations.get_organisation(name) if name else None

    @staticmethod
    def _prompt_password(username: str) -> str:
        try:
            first = getpass(_("Password for %(username)s: ") % {"username": username})
            second = getpass(_("Again: "))
        except (EOFError, KeyboardInterrupt):
            raise _fail(_("No password entered.")) from None
        if not first:
            raise _fail(_("The password is empty."))
        if first != second:
            raise _fail(_("The two passwords differ; nothing was added."))
        return first
