"""Fixtures for the accounts tests: synthetic users and a login helper that goes through
the real two-step login, under lens/settings.py and lens/urls.py as they are."""

from __future__ import annotations

import re
import time

import pytest
from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP

from lens.accounts.totp import usable_code
from lens.data.registry import Membership, Organisation, Role

PASSWORD = "correct horse battery staple 42"


def url(name: str, **kwargs) -> str:
    """The Dutch (default, unprefixed) URL, whatever language the last request left active."""
    with translation.override("nl"):
        return reverse(name, **kwargs)


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(
        name="Synthetische School",
        organisation_type="school",
        region="midden-brabant",
        municipality="Tilburg",
        contact_name="Test Contact",
        contact_phone="013-0000000",
        contact_email="contact@example.org",
    )


@pytest.fixture
def make_user(django_user_model):
    def make(username="synthetic-user", **kwargs):
        return django_user_model.objects.create_user(username=username, password=PASSWORD, **kwargs)

    return make


@pytest.fixture
def make_membership(organisation):
    def make(user, role=Role.PROFESSIONAL, **kwargs):
        if role in (Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS):
            kwargs.setdefault("organisation", organisation)
        elif role in (Role.ZORGCOORDINATOR, Role.ANALIST):
            kwargs.setdefault("region", "midden-brabant")
        return Membership.objects.create(user=user, role=role, **kwargs)

    return make


@pytest.fixture
def professional(make_user, make_membership):
    user = make_user("synthetic-professional")
    make_membership(user, Role.PROFESSIONAL)
    return user


def enrol(user):
    from lens.accounts import actions

    return actions.enrol_totp(user)


def password_step(client, username, password=PASSWORD, **extra):
    return client.post(url("accounts:login"), {"username": username, "password": password, **extra})


def code_step(client, code):
    return client.post(url("accounts:verify"), {"code": code})


def current_code(device):
    device.refresh_from_db()
    return usable_code(device)[0]


def wrong_code(device):
    """A well-formed code that the device does not accept now."""
    candidate = int(current_code(device))
    while True:
        candidate = (candidate + 1) % 1_000_000
        code = f"{candidate:06d}"
        if not _accepted(device, code):
            return code


def _accepted(device, code) -> bool:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return totp.verify(int(code), tolerance=device.tolerance + 1)


def log_in(client, user, device):
    """The real two-step login; returns the final response (not followed)."""
    response = password_step(client, user.get_username())
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"] == url("accounts:verify")
    return code_step(client, current_code(device))


def text(response) -> str:
    """The response's visible text, whitespace collapsed (for matching sentences)."""
    body = response.content.decode()
    body = re.sub(r"<[^>]+>", " ", body)
    return re.sub(r"\s+", " ", body)
