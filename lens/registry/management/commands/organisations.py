"""`lens organisations add | list | set-contact`: the beheerder's organisations.

lens organisations add --name NAME --type CODE --region CODE [--municipality NAME]
                       --contact-name NAME --contact-phone PHONE --contact-email EMAIL
lens organisations list [--region CODE]
lens organisations set-contact NAME [--contact-name ...] [--contact-phone ...] [--contact-email ...]

What the operator commands print goes through gettext (English msgids, Dutch in
lens/locale): the commands run in settings.LANGUAGE_CODE, Dutch, as the application's
refusals do. Argument help stays English, as Django's own.
"""

from __future__ import annotations

import argparse
import shlex

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lens.data.registry import Organisation
from lens.registry import organisations

CONTACT_HELP = (
    "The contact is what other organisations involved with the same person see, so that "
    "they can get in touch: use a role or team address and phone where possible "
    "(e.g. the aandachtsfunctionaris), not someone's private number."
)


def refused(error: ValidationError) -> CommandError:
    """A ValidationError as the command's error: its messages, exit status 1."""
    return CommandError("\n".join(error.messages), returncode=1)


class Command(BaseCommand):
    help = (
        "The administrator's (beheerder's) organisations: add one, list them, change an "
        "organisation's contact. Type and region are codes from the active catalogue "
        "(catalogue/organisation_types.yaml and regions.yaml); an unknown code is refused "
        "with the list of known ones. Run `lens organisations <task> --help` for each task."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        tasks = parser.add_subparsers(dest="task", required=True, metavar="TASK")

        add = tasks.add_parser(
            "add",
            help="add an organisation",
            description=(
                "Add an organisation that registers signals. Its users are added with "
                "`lens users add` and `lens users add-membership`. " + CONTACT_HELP
            ),
        )
        add.add_argument("--name", required=True, help="the organisation's name (unique)")
        add.add_argument(
            "--type",
            required=True,
            dest="organisation_type",
            metavar="CODE",
            help="organisation type code from the catalogue, e.g. school, youth_care, "
            "general_practitioner, police",
        )
        add.add_argument(
            "--region",
            required=True,
            metavar="CODE",
            help="region code from the catalogue, e.g. midden_brabant, amsterdam; it decides "
            "the regional contacts and which zorgcoördinator sees the organisation's signals",
        )
        add.add_argument(
            "--municipality",
            default="",
            metavar="NAME",
            help="the municipality, one of the region's in the catalogue (e.g. Tilburg); "
            "used for the local picture",
        )
        self._contact_arguments(add, required=True)

        listing = tasks.add_parser(
            "list",
            help="list the organisations",
            description=(
                "List every organisation: type, region, municipality, number of active "
                "members and contact. It shows no person data."
            ),
        )
        listing.add_argument("--region", default="", metavar="CODE", help="only this region")

        contact = tasks.add_parser(
            "set-contact",
            help="change an organisation's contact",
            description=(
                "Change an organisation's contact name, phone and/or e-mail; what is not "
                "given stays as it is. " + CONTACT_HELP
            ),
        )
        contact.add_argument("name", help="the organisation's name (see `list`)")
        self._contact_arguments(contact, required=False)

    @staticmethod
    def _contact_arguments(parser: argparse.ArgumentParser, *, required: bool) -> None:
        parser.add_argument(
            "--contact-name", required=required, metavar="NAME", help="contact person or team"
        )
        parser.add_argument(
            "--contact-phone", required=required, metavar="PHONE", help="e.g. 013-123 45 67"
        )
        parser.add_argument(
            "--contact-email", required=required, metavar="EMAIL", help="e.g. signalen@..."
        )

    def handle(self, *args, task: str, **options) -> None:
        try:
            {"add": self._add, "list": self._list, "set-contact": self._set_contact}[task](options)
        except ValidationError as error:
            raise refused(error) from None

    def _add(self, options) -> None:
        organisation = organisations.create_organisation(
            name=options["name"],
            organisation_type=options["organisation_type"],
            region=options["region"],
            municipality=options["municipality"],
            contact_name=options["contact_name"],
            contact_phone=options["contact_phone"],
            contact_email=options["contact_email"],
        )
        place = organisation.region + (
            f", {organisation.municipality}" if organisation.municipality else ""
        )
        self.stdout.write(
            _("Added organisation %(name)r (%(type)s, region %(place)s).")
            % {"name": organisation.name, "type": organisation.organisation_type, "place": place}
        )
        # Quoted for the shell: the name is the operator's own text (quotes, "$", "=").
        command = (
            "lens users add USERNAME --email EMAIL --role professional --organisation "
            + shlex.quote(organisation.name)
        )
        self.stdout.write(_("Next: add its users with `%(command)s`.") % {"command": command})

    def _list(self, options) -> None:
        rows = Organisation.objects.annotate(
            active_members=Count("members", filter=Q(members__is_active=True))
        ).order_by("name")
        if options["region"]:
            rows = rows.filter(region=options["region"])
        if not rows:
            self.stdout.write(_("No organisations."))
            return
        for organisation in rows:
            place = organisation.region + (
                f", {organisation.municipality}" if organisation.municipality else ""
            )
            self.stdout.write(
                f"{organisation.name}\n  "
                + ngettext(
                    "type %(type)s · region %(place)s · %(count)d active member",
                    "type %(type)s · region %(place)s · %(count)d active members",
                    organisation.active_members,
                )
                % {
                    "type": organisation.organisation_type,
                    "place": place,
                    "count": organisation.active_members,
                }
                + "\n  "
                + _("contact: %(name)s, %(phone)s, %(email)s")
                % {
                    "name": organisation.contact_name,
                    "phone": organisation.contact_phone,
                    "email": organisation.contact_email,
                }
            )

    def _set_contact(self, options) -> None:
        organisation = organisations.update_organisation_contact(
            organisations.get_organisation(options["name"]),
            contact_name=options["contact_name"],
            contact_phone=options["contact_phone"],
            contact_email=options["contact_email"],
        )
        self.stdout.write(
            _("Contact of %(name)r is now: %(contact)s, %(phone)s, %(email)s.")
            % {
                "name": organisation.name,
                "contact": organisation.contact_name,
                "phone": organisation.contact_phone,
                "email": organisation.contact_email,
            }
        )
