"""Fixtures for the API tests: two synthetic organisations, each with an API client and
a person with a registration, and a small client that speaks JSON with a token."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from lens.access.models import AccessLogEntry
from tests.api import factories

API = "/api/v1"


class Api:
    """The test client with `Authorization: Token ...` and JSON bodies."""

    def __init__(self, token: str | None):
        # Enforce CSRF like a real server: API clients send no CSRF token.
        self.client = Client(enforce_csrf_checks=True)
        self.token = token

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Token {self.token}"} if self.token else {}
        return {**headers, **(extra or {})}

    def get(self, path: str, params: dict[str, Any] | None = None, headers=None):
        return self.client.get(API + path, params or {}, headers=self.headers(headers))

    def post(self, path: str, body: Any = None, *, raw: str | bytes | None = None, **kwargs):
        content_type = kwargs.pop("content_type", "application/json")
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return self.client.post(
            API + path,
            data,
            content_type=content_type,
            headers=self.headers(kwargs.pop("headers", None)),
            **kwargs,
        )

    def request(self, method: str, path: str, body: Any = None, headers=None):
        if method == "GET":
            return self.get(path, headers=headers)
        return self.post(path, body, headers=headers)


@dataclass
class Side:
    """One organisation as the tests see it."""

    organisation: Any
    client: Any  # ApiClient
    token: str
    api: Api
    person: Any
    registration: Any
    identity: Any


def make_side(name: str, given: str, family: str, note: str, seed: int) -> Side:
    organisation = factories.make_organisation(name)
    client, token = factories.make_client(organisation, f"Systeem {name}")
    who = factories.identity(given, family, bsn=factories.valid_bsn(seed))
    person, registration = factories.make_person(client, who, context_note=note)
    return Side(organisation, client, token, Api(token), person, registration, who)


@pytest.fixture
def ours(loaded_catalogue) -> Side:
    return make_side("Synthetisch College Noord", "Annefleur", "Pietersmaatje", "Notitie-ons", 1)


@pytest.fixture
def theirs(loaded_catalogue) -> Side:
    return make_side("Synthetische Jeugdzorg Zuid", "Bartholomeus", "Zwanenburgh", "Geheim-zuid", 2)


@pytest.fixture
def anonymous() -> Api:
    return Api(None)


def error(response) -> dict[str, Any]:
    """The error object of a JSON error response, after checking the shape."""
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    data = response.json()
    assert set(data) == {"error"}, data
    assert set(data["error"]) == {"code", "message", "fields"}, data
    assert isinstance(data["error"]["code"], str) and data["error"]["code"]
    assert isinstance(data["error"]["message"], str) and data["error"]["message"]
    return data["error"]


def new_log_entries(since: int):
    return list(AccessLogEntry.objects.filter(id__gt=since).order_by("id"))


def last_log_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
