"""The command-line tasks: demo codes, enrolling an authenticator, unlocking."""

from __future__ import annotations

import io
import re

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from lens.accounts.models import UserSecurity

from .conftest import enrol, password_step, wrong_code

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_demo_code_is_refused_outside_demo_mode(professional, settings):
    enrol(professional)
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="alleen beschikbaar in demomodus") as refused:
        run("demo_code", professional.username)
    assert refused.value.returncode == 1


def test_demo_code_is_refused_without_debug(professional, settings):
    enrol(professional)
    settings.DEMO_MODE, settings.DEBUG = True, False
    with pytest.raises(CommandError) as refused:
        run("demo_code", professional.username)
    assert refused.value.returncode == 1


def test_demo_code_prints_a_valid_code(professional, settings):
    device = enrol(professional)
    settings.DEMO_MODE, settings.DEBUG = True, True
    out, err = run("demo_code", professional.username)
    code = out
    assert re.fullmatch(r"[0-9]{6}", code)  # nothing else on standard output
    # In a terminal: "123456 (nog ongeveer N seconden geldig, eenmalig)", one line.
    assert re.fullmatch(r" \(nog ongeveer [0-9]+ seconden geldig, eenmalig\)\n", err)
    assert device.verify_token(code)
    # used once; the next call gives a code that still works
    device.refresh_from_db()
    out, _ = run("demo_code", professional.username)
    assert out.strip() != code
    assert device.verify_token(out.strip())


def test_demo_code_for_unknown_user_or_without_device(make_user, settings):
    settings.DEMO_MODE, settings.DEBUG = True, True
    with pytest.raises(CommandError, match="Geen gebruiker"):
        run("demo_code", "nobody-by-this-name")
    make_user("synthetic-no-device")
    with pytest.raises(CommandError, match="enrol-totp"):
        run("demo_code", "synthetic-no-device")


def test_enrol_totp_prints_url_and_qr(professional):
    out, _ = run("accounts", "enrol-totp", professional.username)
    device = TOTPDevice.objects.get(user=professional)
    assert device.confirmed
    assert device.config_url in out
    assert out.count("otpauth://totp/") == 1
    assert "issuer=Uitbuitingslens" in out
    assert "\u2588" in out or "\u2580" in out or "\u2584" in out  # the QR code's blocks


def test_enrol_totp_refuses_to_replace_silently(professional):
    first = enrol(professional)
    with pytest.raises(CommandError, match="--replace") as refused:
        run("accounts", "enrol-totp", professional.username, "--no-qr")
    assert refused.value.returncode == 1
    assert list(TOTPDevice.objects.filter(user=professional)) == [first]


def test_enrol_totp_replace_ends_sessions(professional):
    first = enrol(professional)
    out, _ = run("accounts", "enrol-totp", professional.username, "--replace", "--no-qr")
    device = TOTPDevice.objects.get(user=professional)
    assert device.pk != first.pk and device.key != first.key
    assert "alle sessies zijn beëindigd" in out
    assert UserSecurity.objects.get(user=professional).session_epoch == 1


def test_unlock_resets_the_lockout(client, professional, settings):
    enrol(professional)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = password_step(client, professional.username, "wrong password here")
    assert response.status_code == 429
    out, _ = run("accounts", "unlock", professional.username)
    assert "1 mislukte poging verwijderd" in out
    assert not AccessAttempt.objects.filter(username=professional.username).exists()
    assert password_step(client, professional.username).status_code == 302


def test_unlock_resets_the_device_back_off(client, professional):
    device = enrol(professional)
    password_step(client, professional.username)
    client.post("/accounts/login/code/", {"code": wrong_code(device)})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    run("accounts", "unlock", professional.username)
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_logout_everywhere_command(professional):
    out, _ = run("accounts", "logout-everywhere", professional.username)
    assert "epoch 1" in out


def test_unknown_user(professional):
    with pytest.raises(CommandError, match="Geen gebruiker"):
        run("accounts", "enrol-totp", "nobody-by-this-name")
