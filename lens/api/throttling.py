"""Throttling of the REST API per API client (the token's client, not the address).

Every operation counts against the client's `api` budget; revealing an identity and the
lens engine have a stricter budget of their own as well (`reveal`, `assess`): a system
that reveals identities by the hundred is more likely a leak than work, and the engine is
the heaviest operation that stores nothing. Rates come from settings.API_THROTTLE_RATES
(README, "Configuration"). Over budget: 429 `throttled` with `Retry-After` (seconds until
the window ends), in the API's error format (lens.api.errors).

Counting is a fixed window (per minute, hour, ... as the rate says) with one atomic
increment per request, so that the limit holds when requests arrive at the same moment in
several server processes. DRF's own throttle reads the history, appends and writes it
back: requests that overlap each read the same history and lose each other's counts (an
outside probe sent 800 requests in 31 s, ten at a time, against a budget of 600 a minute
without one 429). Where the counts live:
- with a Redis cache (CACHE_URL; CACHES[settings.API_THROTTLE_CACHE]) in Redis, with
  ADD and INCR, which Redis performs atomically;
- otherwise in the database (ThrottleCount), with one INSERT ... ON CONFLICT DO UPDATE
  ... RETURNING statement, atomic on SQLite and PostgreSQL alike (Django's database
  cache cannot do that: its incr is a read followed by a write).
A fixed window lets a client spend up to twice its budget around a window's edge; the
budgets are sized with that in mind (a leak by the hundred is still stopped).

Only authenticated requests reach the throttles (DRF authenticates first): a request
without a valid token gets its 401 before any count.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from rest_framework.throttling import BaseThrottle

from lens.api.models import ThrottleCount

SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """("600/minute") -> (600, 60): the budget and the window's length in seconds."""
    number, _, period = rate.partition("/")
    return int(number), SECONDS[period]


def count_in_database(key: str, expires: float) -> int:
    """Add one to the window's count and return the new count, in one statement."""
    q = connection.ops.quote_name
    table, k, n, e = q(ThrottleCount._meta.db_table), q("key"), q("count"), q("expires")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({k}, {n}, {e}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({k}) DO UPDATE SET {n} = {table}.{n} + 1 RETURNING {n}",
            [key, expires],
        )
        (count,) = cursor.fetchone()
    if count == 1:  # a new window began: clear every client's ended windows with it
        ThrottleCount.objects.filter(expires__lt=time.time()).delete()
    return count


def count_in_redis(cache, key: str, seconds: int) -> int:
    cache.add(key, 0, timeout=seconds + 1)
    return cache.incr(key)


class ClientRateThrottle(BaseThrottle):
    """A fixed-window budget per API client, with rate and cache read from the settings
    at each request (so that a test's settings override applies)."""

    scope = "api"

    def allow_request(self, request, view) -> bool:
        client = getattr(request, "api_client", None)
        if client is None:
            return True  # not an API client: nothing to count (never reached: 401 first)
        budget, seconds = parse_rate(settings.API_THROTTLE_RATES[self.scope])
        now = time.time()
        window = math.floor(now / seconds)
        expires = (window + 1) * seconds
        self.wait_seconds = max(1, math.ceil(expires - now))
        key = f"throttle:{self.scope}:{client.pk}:{window}"
        cache = caches[settings.API_THROTTLE_CACHE]
        if isinstance(cache, RedisCache):
            count = count_in_redis(cache, key, seconds)
        else:
            count = count_in_database(key, expires)
        return count <= budget

    def wait(self) -> float:
        return self.wait_seconds


class RevealRateThrottle(ClientRateThrottle):
    scope = "reveal"


class AssessRateThrottle(ClientRateThrottle):
    scope = "assess"
