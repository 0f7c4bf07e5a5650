"""`lens demo` prints the address the server actually uses (make run passes HOST:PORT),
and its accounts have names, which the pages show instead of usernames."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE, settings.DEBUG = True, True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_demo_prints_the_port_it_was_given_and_names_its_accounts(demo_mode):
    out = io.StringIO()
    call_command("demo", "--persons", "0", "--url", "http://127.0.0.1:8200/", stdout=out)
    printed = out.getvalue()
    assert "http://127.0.0.1:8200/accounts/login/" in printed
    assert "http://127.0.0.1:8200/regie/" in printed
    assert ":8000" not in printed
    users = get_user_model().objects.filter(username__startswith="demo-")
    assert users.exists()
    assert all(user.get_full_name() for user in users)
