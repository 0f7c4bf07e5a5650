"""The beheerder's tools: `lens organisations` and `lens users`, and the functions behind
them (lens.registry.organisations). All names and addresses are synthetic."""

from __future__ import annotations

import io
import shlex
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.urls import reverse
from django.utils import translation

from lens.accounts.models import UserSecurity
from lens.data.registry import Membership, Organisation, Role
from lens.registry import organisations
from lens.registry.management.commands import users as users_command
from lens.registry.management.commands.organisations import Command as OrganisationsCommand

from . import factories
from .conftest import OTHER_NOTE, OWN_NOTE

User = get_user_model()

NEW_ORG = [
    "organisations",
    "add",
    "--name",
    "Synthetisch Jongerenwerk Goirle",
    "--type",
    "youth_work",
    "--region",
    "midden_brabant",
    "--municipality",
    "goirle",
    "--contact-name",
    "Team Signalen",
    "--contact-phone",
    "013-000 00 99",
    "--contact-email",
    "signalen@jongerenwerk.example.org",
]
STRONG_PASSWORD = "paars-kanaal-wolk-1987"


def run(*args, language: str = "en") -> str:
    """Run a command; in English by default, so that the tests read the msgids (the
    operator gets LANGUAGE_CODE, Dutch: see the tests of both languages)."""
    out, err = io.StringIO(), io.StringIO()
    with translation.override(language):
        call_command(*args, stdout=out, stderr=err)
    return out.getvalue()


def refused(*args, language: str = "en") -> str:
    """Run a command that must be refused with exit status 1; returns its message."""
    with pytest.raises(CommandError) as error:
        run(*args, language=language)
    assert error.value.returncode == 1, error.value
    return str(error.value)


def with_option(args: list[str], option: str, value: str) -> list[str]:
    changed = list(args)
    changed[changed.index(option) + 1] = value
    return changed


@pytest.fixture
def org(active):
    return factories.organisation("Synthetische School Tilburg")


# --- organisations -------------------------------------------------------------------


def test_add_organisation(active):
    out = run(*NEW_ORG)
    organisation = Organisation.objects.get()
    assert organisation.name == "Synthetisch Jongerenwerk Goirle"
    assert organisation.organisation_type == "youth_work"
    assert organisation.region == "midden_brabant"
    assert organisation.municipality == "Goirle"  # the catalogue's spelling
    assert organisation.contact_email == "signalen@jongerenwerk.example.org"
    assert "Added organisation 'Synthetisch Jongerenwerk Goirle'" in out
    assert "lens users add" in out


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--type", "bakery", "Unknown organisation type 'bakery'"),
        ("--region", "atlantis", "Unknown region 'atlantis'"),
        ("--municipality", "Amsterdam", "'Amsterdam' is not a municipality of region"),
        ("--contact-email", "not-an-address", "is not an e-mail address"),
        ("--contact-phone", "call me maybe", "is not a phone number"),
        ("--contact-name", "  ", "Give a contact name"),
        ("--name", " ", "Give the organisation a name"),
    ],
)
def test_add_organisation_refuses_bad_input(active, option, value, expected):
    message = refused(*with_option(NEW_ORG, option, value))
    assert expected in message
    assert not Organisation.objects.exists()


def test_unknown_codes_are_explained_in_dutch_by_default_with_the_known_ones(active):
    assert translation.get_language() == "nl"  # LANGUAGE_CODE: what `lens` runs in
    message = refused(*with_option(NEW_ORG, "--type", "bakery"), language="nl")
    assert "Onbekend organisatietype 'bakery'. Bekend: " in message
    assert "general_practitioner" in message and "youth_work" in message
    message = refused(*with_option(NEW_ORG, "--region", "atlantis"), language="nl")
    assert "Onbekende regio" in message and "midden_brabant" in message
    message = refused(*with_option(NEW_ORG, "--type", "bakery"))
    assert "Unknown organisation type 'bakery'. Known: " in message


def test_the_operator_reads_dutch_by_default_from_start_to_end(active):
    """What `lens organisations` and `lens users` print, not only their refusals, is in
    LANGUAGE_CODE (Dutch): no English line between Dutch ones."""
    assert translation.get_language() == "nl"
    added = run(*NEW_ORG, language="nl")
    assert "Organisatie 'Synthetisch Jongerenwerk Goirle' toegevoegd" in added
    assert "Volgende stap: voeg de gebruikers toe met" in added
    listed = run("organisations", "list", language="nl")
    assert "regio midden_brabant, Goirle · 0 actieve leden" in listed
    user = run("users", "add", "synthetic-nl", "--email", "nl@example.org", language="nl")
    assert "Gebruiker 'synthetic-nl' toegevoegd" in user and "Volgende stappen:" in user
    for english in ("Added", "Next", "region ", "active member", "set a password", "give a role"):
        assert english not in added + listed + user, english
    assert "Geen organisaties." in run("organisations", "list", "--region", "x", language="nl")


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://x")', "De 'Spil' $HOME", "Jeugd & Gezin; rm -rf x"]
)
def test_the_next_step_can_be_pasted_into_a_shell(active, name):
    """The hint names the organisation quoted for a POSIX shell (shlex.quote): pasted, it
    passes the name as one argument, whatever quotes or characters it holds."""
    out = run(*with_option(NEW_ORG, "--name", name))
    hint = out[out.index("`") + 1 : out.rindex("`")]
    words = shlex.split(hint)
    assert words[:3] == ["lens", "users", "add"]
    assert words[words.index("--organisation") + 1] == name
    assert Organisation.objects.get().name == name


def test_add_organisation_refuses_a_duplicate_name(active):
    run(*NEW_ORG)
    message = refused(*with_option(NEW_ORG, "--name", "synthetisch jongerenwerk GOIRLE"))
    assert "already exists" in message
    assert "bestaat al" in refused(
        *with_option(NEW_ORG, "--name", "synthetisch jongerenwerk GOIRLE"), language="nl"
    )
    assert Organisation.objects.count() == 1


def test_without_a_catalogue_nothing_is_added(db):
    message = refused(*NEW_ORG)
    assert "lens catalogue load" in message
    assert not Organisation.objects.exists()


def test_list_organisations_shows_no_person_data(world):
    out = run("organisations", "list")
    assert world.own.name in out and world.other.name in out
    assert "type school" in out and "region midden_brabant, Tilburg" in out
    assert "2 active members" in out  # professional + aandachtsfunctionaris
    for secret in (
        world.own_person.pseudonym,
        world.other_person.pseudonym,
        OWN_NOTE,
        OTHER_NOTE,
    ):
        assert secret not in out
    assert run("organisations", "list", "--region", "amsterdam") == "No organisations.\n"


def test_set_contact_changes_only_what_is_given(org):
    out = run("organisations", "set-contact", org.name, "--contact-phone", "013-000 00 42")
    org.refresh_from_db()
    assert org.contact_phone == "013-000 00 42"
    assert org.contact_name.startswith("Contact ")  # unchanged
    assert "013-000 00 42" in out


def test_set_contact_refuses_bad_input_and_changes_nothing(org):
    before = (org.contact_name, org.contact_phone, org.contact_email)
    message = refused(
        "organisations",
        "set-contact",
        org.name,
        "--contact-name",
        "Nieuw Team",
        "--contact-email",
        "kapot@",
    )
    assert "is not an e-mail address" in message
    org.refresh_from_db()
    assert (org.contact_name, org.contact_phone, org.contact_email) == before
    assert "Give the contact name, phone or e-mail" in refused(
        "organisations", "set-contact", org.name
    )
    assert "No organisation named 'Nergens'" in refused(
        "organisations", "set-contact", "Nergens", "--contact-name", "X"
    )


# --- users ---------------------------------------------------------------------------


def test_add_user_without_password(active):
    out = run("users", "add", "synthetic-anna", "--email", "anna@example.org")
    user = User.objects.get(username="synthetic-anna")
    assert user.email == "anna@example.org"
    assert user.is_active and not user.has_usable_password()
    assert not user.memberships.exists()
    assert "lens changepassword synthetic-anna" in out
    assert "lens accounts enrol-totp synthetic-anna" in out
    assert "lens users add-membership synthetic-anna" in out


def test_add_user_with_prompted_password(active, monkeypatch):
    answers = iter([STRONG_PASSWORD, STRONG_PASSWORD])
    monkeypatch.setattr(users_command, "getpass", lambda prompt="": next(answers))
    out = run("users", "add", "synthetic-bram", "--email", "bram@example.org", "--password-prompt")
    user = User.objects.get(username="synthetic-bram")
    assert user.check_password(STRONG_PASSWORD)
    assert "changepassword" not in out
    assert "lens accounts enrol-totp synthetic-bram" in out


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ([STRONG_PASSWORD, STRONG_PASSWORD + "x"], "The two passwords differ"),
        (["kort", "kort"], "The password is not accepted"),
        (["", ""], "The password is empty"),
    ],
)
def test_add_user_refuses_a_bad_password(active, monkeypatch, answers, expected):
    feed = iter(answers)
    monkeypatch.setattr(users_command, "getpass", lambda prompt="": next(feed))
    message = refused(
        "users", "add", "synthetic-cor", "--email", "cor@example.org", "--password-prompt"
    )
    assert expected in message
    assert not User.objects.filter(username="synthetic-cor").exists()


@pytest.mark.parametrize(
    ("username", "email", "expected"),
    [
        ("synthetic anna", "anna@example.org", "is not a valid username"),
        ("synthetic-anna", "anna-at-example", "is not an e-mail address"),
    ],
)
def test_add_user_refuses_bad_input(active, username, email, expected):
    assert expected in refused("users", "add", username, "--email", email)
    assert not User.objects.exists()


def test_add_user_refuses_a_duplicate_username(active):
    factories.user("synthetic-dirk")
    message = refused("users", "add", "Synthetic-Dirk", "--email", "dirk@example.org")
    assert "A user named 'Synthetic-Dirk' already exists" in message
    message = refused("users", "add", "Synthetic-Dirk", "--email", "x@example.org", language="nl")
    assert "Er bestaat al een gebruiker met de naam 'Synthetic-Dirk'" in message
    assert User.objects.count() == 1


def test_add_user_with_a_first_membership(org):
    out = run(
        "users",
        "add",
        "synthetic-eva",
        "--email",
        "eva@example.org",
        "--role",
        "professional",
        "--organisation",
        org.name,
    )
    membership = Membership.objects.get(user__username="synthetic-eva")
    assert (membership.role, membership.organisation) == (Role.PROFESSIONAL, org)
    assert f"professional · {org.name}" in out
    assert "add-membership" not in out


@pytest.mark.parametrize(
    "scope",
    [
        ["--role", "analist"],  # no region
        ["--role", "professional", "--region", "midden_brabant"],  # no organisation
        ["--role", "analist", "--region", "atlantis"],
        ["--role", "bakker"],
        ["--region", "midden_brabant"],  # no role
        ["--role", "professional", "--organisation", "Nergens"],
    ],
)
def test_add_user_writes_nothing_when_the_membership_is_refused(org, scope):
    refused("users", "add", "synthetic-fleur", "--email", "fleur@example.org", *scope)
    assert not User.objects.filter(username="synthetic-fleur").exists()
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    ("role", "scope", "expected"),
    [
        ("professional", ["--organisation", "ORG"], ("ORG", "", "")),
        ("aandachtsfunctionaris", ["--organisation", "ORG"], ("ORG", "", "")),
        ("zorgcoordinator", ["--region", "amsterdam"], (None, "amsterdam", "")),
        (
            "analist",
            ["--region", "midden_brabant", "--municipality", "tilburg"],
            (None, "midden_brabant", "Tilburg"),
        ),
        ("beheerder", [], (None, "", "")),
    ],
)
def test_add_membership_for_every_role(org, role, scope, expected):
    user = factories.user("synthetic-gijs")
    scope = [org.name if value == "ORG" else value for value in scope]
    out = run("users", "add-membership", "synthetic-gijs", "--role", role, *scope)
    membership = Membership.objects.get(user=user)
    organisation = org if expected[0] == "ORG" else None
    assert (membership.role, membership.organisation, membership.region) == (
        role,
        organisation,
        expected[1],
    )
    assert membership.municipality == expected[2]
    assert membership.is_active
    assert f"membership #{membership.pk}" in out


@pytest.mark.parametrize(
    ("role", "scope", "expected"),
    [
        ("professional", [], "belongs to an organisation"),
        ("aandachtsfunctionaris", ["--region", "midden_brabant"], "belongs to an organisation"),
        ("professional", ["--organisation", "ORG", "--region", "amsterdam"], "give neither"),
        ("zorgcoordinator", [], "belongs to a region"),
        ("analist", ["--organisation", "ORG", "--region", "amsterdam"], "not to an organisation"),
        ("analist", ["--region", "atlantis"], "Unknown region 'atlantis'"),
        ("analist", ["--region", "amsterdam", "--municipality", "Tilburg"], "not a municipality"),
        ("beheerder", ["--organisation", "ORG"], "belongs to no organisation"),
        ("beheerder", ["--region", "amsterdam"], "belongs to no organisation"),
        ("teacher", [], "Unknown role 'teacher'"),
    ],
)
def test_add_membership_refuses_a_scope_that_does_not_fit_the_role(org, role, scope, expected):
    factories.user("synthetic-hanna")
    scope = [org.name if value == "ORG" else value for value in scope]
    message = refused("users", "add-membership", "synthetic-hanna", "--role", role, *scope)
    assert expected in message
    assert not Membership.objects.exists()


def test_add_membership_refuses_unknown_user_organisation_and_duplicates(org):
    assert "No user 'nobody-synthetic'" in refused(
        "users", "add-membership", "nobody-synthetic", "--role", "beheerder"
    )
    user = factories.user("synthetic-ilse")
    as_professional = ["users", "add-membership", "synthetic-ilse", "--role", "professional"]
    assert "No organisation named 'Nergens'" in refused(
        *as_professional, "--organisation", "Nergens"
    )
    run(*as_professional, "--organisation", org.name)
    message = refused(*as_professional, "--organisation", org.name)
    assert "already has this membership" in message
    assert Membership.objects.filter(user=user).count() == 1


def test_add_membership_refuses_a_deactivated_user(org):
    user = factories.user("synthetic-joost")
    organisations.deactivate_user(user)
    message = refused("users", "add-membership", "synthetic-joost", "--role", "beheerder")
    assert "is deactivated" in message
    assert not Membership.objects.exists()


def test_end_membership_keeps_the_row(org):
    membership = factories.membership(Role.PROFESSIONAL, org)
    username = membership.user.username
    out = run(
        "users", "end-membership", username, "--role", "professional", "--organisation", org.name
    )
    membership.refresh_from_db()
    assert not membership.is_active
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert f"Ended membership #{membership.pk}" in out
    # Ending it again is refused; a new membership of the same kind may be given.
    assert "already ended" in refused(
        "users", "end-membership", username, "--id", str(membership.pk)
    )
    run("users", "add-membership", username, "--role", "professional", "--organisation", org.name)
    assert Membership.objects.filter(user=membership.user).count() == 2


def test_end_membership_by_id_and_its_refusals(org):
    first = factories.membership(Role.ANALIST, region="midden_brabant")
    user = first.user
    second = factories.membership(Role.ANALIST, region="amsterdam", user=user)
    other = factories.membership(Role.BEHEERDER)
    message = refused("users", "end-membership", user.username, "--role", "analist")
    assert "More than one membership fits" in message
    assert f"#{first.pk}" in message and f"#{second.pk}" in message
    # Someone else's membership number is not found.
    assert "no such active membership" in refused(
        "users", "end-membership", user.username, "--id", str(other.pk)
    )
    assert "Say which membership" in refused("users", "end-membership", user.username)
    assert "No user" in refused("users", "end-membership", "nobody-synthetic", "--id", "1")
    run("users", "end-membership", user.username, "--id", str(second.pk))
    for membership in (first, second, other):
        membership.refresh_from_db()
    assert (first.is_active, second.is_active, other.is_active) == (True, False, True)


def test_list_users_shows_roles_and_no_person_data(world):
    out = run("users", "list")
    professional = world.members[Role.PROFESSIONAL]
    assert professional.user.username in out
    assert f"#{professional.pk} professional · {world.own.name}" in out
    assert "analist · region midden_brabant" in out
    assert "beheerder · (everywhere)" in out
    assert "password set" in out
    for secret in (
        world.own_person.pseudonym,
        world.other_person.pseudonym,
        OWN_NOTE,
        OTHER_NOTE,
    ):
        assert secret not in out
    only_own = run("users", "list", "--organisation", world.own.name)
    assert professional.user.username in only_own
    assert world.other_professional.user.username not in only_own
    assert world.members[Role.BEHEERDER].user.username not in only_own


def test_list_users_marks_ended_memberships_and_deactivated_users(org):
    membership = factories.membership(Role.PROFESSIONAL, org)
    organisations.end_membership(membership)
    organisations.deactivate_user(membership.user)
    out = run("users", "list")
    assert "DEACTIVATED" in out
    assert f"#{membership.pk} professional · {org.name}  [ended]" in out


def test_deactivate_logs_the_user_out_everywhere(world, login):
    membership = world.members[Role.PROFESSIONAL]
    client = login(membership)
    assert client.get(reverse("registry:persons")).status_code == 200
    out = run("users", "deactivate", membership.user.username)
    membership.user.refresh_from_db()
    assert not membership.user.is_active
    assert UserSecurity.objects.get(user=membership.user).session_epoch == 1
    assert "all of their sessions were ended" in out
    response = client.get(reverse("registry:persons"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    # The memberships stay (history); deactivating again is refused.
    assert Membership.objects.filter(pk=membership.pk, is_active=True).exists()
    assert "already deactivated" in refused("users", "deactivate", membership.user.username)
    assert "No user" in refused("users", "deactivate", "nobody-synthetic")


# --- the functions directly ----------------------------------------------------------


def test_functions_raise_validation_errors_per_field(active):
    with pytest.raises(ValidationError) as error:
        organisations.create_organisation(
            "X", "bakery", "atlantis", "", "", "geen nummer", "geen-adres"
        )
    assert set(error.value.message_dict) == {
        "organisation_type",
        "region",
        "contact_name",
        "contact_phone",
        "contact_email",
    }
    user = organisations.create_user("synthetic-kees", "kees@example.org")
    with pytest.raises(ValidationError) as error:
        organisations.add_membership(user, Role.PROFESSIONAL, region="amsterdam")
    assert set(error.value.message_dict) == {"organisation", "region"}


# --- the command line ----------------------------------------------------------------


def test_exit_status_and_message_without_traceback(org, monkeypatch, capsys):
    """As the `lens` console script runs it: exit status 1 and the message on stderr."""
    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test database
    with pytest.raises(SystemExit) as exited:
        OrganisationsCommand().run_from_argv(
            ["lens", "organisations", *with_option(NEW_ORG, "--type", "bakery")[1:]]
        )
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "Onbekend organisatietype 'bakery'" in err  # the operator's default: Dutch
    assert "Traceback" not in err
    with pytest.raises(SystemExit) as exited:
        users_command.Command().run_from_argv(
            ["lens", "users", "add-membership", "nobody-synthetic", "--role", "beheerder"]
        )
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "Geen gebruiker 'nobody-synthetic'" in err and "Traceback" not in err
    # A wrong command line is a usage error: exit status 2, as for every other command.
    with pytest.raises(SystemExit) as exited:
        users_command.Command().run_from_argv(["lens", "users", "add", "--email", "x@example.org"])
    assert exited.value.code == 2
    assert "the following arguments are required: username" in capsys.readouterr().err


COMMANDS = {"organisations": OrganisationsCommand, "users": users_command.Command}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["organisations"], "catalogue"),
        (["organisations", "add"], "--contact-email"),
        (["organisations", "list"], "no person data"),
        (["organisations", "set-contact"], "stays as it is"),
        (["users"], "Nothing is ever deleted"),
        (["users", "add"], "lens changepassword USERNAME"),
        (["users", "add-membership"], "beheerder to neither"),
        (["users", "end-membership"], "never deleted"),
        (["users", "list"], "no person data"),
        (["users", "deactivate"], "every session"),
    ],
)
def test_help_explains_each_task(args, expected, capsys):
    parser = COMMANDS[args[0]]().create_parser("lens", args[0])
    with pytest.raises(SystemExit) as exited:
        parser.parse_args([*args[1:], "--help"])
    assert exited.value.code == 0
    assert expected in " ".join(capsys.readouterr().out.split())


def test_lens_lists_the_commands():
    result = subprocess.run(
        [sys.executable, "-c", "from lens.cli import main; main(['lens', 'users', '--help'])"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: lens users" in result.stdout
