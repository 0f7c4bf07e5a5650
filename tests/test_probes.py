"""The monitoring probes of lens/urls.py: /healthz (the process answers, tests/check) and
/readyz (the database answers and a catalogue is loaded). /readyz is also the baseline
page of scripts/bench_pages.py, which relies on it doing exactly one query of its own."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lens.catalogue import services
from lens.data.registry import Role
from tests.login import log_in
from tests.registry import factories

pytestmark = pytest.mark.django_db


def test_ready_when_a_catalogue_is_loaded(client, loaded_catalogue):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ready\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies  # anonymous probes get no session or CSRF cookie


def test_not_ready_without_a_catalogue(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"not ready: no catalogue loaded (lens catalogue load)\n"


def test_not_ready_when_the_database_does_not_answer(client, monkeypatch, caplog):
    def broken() -> bool:
        raise OperationalError("connection refused")

    monkeypatch.setattr(services, "is_loaded", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"not ready: database unavailable\n"
    assert "the database does not answer" in caplog.text


@pytest.mark.parametrize("key", ["IDENTITY_KEYS", "MATCH_KEY_SECRET", "ACCESS_LOG_KEY"])
def test_not_ready_without_a_key(client, loaded_catalogue, settings, caplog, key):
    setattr(settings, key, "")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"not ready: keys missing or invalid (README, Configuration)\n"
    assert key in caplog.text  # the server log names it; the public answer does not


def test_head_answers_and_writes_are_refused(client, loaded_catalogue):
    assert client.head("/readyz").status_code == 200
    assert client.post("/readyz").status_code == 405


def test_one_query_for_an_anonymous_probe(client, loaded_catalogue):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/readyz").status_code == 200
    assert len(queries) == 1, [q["sql"] for q in queries]


def test_logged_in_one_query_more_than_the_middleware_does(client, loaded_catalogue):
    """The benchmark's baseline: logged in, the middleware (session, user, second factor,
    membership) does its queries, and the page adds one. /healthz, which queries nothing,
    shows what the middleware costs."""
    member = factories.membership(Role.PROFESSIONAL, factories.organisation())
    log_in(client, member.user, member)
    client.get("/healthz")  # the session's last-seen write, once
    with CaptureQueriesContext(connection) as middleware_only:
        assert client.get("/healthz").status_code == 200
    with CaptureQueriesContext(connection) as probe:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ready\n"
    assert len(middleware_only) > 0  # the logged-in session was read
    assert len(probe) == len(middleware_only) + 1, [q["sql"] for q in probe]


@pytest.mark.parametrize("probe", ["/healthz", "/readyz"])
def test_a_post_without_csrf_token_is_405_not_403(probe, loaded_catalogue):
    # The test client skips CSRF unless asked: a real client without a token got 403.
    assert Client(enforce_csrf_checks=True).post(probe).status_code == 405
