"""API throttling per client (lens.api.throttling): 429 with Retry-After in the error
format, separate budgets per client, a stricter budget for reveal and assess, and counts
shared by every process that shares the cache (the database cache and Redis).

The test settings give every client a budget no test reaches (tests/pytest_env.py sets
the API_*_THROTTLE_RATE variables); the tests here set low rates themselves."""

from __future__ import annotations

import os
import time
import uuid

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from lens.api import throttling
from lens.api.models import ThrottleCount
from lens.api.throttling import count_in_database
from lens.settings import env_rate
from tests.api.conftest import error
from tests.concurrency import at_once

HIGH = "100000/minute"


def rates(settings, **low: str) -> None:
    settings.API_THROTTLE_RATES = {"api": HIGH, "reveal": HIGH, "assess": HIGH, **low}


def persons(side):
    return side.api.get("/persons")


def assert_throttled(response, most_seconds: int) -> None:
    assert response.status_code == 429, response.content
    assert error(response)["code"] == "throttled"
    assert error(response)["fields"] == {}
    assert 1 <= int(response["Retry-After"]) <= most_seconds


def test_over_budget_is_429_with_retry_after_in_the_error_format(ours, settings):
    rates(settings, api="3/minute")
    for _ in range(3):
        assert persons(ours).status_code == 200
    assert_throttled(persons(ours), 60)
    # Every operation counts against the same budget.
    assert_throttled(ours.api.get(f"/persons/{ours.person.pseudonym}"), 60)


def test_two_clients_have_separate_budgets(ours, theirs, settings):
    rates(settings, api="2/minute")
    assert [persons(ours).status_code for _ in range(3)] == [200, 200, 429]
    assert [persons(theirs).status_code for _ in range(2)] == [200, 200]
    assert_throttled(persons(theirs), 60)


def reveal(side):
    return side.api.post(f"/persons/{side.person.pseudonym}/reveal", {"purpose": "Afstemming"})


def test_reveal_has_a_stricter_budget_of_its_own(ours, settings):
    rates(settings, reveal="1/hour")
    assert reveal(ours).status_code == 200
    assert_throttled(reveal(ours), 3600)
    assert persons(ours).status_code == 200  # the general budget is not spent


def test_assess_has_a_stricter_budget_of_its_own(ours, settings):
    rates(settings, assess="2/minute")
    body = {"signals": ["truancy"]}
    assert [ours.api.post("/assess", body).status_code for _ in range(2)] == [200, 200]
    assert_throttled(ours.api.post("/assess", body), 60)
    assert persons(ours).status_code == 200


def test_a_request_without_a_valid_token_is_not_counted(ours, anonymous, settings):
    rates(settings, api="1/minute")
    assert anonymous.get("/persons").status_code == 401
    assert persons(ours).status_code == 200


def share_between_two_cache_clients(side, settings, cache: dict) -> None:
    """Two cache aliases with the same store are two processes' cache clients: the
    requests alternate between them and the budget is still spent once."""
    settings.CACHES = {**settings.CACHES, "worker1": dict(cache), "worker2": dict(cache)}
    assert caches["worker1"] is not caches["worker2"]
    rates(settings, api="2/minute")
    answers = []
    for worker in ("worker1", "worker2", "worker1", "worker2"):
        settings.API_THROTTLE_CACHE = worker
        answers.append(persons(side).status_code)
    assert answers == [200, 200, 429, 429]


def test_database_cache_shares_the_count_between_processes(ours, settings):
    cache = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "lens_cache",
        "KEY_PREFIX": f"tests-{uuid.uuid4().hex}",
    }
    share_between_two_cache_clients(ours, settings, cache)


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis server at {url} (set TEST_REDIS_URL)")
    return url


def test_redis_cache_shares_the_count_between_processes(ours, settings):
    # A key prefix of this test's own: the Redis server may be shared.
    cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url(),
        "KEY_PREFIX": f"lens-tests-{uuid.uuid4().hex}",
    }
    share_between_two_cache_clients(ours, settings, cache)  # its keys expire in a minute


@pytest.mark.django_db
def test_migrate_makes_the_database_cache_table():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE lens_cache")
    assert "lens_cache" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "lens_cache" in connection.introspection.table_names()


@pytest.mark.parametrize("value", ["100", "ten/minute", "5/fortnight", "5/m", "/hour"])
def test_a_rate_setting_that_is_no_rate_is_refused(monkeypatch, value):
    monkeypatch.setenv("API_THROTTLE_RATE", value)
    with pytest.raises(ImproperlyConfigured, match="API_THROTTLE_RATE must be a rate"):
        env_rate("API_THROTTLE_RATE", "600/minute")


def test_a_rate_setting_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("API_THROTTLE_RATE", "7/hour")
    assert env_rate("API_THROTTLE_RATE", "600/minute") == "7/hour"


def test_every_operation_documents_429_with_retry_after():
    import yaml
    from django.conf import settings

    schema = yaml.safe_load((settings.BASE_DIR / "openapi.yaml").read_text(encoding="utf-8"))
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 9
    for operation in operations:
        response = operation["responses"]["429"]
        assert response["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
        assert response["headers"]["Retry-After"]["schema"]["type"] == "integer"


@pytest.mark.django_db(transaction=True)
def test_requests_at_the_same_moment_each_count_once():
    """The outside probe's finding: ten requests at a time got 800 answers through a
    budget of 600 a minute, because each read the count before the others wrote it."""
    key, expires = f"throttle:api:test:{uuid.uuid4().hex}", time.time() + 60
    counts = at_once(*[lambda: count_in_database(key, expires)] * 12)
    assert sorted(counts) == list(range(1, 13))
    assert ThrottleCount.objects.get(key=key).count == 12


@pytest.mark.django_db
def test_a_new_window_clears_the_ended_ones():
    ThrottleCount.objects.create(key="throttle:api:1:1", count=5, expires=time.time() - 1)
    ThrottleCount.objects.create(key="throttle:api:1:9", count=5, expires=time.time() + 60)
    assert count_in_database("throttle:api:1:10", time.time() + 60) == 1
    assert set(ThrottleCount.objects.values_list("key", flat=True)) == {
        "throttle:api:1:9",
        "throttle:api:1:10",
    }


def test_retry_after_is_the_rest_of_the_window(ours, settings, monkeypatch):
    rates(settings, api="1/hour")
    monkeypatch.setattr(throttling.time, "time", lambda: 3600 * 1000 + 600.2)
    assert persons(ours).status_code == 200
    response = persons(ours)
    assert response.status_code == 429
    assert response["Retry-After"] == "3000"
