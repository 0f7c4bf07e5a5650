"""Logging in: password, then the TOTP code; refusals, counting and lockout."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY

from lens.data.registry import Role

from .conftest import (
    PASSWORD,
    code_step,
    current_code,
    enrol,
    log_in,
    password_step,
    text,
    url,
    wrong_code,
)

pytestmark = pytest.mark.django_db


def failures(username: str) -> int:
    return sum(a.failures_since_start for a in AccessAttempt.objects.filter(username=username))


def test_login_page_fields_have_labels_and_autocomplete(client):
    response = client.get(url("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="utrecht-form-label" for="id_username">' in html
    assert '<label class="utrecht-form-label" for="id_password">' in html
    assert 'autocomplete="username"' in html
    assert (
        'type="password" id="id_password" name="password" autocomplete="current-password"' in html
    )
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_code_page_asks_for_a_numeric_one_time_code(client, professional):
    enrol(professional)
    password_step(client, professional.username)
    html = client.get(url("accounts:verify")).content.decode()
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="one-time-code"' in html
    assert '<label class="utrecht-form-label" for="id_code">' in html


@pytest.mark.parametrize("role", list(Role))
def test_without_a_second_factor_nobody_gets_in(client, make_user, make_membership, role):
    # Required for PERSON_DATA_ROLES by the issue; we ask it of every role.
    user = make_user()
    make_membership(user, role)
    response = password_step(client, user.username)
    assert response.status_code == 403
    assert "beheerder" in text(response)
    assert SESSION_KEY not in client.session
    # and the code page is not reachable either
    assert client.get(url("accounts:verify"))["Location"] == url("accounts:login")


def test_correct_code_logs_in_with_the_second_factor(client, professional, loaded_catalogue):
    device = enrol(professional)
    response = log_in(client, professional, device)
    assert response.status_code == 302
    # one membership: it is active at once, so straight to the landing page, which
    # sends a professional on to the persons
    assert response["Location"] == url("core:home")
    assert client.get(url("core:home"))["Location"] == url("registry:persons")
    assert client.session[SESSION_KEY] == str(professional.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    page = client.get(url("registry:persons"))
    assert page.status_code == 200
    assert page.wsgi_request.membership.user == professional
    assert page.context["active_membership"].role == "professional"


def test_password_step_alone_does_not_log_in(client, professional):
    enrol(professional)
    response = password_step(client, professional.username)
    assert response["Location"] == url("accounts:verify")
    assert SESSION_KEY not in client.session
    assert client.get(url("registry:persons"))["Location"].startswith(url("accounts:login"))


def test_the_session_key_changes_at_each_step(client, professional):
    device = enrol(professional)
    client.get(url("accounts:login"))
    client.post(url("accounts:login"), {"username": "", "password": ""})
    before = client.session.session_key
    password_step(client, professional.username)
    pending = client.session.session_key
    code_step(client, current_code(device))
    assert len({before, pending, client.session.session_key}) == 3


def test_wrong_code_is_refused_and_counted(client, professional):
    device = enrol(professional)
    password_step(client, professional.username)
    response = code_step(client, wrong_code(device))
    assert response.status_code == 400  # as every refused form
    assert "Deze code klopt niet." in text(response)
    assert SESSION_KEY not in client.session
    assert failures(professional.username) == 1
    assert 'aria-invalid="true"' in response.content.decode()


def test_wrong_code_message_in_english(client, professional):
    device = enrol(professional)
    client.post("/en/accounts/login/", {"username": professional.username, "password": PASSWORD})
    response = client.post("/en/accounts/login/code/", {"code": wrong_code(device)})
    assert "This code is not correct." in text(response)


def test_malformed_code_is_not_counted(client, professional):
    enrol(professional)
    password_step(client, professional.username)
    response = code_step(client, "12ab")
    assert response.status_code == 400
    assert failures(professional.username) == 0


def test_code_with_spaces_is_accepted(client, professional):
    device = enrol(professional)
    password_step(client, professional.username)
    code = current_code(device)
    response = code_step(client, f"{code[:3]} {code[3:]}")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(professional.pk)


def test_a_code_works_only_once(client, professional):
    device = enrol(professional)
    password_step(client, professional.username)
    code = current_code(device)
    code_step(client, code)
    client.post(url("accounts:logout"))
    password_step(client, professional.username)
    response = code_step(client, code)
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_error_is_the_same_for_wrong_password_and_unknown_user(client, professional):
    enrol(professional)
    wrong_password = password_step(client, professional.username, "not the password at all")
    unknown = password_step(client, "nobody-by-this-name", "not the password at all")
    assert wrong_password.status_code == unknown.status_code == 400
    assert "De gebruikersnaam of het wachtwoord klopt niet." in text(unknown)

    def message(response):
        body = text(response)
        return body.replace(professional.username, "").replace("nobody-by-this-name", "")

    assert message(wrong_password) == message(unknown)
    english = client.post(
        "/en/accounts/login/", {"username": "nobody-by-this-name", "password": "x" * 12}
    )
    assert "The username or password is not correct." in text(english)


def test_inactive_user_gets_the_same_generic_error(client, make_user, make_membership):
    user = make_user(is_active=False)
    make_membership(user)
    enrol(user)
    response = client.post("/en/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 400
    assert "The username or password is not correct." in text(response)


def test_lockout_after_failure_limit_with_dutch_message(client, professional, settings):
    enrol(professional)
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = password_step(client, professional.username, "wrong password here")
        assert response.status_code == 400
    response = password_step(client, professional.username, "wrong password here")
    assert response.status_code == 429
    body = text(response)
    assert "Inloggen is voorlopig geblokkeerd" in body
    assert "U kunt het opnieuw proberen vanaf" in body
    assert f"over ongeveer {round(settings.AXES_COOLOFF_TIME * 60)} minuten" in body
    # Even the right password does not get in now.
    response = password_step(client, professional.username)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_lockout_page_is_the_same_for_an_unknown_username(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = password_step(client, "nobody-by-this-name", "wrong password here")
    assert response.status_code == 429
    assert "Inloggen is voorlopig geblokkeerd" in text(response)


def test_wrong_codes_lead_to_lockout(client, professional, settings):
    device = enrol(professional)
    password_step(client, professional.username)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        device.refresh_from_db()
        device.throttle_reset()  # django-otp's own back-off is tested by django-otp
        assert code_step(client, wrong_code(device)).status_code == 400
    device.throttle_reset()
    response = code_step(client, wrong_code(device))
    assert response.status_code == 429
    assert "Inloggen is voorlopig geblokkeerd" in text(response)
    # The pending login is gone, and a new password attempt is locked out as well.
    assert client.get(url("accounts:verify"))["Location"] == url("accounts:login")
    assert password_step(client, professional.username).status_code == 429


def test_password_and_code_failures_share_one_counter(client, professional, settings):
    device = enrol(professional)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        password_step(client, professional.username, "wrong password here")
    password_step(client, professional.username)
    response = code_step(client, wrong_code(device))
    assert response.status_code == 429


def test_full_login_resets_the_counter(client, professional):
    device = enrol(professional)
    password_step(client, professional.username, "wrong password here")
    assert failures(professional.username) == 1
    log_in(client, professional, device)
    assert failures(professional.username) == 0


def test_throttled_device_asks_to_wait_without_counting(client, professional):
    device = enrol(professional)
    password_step(client, professional.username)
    code_step(client, wrong_code(device))
    assert failures(professional.username) == 1
    # django-otp now refuses to check codes for a moment (exponential back-off).
    response = client.post("/en/accounts/login/code/", {"code": current_code(device)})
    assert "Wait a few seconds" in text(response)
    assert failures(professional.username) == 1
    assert SESSION_KEY not in client.session


def test_pending_login_expires(client, professional):
    from lens.accounts import session as account_session

    enrol(professional)
    password_step(client, professional.username)
    session = client.session
    session[account_session.PENDING_SINCE_KEY] -= account_session.PENDING_SECONDS + 1
    session.save()
    response = client.get(url("accounts:verify"))
    assert response["Location"] == url("accounts:login")
    english = client.get("/en/accounts/login/")
    assert "Logging in took too long." in text(english)


def test_next_is_kept_and_outside_urls_are_ignored(client, professional):
    device = enrol(professional)
    password_step(client, professional.username, next="/registratie/?pagina=2")
    response = code_step(client, current_code(device))
    assert response["Location"] == "/registratie/?pagina=2"

    client.post(url("accounts:logout"))
    password_step(client, professional.username, next="https://evil.example/")
    device.refresh_from_db()
    response = code_step(client, current_code(device))
    assert response["Location"] == url("core:home")


def test_logged_in_user_visiting_login_goes_on(client, professional):
    device = enrol(professional)
    log_in(client, professional, device)
    response = client.get(url("accounts:login"))
    assert response["Location"] == url("core:home")


def test_failed_logins_are_kept_as_the_privacy_statement_says(client, professional, settings):
    """The statement (lens/core/templates/core/privacy.html): a count of failed logins,
    removed by the first login after the cool-off time; no separate failure log."""
    from datetime import timedelta

    from axes.models import AccessFailureLog
    from django.utils import timezone

    enrol(professional)
    password_step(client, professional.username, "wrong password here")
    assert failures(professional.username) == 1
    assert not AccessFailureLog.objects.exists()  # no separate record of failed logins
    past = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    AccessAttempt.objects.update(attempt_time=past)
    password_step(client, "someone-else", "wrong password here")  # any login attempt
    assert failures(professional.username) == 0


def test_lockout_page_says_the_minutes_also_across_midnight():
    """The lockout page said "in about 15 minutes" only when the unlock fell on the same
    day; a CI run between 23:45 and midnight found it."""
    from datetime import UTC, datetime, timedelta

    from django.template.loader import render_to_string
    from django.utils import translation

    from lens.accounts.views import retry_context

    now = datetime(2026, 12, 6, 22, 50, tzinfo=UTC)  # 23:50 in Amsterdam
    context = retry_context(now + timedelta(minutes=15), now)
    assert (context["minutes"], context["same_day"]) == (15, False)
    with translation.override("nl"):
        page = render_to_string("accounts/locked_out.html", context)
    assert 'vanaf <span class="lens-nowrap">7 december 2026, 00:05</span>' in page
    assert "(over ongeveer 15 minuten)" in page
    # Same day: the time alone; far away (an administrator's long lockout): no minutes.
    earlier = now - timedelta(hours=2)
    assert retry_context(earlier + timedelta(minutes=15), earlier)["same_day"]
    later = retry_context(now + timedelta(hours=5), now)
    assert later["minutes"] is None
    with translation.override("nl"):
        page = render_to_string("accounts/locked_out.html", later)
    assert "over ongeveer" not in page
    assert 'vanaf <span class="lens-nowrap">7 december 2026, 04:50</span>.' in page
