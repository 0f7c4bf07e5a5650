"""`lens apiclient create | list | revoke`: the API clients of organisations' own systems."""

from __future__ import annotations

import argparse

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.api import actions
from lens.api.models import ApiClient
from lens.data.registry import Organisation


class Command(BaseCommand):
    help = (
        "Manage the REST API's clients: one per system of an organisation. "
        "Run `apiclient <subcommand> --help` for each one."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="subcommand")
        create = subcommands.add_parser(
            "create",
            help="create a client and print its token (once)",
            description=(
                "Create an API client for an organisation and print its token. The token is "
                "shown only now: store it in the calling system's secrets. The client acts "
                "as a professional of its organisation, under the same access policy and "
                "access log as the web pages."
            ),
        )
        create.add_argument("--organisation", required=True, help="the organisation's name")
        create.add_argument("--name", required=True, help="the client's name, e.g. the system")
        subcommands.add_parser(
            "list",
            help="list every client: prefix, organisation, name, created, revoked",
            description="List every API client; tokens are identified by their first characters.",
        )
        revoke = subcommands.add_parser(
            "revoke",
            help="revoke a client by its token prefix",
            description=(
                "Revoke the API client whose token starts with PREFIX (see `apiclient list`). "
                "Its requests get 401 from then on; the client stays listed."
            ),
        )
        revoke.add_argument("prefix", help="the token prefix `apiclient list` shows")

    def handle(self, *args, **options) -> None:
        getattr(self, f"_{options['subcommand']}")(options)

    def _create(self, options) -> None:
        try:
            organisation = Organisation.objects.get(name=options["organisation"])
        except Organisation.DoesNotExist:
            raise CommandError(
                _("No organisation named %(name)r.") % {"name": options["organisation"]}
            ) from None
        try:
            client, token = actions.create_client(organisation, options["name"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _("Created API client %(name)r for %(organisation)s (prefix %(prefix)s).")
            % {
                "name": client.name,
                "organisation": organisation.name,
                "prefix": client.token_prefix,
            }
            + "\n"
            + _("Token (shown only this once; store it now):")
            + "\n"
        )
        self.stdout.write(token)
        self.stdout.write(
            "\n" + _("Send it in every request as the header `Authorization: Token <token>`.")
        )

    def _list(self, options) -> None:
        clients = ApiClient.objects.select_related("organisation").order_by("created_at", "pk")
        if not clients:
            self.stdout.write(_("No API clients."))
            return
        prefix, created, status = _("prefix"), _("created"), _("status")
        self.stdout.write(f"{prefix:<9} {created:<17} {status:<25} " + _("organisation / name"))
        for client in clients:
            created = timezone.localtime(client.created_at).strftime("%Y-%m-%d %H:%M")
            if client.revoked_at:
                status = _("revoked %(at)s") % {
                    "at": timezone.localtime(client.revoked_at).strftime("%Y-%m-%d %H:%M")
                }
            else:
                status = _("active")
            self.stdout.write(
                f"{client.token_prefix:<9} {created:<17} {status:<25} "
                f"{client.organisation.name} / {client.name}"
            )

    def _revoke(self, options) -> None:
        try:
            client = ApiClient.objects.get(token_prefix=options["prefix"])
        except ApiClient.DoesNotExist:
            raise CommandError(
                _("No API client with prefix %(prefix)r.") % {"prefix": options["prefix"]}
            ) from None
        try:
            client = actions.revoke_client(client)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _("Revoked API client %(name)r of %(organisation)s (prefix %(prefix)s).")
            % {
                "name": client.name,
                "organisation": client.organisation.name,
                "prefix": client.token_prefix,
            }
        )
