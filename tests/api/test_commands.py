"""`lens apiclient create | list | revoke`."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lens.api import actions
from lens.api.models import ApiClient
from tests.api.factories import make_organisation

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("apiclient", *args, stdout=out)
    return out.getvalue()


def test_create_prints_the_token_once_and_stores_its_hash():
    make_organisation("Synthetische Gemeente")
    output = run("create", "--organisation", "Synthetische Gemeente", "--name", "Zaaksysteem")
    client = ApiClient.objects.get()
    token = next(
        line
        for line in output.splitlines()
        if line.startswith(client.token_prefix) and len(line) > 40
    )
    assert output.count(token) == 1
    assert client.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert client.organisation.name == "Synthetische Gemeente"
    listing = run("list")
    assert client.token_prefix in listing and "Zaaksysteem" in listing and "actief" in listing
    assert token not in listing


def test_create_refuses_an_unknown_organisation_and_a_duplicate_name():
    make_organisation("Synthetische Gemeente")
    with pytest.raises(CommandError, match="Geen organisatie"):
        run("create", "--organisation", "Bestaat Niet", "--name", "X")
    run("create", "--organisation", "Synthetische Gemeente", "--name", "Zaaksysteem")
    with pytest.raises(CommandError, match="heeft al een API-client"):
        run("create", "--organisation", "Synthetische Gemeente", "--name", "Zaaksysteem")
    assert ApiClient.objects.count() == 1


def test_revoke_by_prefix():
    make_organisation("Synthetische Gemeente")
    run("create", "--organisation", "Synthetische Gemeente", "--name", "Zaaksysteem")
    client = ApiClient.objects.get()
    assert "ingetrokken" in run("revoke", client.token_prefix)
    client.refresh_from_db()
    assert client.revoked_at is not None
    assert "ingetrokken" in run("list")
    with pytest.raises(CommandError, match="al ingetrokken"):
        run("revoke", client.token_prefix)
    with pytest.raises(CommandError, match="Geen API-client"):
        run("revoke", "nope1234")


def test_list_without_clients():
    assert "Geen API-clients" in run("list")


def test_tokens_never_start_with_a_dash(monkeypatch):
    """A prefix starting with "-" would be read as an option by `apiclient revoke`."""
    tokens = iter(["-leading-dash-" + "a" * 29, "b" * 43])
    monkeypatch.setattr(actions.secrets, "token_urlsafe", lambda n: next(tokens))
    assert actions.new_token() == "b" * 43
