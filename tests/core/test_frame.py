"""The page frame (lens/templates/base.html) on the check, the login and the registry:
each part's own brand and footer, and for logged-in users their role and a main menu
with only the pages their role may open."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from lens.data.registry import Role

pytestmark = pytest.mark.django_db

CHECK_PROMISE = "Deze check slaat niets op"
REGISTRY_FOOTER = "Elke inzage in persoonsgegevens komt in het toegangslogboek"
ACCOUNTS_FOOTER = "Uitbuitingslens bevat gegevens over kwetsbare mensen."


def url(name: str, **kwargs) -> str:
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs or None)


def part(html: str, start: str, end: str) -> str:
    at = html.index(start)
    return html[at : html.index(end, at)]


def header(response) -> str:
    return part(response.content.decode(), "<header", "</header>")


def footer(response) -> str:
    return part(response.content.decode(), "<footer", "</footer>")


def menu(response) -> dict[str, str]:
    """The main menu's links: label -> aria-current ("" when not current)."""
    nav = part(header(response), '<nav class="utrecht-nav-bar lens-nav', "</nav>")
    return {
        label: current or ""
        for current, label in re.findall(
            r'<a class="utrecht-nav-list__link[^"]*" href="[^"]+"'
            r'(?: aria-current="([a-z]+)")?>([^<]+)</a>',
            nav,
        )
    }


def test_the_anonymous_check_has_its_own_footer_and_no_account_parts(client, loaded_catalogue):
    for address in ("/", url("check:form")):
        response = client.get(address)
        assert CHECK_PROMISE in footer(response)
        assert "112" in footer(response)
        assert "lens-nav" not in header(response) and "lens-account" not in header(response)
        assert "signalencheck" in header(response)
        assert not response.cookies


def test_the_login_page_has_the_applications_footer(client):
    response = client.get(url("accounts:login"))
    assert CHECK_PROMISE not in footer(response)
    assert ACCOUNTS_FOOTER in footer(response) and "112" in footer(response)
    assert "lens-nav" not in header(response)  # not logged in yet
    assert "<title>Inloggen \u2013 Uitbuitingslens</title>" in response.content.decode()


def test_a_professional_gets_the_registry_menu(client, member, login):
    login(member(Role.PROFESSIONAL))
    response = client.get(url("registry:persons"))
    assert response.status_code == 200
    assert CHECK_PROMISE not in footer(response)
    assert REGISTRY_FOOTER in footer(response) and "112" in footer(response)
    top = header(response)
    assert "<strong>Professional</strong> · Synthetische Basisschool Het Voorbeeld" in top
    assert menu(response) == {
        "Personen": "page",
        "Registreren": "",
        "Mijn werkvoorraad": "",
        "Signalencheck": "",
    }
    assert f'action="{url("accounts:logout")}"' in top and "Uitloggen" in top
    assert 'name="csrfmiddlewaretoken"' in top
    # The registry's pages about a person belong to "Personen"; registering is its own.
    assert menu(client.get(url("registry:register"))) == {
        "Personen": "",
        "Registreren": "page",
        "Mijn werkvoorraad": "",
        "Signalencheck": "",
    }
    # The case pages belong to the work list.
    assert menu(client.get(url("cases:work_list")))["Mijn werkvoorraad"] == "page"


def dutch(label: str) -> str:
    """A menu label in Dutch as the page shows it (labels added after the last
    translation round show as their English msgid until they are translated)."""
    with translation.override("nl"):
        return str(translation.gettext(label))


def test_on_the_check_a_logged_in_user_keeps_the_menu(client, member, login, loaded_catalogue):
    login(member(Role.AANDACHTSFUNCTIONARIS))
    response = client.get(url("check:form"))
    # The aandachtsfunctionaris also answers the care coordinator's information requests.
    assert menu(response) == {
        "Personen": "",
        "Registreren": "",
        "Mijn werkvoorraad": "",
        dutch("Information requests"): "",
        "Signalencheck": "true",
    }
    assert "Aandachtsfunctionaris" in header(response)
    assert CHECK_PROMISE in footer(response)


def test_the_care_coordinator_gets_the_coordination_menu(client, member, login):
    login(member(Role.ZORGCOORDINATOR))
    response = client.get(url("core:home"), follow=True)
    assert response.redirect_chain == [(url("coordination:worklist"), 302)]
    assert menu(response) == {
        dutch("Work list"): "page",
        "Personen": "",
        dutch("Possible matches"): "",
        dutch("Network"): "",
        "Signalencheck": "",
    }
    assert "/registratie/" not in response.content.decode()  # no registry page for this role
    assert " · regio Midden-Brabant (Tilburg e.o.)</li>" in header(response)
    assert REGISTRY_FOOTER in footer(response) and CHECK_PROMISE not in footer(response)


@pytest.mark.parametrize("role", [Role.ANALIST, Role.BEHEERDER])
def test_other_roles_get_only_the_signal_check_in_the_menu(client, member, login, role):
    login(member(role))
    response = client.get(url("core:home"))
    assert menu(response) == {"Signalencheck": ""}
    assert "Uitloggen" in header(response)
    assert ACCOUNTS_FOOTER in footer(response) and CHECK_PROMISE not in footer(response)
    if role != Role.BEHEERDER:  # the region by its name in the catalogue, not its code
        assert " · regio Midden-Brabant (Tilburg e.o.)</li>" in header(response)


def test_without_a_chosen_role_the_menu_has_the_check_and_logging_out(client, member, login):
    from lens.accounts import session as account_session
    from tests.registry import factories

    first = member(Role.PROFESSIONAL)
    factories.membership(Role.ANALIST, user=first.user)
    login(first)
    session = client.session
    session.pop(account_session.MEMBERSHIP_KEY)
    session.save()
    response = client.get(url("accounts:choose-membership"))
    assert response.status_code == 200
    assert menu(response) == {"Signalencheck": ""}
    assert "Geen rol gekozen" in header(response) and "Uitloggen" in header(response)


def test_not_found_for_a_logged_in_user_leads_to_their_start_page(client, member, login):
    login(member(Role.PROFESSIONAL))
    response = client.get("/registratie/P-ZZZZ/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Naar uw startpagina" in body
    assert "signalencheck" not in body.split("<main", 1)[1].split("</main>", 1)[0].lower()


def test_not_found_for_an_anonymous_visitor_leads_to_the_check(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Naar het begin van de signalencheck" in response.content.decode()


def test_the_longest_section_prefix_marks_the_menu_entry():
    """An answer page (registry:request) belongs to "Information requests", not to the
    persons, whose section ("registry:") is a shorter match."""
    from types import SimpleNamespace

    from lens.core.context_processors import menu as build_menu

    def current(view_name: str) -> dict[str, str]:
        request = SimpleNamespace(resolver_match=SimpleNamespace(view_name=view_name))
        return {
            item["url"]: item["current"] for item in build_menu(request, Role.AANDACHTSFUNCTIONARIS)
        }

    with translation.override("nl"):
        on_answer = current("registry:request")
        on_person = current("registry:person")
        requests, persons = reverse("registry:requests"), reverse("registry:persons")
    assert (on_answer[requests], on_answer[persons]) == ("true", "")
    assert (on_person[requests], on_person[persons]) == ("", "true")
