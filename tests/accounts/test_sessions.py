"""Sessions: idle timeout, logout, logout everywhere, and no cookies for anonymous pages."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from lens.accounts import session as account_session
from lens.accounts.models import UserSecurity
from tests.login import log_in as log_in_directly

from .conftest import enrol, log_in, text, url

# The persons page (lens/urls.py's registratie/) is the logged-in page these tests open:
# it needs the catalogue.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("loaded_catalogue")]


def is_logged_in(client) -> bool:
    response = client.get(url("registry:persons"))
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


def test_idle_timeout_logs_out(client, professional, settings):
    device = enrol(professional)
    log_in(client, professional, device)
    assert is_logged_in(client)

    session = client.session
    session[account_session.LAST_SEEN_KEY] -= settings.SESSION_IDLE_TIMEOUT + 1
    session.save()
    response = client.get(url("registry:persons"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("accounts:login"))
    assert SESSION_KEY not in client.session
    notice = text(client.get("/en/accounts/login/"))
    minutes = settings.SESSION_IDLE_TIMEOUT // 60
    assert f"You were logged out because you did nothing for {minutes} minutes." in notice


def test_activity_within_the_timeout_keeps_the_session(client, professional, settings):
    device = enrol(professional)
    log_in(client, professional, device)
    session = client.session
    session[account_session.LAST_SEEN_KEY] -= settings.SESSION_IDLE_TIMEOUT - 30
    session.save()
    assert is_logged_in(client)
    # the request counted as activity
    assert client.session[account_session.LAST_SEEN_KEY] >= account_session.now() - 1


def test_logout_is_post_only_and_logs_out(client, professional):
    device = enrol(professional)
    log_in(client, professional, device)
    assert client.get(url("accounts:logout")).status_code == 405
    assert is_logged_in(client)
    response = client.post(url("accounts:logout"))
    assert response["Location"] == url("accounts:login")
    assert not is_logged_in(client)
    assert "You are logged out." in text(client.get("/en/accounts/login/"))


def test_logout_everywhere_ends_the_other_session(professional):
    device = enrol(professional)
    laptop, phone = Client(), Client()
    log_in(laptop, professional, device)
    log_in_directly(phone, professional)  # a second session of the same user
    assert is_logged_in(laptop) and is_logged_in(phone)

    assert laptop.get(url("accounts:logout-everywhere")).status_code == 405
    response = laptop.post(url("accounts:logout-everywhere"))
    assert response["Location"] == url("accounts:login")
    assert UserSecurity.objects.get(user=professional).session_epoch == 1

    assert not is_logged_in(laptop)
    assert not is_logged_in(phone)
    assert SESSION_KEY not in phone.session
    notice = text(phone.get("/en/accounts/login/"))
    assert "your sessions were ended on all devices" in notice

    # A new login works, in the new epoch.
    device.refresh_from_db()
    log_in(laptop, professional, device)
    assert laptop.session[account_session.EPOCH_KEY] == 1
    assert is_logged_in(laptop)


def test_logout_everywhere_leaves_other_users_alone(professional, make_user, make_membership):
    other = make_user("synthetic-other")
    make_membership(other)
    mine, theirs = Client(), Client()
    log_in_directly(mine, professional)
    log_in_directly(theirs, other)
    mine.post(url("accounts:logout-everywhere"))
    assert not is_logged_in(mine)
    assert is_logged_in(theirs)


def test_session_not_made_by_our_login_is_not_trusted(client, professional):
    # e.g. force_login: no second factor, no epoch, no last-seen time.
    client.force_login(professional)
    response = client.get(url("registry:persons"))
    assert response["Location"].startswith(url("accounts:login"))
    assert SESSION_KEY not in client.session


def test_anonymous_pages_set_no_cookie(client, loaded_catalogue):
    for path in ("/", "/en/"):
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies
    assert not client.cookies


def test_header_shows_the_active_membership_and_logout(client, professional):
    log_in_directly(client, professional)
    html = client.get("/en/accounts/role/").content.decode()
    assert "<strong>Professional</strong> · Synthetische School" in html
    assert 'action="/en/accounts/logout/"' in html
