"""The active membership: chosen per session, shown in the header, required by views."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib.auth import SESSION_KEY

from lens.accounts import session as account_session
from lens.data.registry import Role
from tests.login import log_in as log_in_directly

from .conftest import enrol, log_in, text, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_roles(make_user, make_membership):
    user = make_user("synthetic-two-roles")
    professional = make_membership(user, Role.PROFESSIONAL)
    analist = make_membership(user, Role.ANALIST)
    return user, professional, analist


def test_with_several_memberships_login_leads_to_choosing(client, two_roles):
    user, _, analist = two_roles
    device = enrol(user)
    response = log_in(client, user, device)
    assert response["Location"] == url("accounts:choose-membership")
    page = client.get("/en/accounts/role/")
    assert page.status_code == 200
    body = text(page)
    assert "Professional · Synthetische School" in body
    assert "Analyst · region midden-brabant" in body
    assert "No role chosen" in body

    response = client.post(url("accounts:choose-membership"), {"membership": analist.pk})
    assert response["Location"] == url("core:home")
    assert client.session[account_session.MEMBERSHIP_KEY] == analist.pk
    page = client.get(url("core:home"))  # the analist's landing page
    assert page.status_code == 200
    assert page.wsgi_request.membership == analist
    assert page.context["active_membership"] == analist
    header = text(client.get("/en/accounts/role/"))
    assert "Analyst · region midden-brabant Switch role" in header


def test_protected_page_sends_to_choosing_and_back(client, two_roles):
    user, professional, _ = two_roles
    log_in_directly(client, user)
    page_two = "/registratie/?pagina=2"
    response = client.get(page_two)
    expected = url("accounts:choose-membership") + "?next=" + quote(page_two, safe="")
    assert response["Location"] == expected
    response = client.post(
        url("accounts:choose-membership"),
        {"membership": professional.pk, "next": "/registratie/?pagina=2"},
    )
    assert response["Location"] == "/registratie/?pagina=2"


def test_cannot_choose_someone_elses_membership(client, two_roles, make_user, make_membership):
    user, _, _ = two_roles
    stranger = make_user("synthetic-stranger")
    theirs = make_membership(stranger, Role.AANDACHTSFUNCTIONARIS)
    log_in_directly(client, user)
    response = client.post("/en/accounts/role/", {"membership": theirs.pk})
    assert response.status_code == 400  # as every refused form
    assert "Choose one of your roles." in text(response)
    for unknown in (987654, "x"):
        response = client.post(url("accounts:choose-membership"), {"membership": unknown})
        assert response.status_code == 400
        assert "Kies een van uw eigen rollen." in text(response)
    assert account_session.MEMBERSHIP_KEY not in client.session


def test_inactive_membership_cannot_be_chosen_and_is_dropped(client, two_roles, loaded_catalogue):
    user, professional, analist = two_roles
    log_in_directly(client, user, membership=analist)
    analist.is_active = False
    analist.save()
    # The only active one left is the professional membership: it becomes active.
    page = client.get(url("registry:persons"))
    assert page.status_code == 200
    assert page.wsgi_request.membership == professional
    response = client.post("/en/accounts/role/", {"membership": analist.pk})
    assert response.status_code == 400
    assert "Choose one of your roles." in text(response)


def test_single_membership_is_active_without_choosing(client, professional, loaded_catalogue):
    log_in_directly(client, professional)
    response = client.get(url("registry:persons"))
    assert response.status_code == 200


def test_user_without_memberships_gets_a_clear_page(client, make_user):
    user = make_user("synthetic-no-roles")
    device = enrol(user)
    response = log_in(client, user, device)
    assert response["Location"] == url("accounts:choose-membership")
    page = client.get("/en/accounts/role/")
    assert page.status_code == 200
    body = text(page)
    assert "You have no role yet" in body
    assert "Ask the administrator (beheerder)" in body
    # and protected pages send them there, not into a loop
    response = client.get(url("registry:persons"))
    assert response["Location"].startswith(url("accounts:choose-membership"))


def test_membership_required_sends_anonymous_users_to_login(client):
    response = client.get("/registratie/")
    assert response.status_code == 302
    assert response["Location"] == url("accounts:login") + "?next=/registratie/"


def test_membership_required_demands_the_second_factor(client, professional):
    # A logged-in session without OTP (made by hand, as our login never does):
    log_in_directly(client, professional)
    session = client.session
    del session["otp_device_id"]
    session.save()
    response = client.get("/registratie/")
    assert response["Location"] == url("accounts:login") + "?next=/registratie/"
    assert client.session[SESSION_KEY] == str(professional.pk)


def test_choose_page_needs_a_full_login(client, professional):
    response = client.get(url("accounts:choose-membership"))
    assert response["Location"].startswith(url("accounts:login"))
