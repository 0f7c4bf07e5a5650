"""The pages are Dutch first, and the system checks notice a missing piece of wiring."""

from __future__ import annotations

import pytest

from lens.accounts.checks import accounts_wired_in

from .conftest import text


@pytest.mark.django_db
def test_login_page_is_dutch_by_default_and_english_under_en(client):
    dutch = text(client.get("/accounts/login/"))
    assert "Inloggen" in dutch and "Gebruikersnaam" in dutch and "Wachtwoord" in dutch
    english = text(client.get("/en/accounts/login/"))
    assert "Log in" in english and "Username" in english
    # the language switch leads to the same page in the other language
    assert 'href="/en/accounts/login/"' in client.get("/accounts/login/").content.decode()


def test_checks_pass_with_the_wiring_in_place():
    assert accounts_wired_in() == []


def test_checks_warn_about_missing_wiring(settings):
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "lens.accounts.middleware.IdleTimeoutMiddleware"
    ]
    settings.AXES_LOCKOUT_CALLABLE = None
    assert [w.id for w in accounts_wired_in()] == ["accounts.W001", "accounts.W003"]
