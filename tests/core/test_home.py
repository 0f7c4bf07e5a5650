"""The landing page after logging in (lens.core.views.home), for every role.

Professionals and aandachtsfunctionarissen go on to their organisation's persons, the
zorgcoördinator to the work list of their region; the analist and beheerder read what
the application offers them today, with no person data and no links to pages their role
may not open.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import translation

from lens.access import routes
from lens.accounts import session as account_session
from lens.data.registry import Role
from tests.registry import factories

from .conftest import COORDINATION_ROLES, OTHER_ROLES, REGISTRY_ROLES, ROLES

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "nl", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def text(response) -> str:
    body = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def main(response) -> str:
    body = response.content.decode()
    return body[body.index('<main id="main"') : body.index("</main>")]


# What each role is told, in Dutch: (sentences that must be there, sentences that must not).
PROMISES = {
    Role.ANALIST: (
        [
            "U werkt als analist voor de regio Midden-Brabant (Tilburg e.o.).",
            "De anonieme signalencheck",
            "Open het lokale beeld",
            "nooit over afzonderlijke personen",
        ],
        ["Het gezamenlijke beeld over organisaties heen", "lens catalogue"],
    ),
    Role.BEHEERDER: (
        [
            "U werkt als beheerder van Uitbuitingslens.",
            "lens catalogue load",
            "lens accounts enrol-totp USERNAME",
            "lens accounts unlock USERNAME",
            "lens accounts logout-everywhere USERNAME",
            "beheerders zien nooit persoonsgegevens",
            # The audit page exists and is linked here: the text says so.
            "Hier kunt u alleen het auditlog van het beheer lezen",
            "lens audit export",
        ],
        [
            "Het lokale beeld komt nog",
            "Het gezamenlijke beeld",
            "Nog niet beschikbaar",
            "geen beheerschermen",
        ],
    ),
}


def test_the_landing_page_is_where_a_login_ends():
    assert resolve_url(settings.LOGIN_REDIRECT_URL) == url("core:home") == "/welkom/"


def test_every_logged_in_role_may_open_it():
    permission = routes.ROUTES["core:home"]
    assert permission.roles == frozenset(ROLES)
    assert not permission.public


@pytest.mark.parametrize("role", REGISTRY_ROLES)
def test_registry_roles_go_on_to_their_persons(client, member, login, role):
    login(member(role))
    response = client.get(url("core:home"))
    assert response.status_code == 302
    assert response["Location"] == url("registry:persons")
    assert client.get(response["Location"]).status_code == 200
    # in English too
    response = client.get(url("core:home", "en"))
    assert response["Location"] == url("registry:persons", "en")


@pytest.mark.parametrize("role", COORDINATION_ROLES)
def test_the_care_coordinator_goes_on_to_the_work_list(client, member, login, role):
    login(member(role))
    response = client.get(url("core:home"))
    assert response.status_code == 302
    assert response["Location"] == url("coordination:worklist") == "/regie/"
    assert client.get(response["Location"]).status_code == 200
    # in English too
    response = client.get(url("core:home", "en"))
    assert response["Location"] == url("coordination:worklist", "en") == "/en/regie/"


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_read_what_the_application_offers_them(client, member, login, role):
    # A person of some organisation exists: nothing about it may show on the page.
    professional = member(Role.PROFESSIONAL)
    person = factories.person(factories.actor(professional))
    factories.registration(factories.actor(professional), person, context_note="Geheim-123")

    login(member(role))
    response = client.get(url("core:home"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")  # never_cache
    body = text(response)
    must, must_not = PROMISES[role]
    for sentence in must:
        assert sentence in body, sentence
    for sentence in must_not:
        assert sentence not in body, sentence
    html = response.content.decode()
    assert person.pseudonym not in html and "Geheim-123" not in html
    # No link to a page the role may not open: no registry page, in the menu or anywhere.
    assert "/registratie/" not in html
    assert f'href="{url("check:start")}"' in html  # the menu's signal check, always
    if role != Role.BEHEERDER:
        assert f'href="{url("check:start")}"' in main(response)  # and a button to it


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_the_landing_page_in_english(client, member, login, role):
    login(member(role))
    response = client.get(url("core:home", "en"))
    assert response.status_code == 200
    body = text(response)
    assert "Welcome to Uitbuitingslens" in body
    assert "What you can do here today" in body
    # nothing is announced as "still to come": the analist has the local picture
    assert "Not there yet" not in body
    assert ("Open the local picture" in body) == (role == Role.ANALIST)
    assert 'href="/welkom/" lang="nl"' in response.content.decode()  # the language switch


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get(url("core:home"))
    assert response.status_code == 302
    assert response["Location"] == url("accounts:login") + "?next=/welkom/"


def test_with_two_roles_and_none_chosen_it_asks_which_one(client, member, login):
    analist = member(Role.ANALIST)
    factories.membership(Role.ZORGCOORDINATOR, user=analist.user)
    login(analist)
    session = client.session
    session.pop(account_session.MEMBERSHIP_KEY)
    session.save()
    response = client.get(url("core:home"))
    assert response["Location"].startswith(url("accounts:choose-membership"))


def test_only_get_and_head(client, member, login):
    login(member(Role.ANALIST))
    assert client.head(url("core:home")).status_code == 200
    assert client.post(url("core:home")).status_code == 405
