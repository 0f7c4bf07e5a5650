"""The public statements (lens.core.statements): the privacy statement at /privacy/ and
the accessibility statement at /toegankelijkheid/ (English: /en/privacy/,
/en/accessibility/), open to everyone, linked from every page's footer, and the privacy
statement's figures are the settings in force."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from lens.check.forms import signal_field_name
from lens.core import statements
from lens.data.registry import Role
from lens.insight.disclosure import THRESHOLD

pytestmark = pytest.mark.django_db

PAGES = ["statements:privacy", "statements:accessibility"]
LANGUAGES = ["nl", "en"]


def url(name: str, language: str = "nl") -> str:
    with translation.override(language):
        return reverse(name)


def text(response) -> str:
    body = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def footer(response) -> str:
    body = response.content.decode()
    return body[body.index("<footer") : body.index("</footer>")]


def test_the_addresses():
    assert url("statements:privacy") == "/privacy/"
    assert url("statements:privacy", "en") == "/en/privacy/"
    assert url("statements:accessibility") == "/toegankelijkheid/"
    assert url("statements:accessibility", "en") == "/en/accessibility/"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_open_to_anonymous_visitors_in_both_languages(client, name, language):
    response = client.get(url(name, language))
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}"' in body
    assert body.count("<h1 ") == 1
    assert len(re.findall(r'<h2 class="utrecht-heading-2"', body)) >= 5
    assert not response.cookies, "a public page sets no cookie"


HEADINGS = {
    ("statements:privacy", "nl"): [
        "Privacyverklaring",
        "De anonieme signalencheck slaat niets op",
        "Uw rechten",
        "Het toegangslogboek (NEN 7513)",
    ],
    ("statements:privacy", "en"): [
        "Privacy statement",
        "The anonymous signal check stores nothing",
        "Your rights",
        "The access log (NEN 7513)",
    ],
    ("statements:accessibility", "nl"): [
        "Toegankelijkheidsverklaring",
        "Voldoet gedeeltelijk",
        "Bekende beperkingen",
        "axe-core",
    ],
    ("statements:accessibility", "en"): [
        "Accessibility statement",
        "Partially compliant",
        "Known limitations",
        "axe-core",
    ],
}


@pytest.mark.parametrize(("name", "language"), list(HEADINGS))
def test_the_page_speaks_the_language_of_its_address(client, name, language):
    page = text(client.get(url(name, language)))
    for expected in HEADINGS[(name, language)]:
        assert expected in page, expected


def footer_links(response, language: str) -> None:
    links = footer(response)
    for name in PAGES:
        assert f'href="{url(name, language)}"' in links, name


@pytest.mark.parametrize("language", LANGUAGES)
def test_linked_from_the_footer_of_the_check(client, loaded_catalogue, language):
    for name in ["check:start", "check:form"]:
        response = client.get(url(name, language))
        assert response.status_code == 200
        footer_links(response, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_linked_from_the_footer_of_a_logged_in_page(client, member, login, language):
    login(member(Role.ANALIST))
    response = client.get(url("core:home", language))
    assert response.status_code == 200
    footer_links(response, language)
    # and the statement itself, opened while logged in, keeps the logged-in frame
    response = client.get(url("statements:privacy", language))
    assert response.status_code == 200
    footer_links(response, language)


def test_linked_from_the_footer_of_the_registry(client, member, login):
    login(member(Role.PROFESSIONAL))
    response = client.get(url("registry:persons"))
    assert response.status_code == 200
    footer_links(response, "nl")


def test_linked_from_the_footer_of_the_login_and_the_404_page(client):
    footer_links(client.get(url("accounts:login")), "nl")
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    footer_links(response, "nl")


def test_the_periods_are_the_settings_in_force(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 7 * 60
    settings.SESSION_COOKIE_AGE = 43 * 60
    settings.AXES_FAILURE_LIMIT = 9
    settings.AXES_COOLOFF_TIME = 0.5  # hours
    page = text(client.get(url("statements:privacy")))
    assert "na 7 minuten zonder activiteit" in page
    assert "hoogstens 43 minuten" in page
    assert "Na 9 mislukte pogingen" in page
    assert "30 minuten geblokkeerd" in page
    assert f"aantallen onder {THRESHOLD}" in page


def test_the_default_periods(client, settings):
    page = text(client.get(url("statements:privacy", "en")))
    retention = statements.retention()
    assert retention["session_idle_minutes"] == settings.SESSION_IDLE_TIMEOUT // 60
    assert f"after {retention['session_idle_minutes']} minutes without activity" in page
    assert f"at most {retention['session_max_minutes']} minutes" in page
    assert f"After {settings.AXES_FAILURE_LIMIT} failed logins" in page
    assert f"locked for {round(settings.AXES_COOLOFF_TIME * 60)} minutes" in page


def test_failed_logins_are_described_once_and_truly(client, settings):
    """Not "removed after the lockout" and "deleted after 90 days" for the same records:
    the count goes with the lockout time (tests/accounts/test_login.py shows it), the
    record of successful logins after RETENTION_LOGIN_RECORDS_DAYS."""
    settings.RETENTION_LOGIN_RECORDS_DAYS = 61
    page = text(client.get(url("statements:privacy", "en")))
    assert "failed attempts are removed once that time has passed" not in page
    assert "Records of logins and failed logins are deleted" not in page
    assert "once those 15 minutes have passed" in page
    assert "The record of each successful login" in page and "after 61 days" in page
    assert "No separate record of failed logins is kept" in page


def test_what_happens_to_open_and_closed_cases_is_said_with_the_settings(client, settings):
    settings.RETENTION_OPEN_CASE_IDLE_DAYS = 77
    settings.RETENTION_OPEN_CASE_MAX_IDLE_DAYS = 999
    settings.RETENTION_INACTIVE_DAYS = 444
    page = text(client.get(url("statements:privacy")))
    assert "Meldcodecasussen: elke gezette stap" in page
    assert "wie er is geraadpleegd" in page
    assert "een afgesloten casus blijft 444 dagen na de laatste stap bewaard" in page
    assert "Een open casus zonder stap in 77 dagen wordt gemarkeerd" in page
    assert "Een open casus zonder stap in 999 dagen houdt het dossier niet langer vast" in page


def test_the_organisation_and_its_contacts_come_from_the_settings(client, settings):
    page = text(client.get(url("statements:privacy")))
    assert "de organisatie die deze installatie beheert" in page
    page = text(client.get(url("statements:accessibility")))
    assert "De organisatie die deze installatie beheert wil dat iedereen" in page
    settings.ORGANISATION_NAME = "Synthetische Gemeente Voorbeeldstad"
    settings.PRIVACY_CONTACT = "privacy@voorbeeldstad.example"
    settings.PRIVACY_OFFICER = "fg@voorbeeldstad.example"
    settings.ACCESSIBILITY_CONTACT = "toegankelijkheid@voorbeeldstad.example"
    page = text(client.get(url("statements:privacy")))
    for value in [
        "Synthetische Gemeente Voorbeeldstad",
        "privacy@voorbeeldstad.example",
        "fg@voorbeeldstad.example",
    ]:
        assert value in page
    assert "de organisatie die deze installatie beheert" not in page
    page = text(client.get(url("statements:accessibility", "en")))
    assert "Synthetische Gemeente Voorbeeldstad" in page
    assert "toegankelijkheid@voorbeeldstad.example" in page


def test_the_accessibility_statement_is_dated(client):
    page = text(client.get(url("statements:accessibility", "en")))
    date = statements.ACCESSIBILITY_STATEMENT_DATE
    assert f"{date.day} {date:%B} {date.year}" in page


def test_the_check_stores_nothing_as_the_statement_says(client, loaded_catalogue):
    """The privacy statement promises that the check keeps no answers: posting an
    outcome sets no cookie and leaves no session behind."""
    catalogue, _ = loaded_catalogue
    answers = {signal_field_name(next(iter(catalogue.signals))): "yes"}
    response = client.post(url("check:outcome"), answers)
    assert response.status_code == 200
    assert "utrecht-heading-1" in response.content.decode()
    assert not response.cookies
    assert not Session.objects.exists()


def test_linked_from_the_500_page_and_the_links_work(client):
    """The error page is static (it must render whatever failed), so its links are
    written out: they must stay the statements' real addresses in both languages."""
    page = server_error(RequestFactory().get("/"))
    assert page.status_code == 500
    links = re.findall(r'href="(/[^"]*)"', footer(page))
    expected = {url(name, language) for name in PAGES for language in LANGUAGES}
    assert set(links) == expected
    for link in links:
        assert client.get(link).status_code == 200
