"""Fixed-window request budgets, shared by the API's throttles (per API client,
lens.api.throttling) and the pages that cost much CPU and need no login or little of it
(per address or per user: the check's PDF summary, the local picture's report).

Counting is a fixed window (per minute, hour, ... as the rate says) with one atomic
increment per request, so that the limit holds when requests arrive at the same moment in
several server processes. Where the counts live:
- with a Redis cache (CACHE_URL; CACHES[settings.API_THROTTLE_CACHE]) in Redis, with
  ADD and INCR, which Redis performs atomically;
- otherwise in the database (lens.api's ThrottleCount), with one INSERT ... ON CONFLICT
  DO UPDATE ... RETURNING statement, atomic on SQLite and PostgreSQL alike (Django's
  database cache cannot do that: its incr is a read followed by a write).
A fixed window lets a client spend up to twice its budget around a window's edge; the
budgets are sized with that in mind.

Over budget, a page answers `refused(request, wait)`: 429 with Retry-After and a Dutch
page (the API answers in its own error format, lens.api.errors)."""

from __future__ import annotations

import hashlib
import hmac
import math
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from lens.access.actor import client_ip

SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """("600/minute") -> (600, 60): the budget and the window's length in seconds."""
    number, _, period = rate.partition("/")
    return int(number), SECONDS[period]


def _counts():
    # The counts' table belongs to the API app (its migrations); named by the app
    # registry, not imported: the pages' layer is below the API's.
    return apps.get_model("api", "ThrottleCount")


def count_in_database(key: str, expires: float) -> int:
    """Add one to the window's count and return the new count, in one statement."""
    counts = _counts()
    q = connection.ops.quote_name
    table, k, n, e = q(counts._meta.db_table), q("key"), q("count"), q("expires")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({k}, {n}, {e}) VALUES (%s, 1, %s) "
            f"ON CONFLICT ({k}) DO UPDATE SET {n} = {table}.{n} + 1 RETURNING {n}",
            [key, expires],
        )
        (count,) = cursor.fetchone()
    if count == 1:  # a new window began: clear every client's ended windows with it
        counts.objects.filter(expires__lt=time.time()).delete()
    return count


def count_in_redis(cache, key: str, seconds: int) -> int:
    cache.add(key, 0, timeout=seconds + 1)
    return cache.incr(key)


def spend(scope: str, who: str, rate: str) -> tuple[bool, int]:
    """Count one request of `who` against `scope`'s budget `rate` ("30/minute"): whether
    it is within the budget, and the whole seconds until the window ends (never 0)."""
    budget, seconds = parse_rate(rate)
    now = time.time()
    window = math.floor(now / seconds)
    expires = (window + 1) * seconds
    key = f"throttle:{scope}:{who}:{window}"
    cache = caches[settings.API_THROTTLE_CACHE]
    if isinstance(cache, RedisCache):
        count = count_in_redis(cache, key, seconds)
    else:
        count = count_in_database(key, expires)
    return count <= budget, max(1, math.ceil(expires - now))


def page_budget(
    request: HttpRequest,
    scope: str,
    who: str | None = None,
    template: str = "web/throttled.html",
) -> HttpResponse | None:
    """Count a request of a page against settings.PAGE_THROTTLE_RATES[scope], per `who`
    (the signed-in user, say) or else per address (a keyed hash of it: an anonymous
    visitor's address is not written down): None within the budget, else the refusal, on
    `template` (the anonymous check's own layout, say)."""
    if who is None:
        address = (client_ip(request) or "unknown").encode()
        who = hmac.new(settings.SECRET_KEY.encode(), address, hashlib.sha256).hexdigest()[:20]
    allowed, wait = spend(scope, who, settings.PAGE_THROTTLE_RATES[scope])
    return None if allowed else refused(request, wait, template)


def refused(request: HttpRequest, wait: int, template: str = "web/throttled.html") -> HttpResponse:
    """Over budget: 429, Retry-After, a Dutch page saying how long to wait. The anonymous
    check answers on its own layout (check/throttled.html): the registration's header and
    its access-log footer would contradict "nothing is stored" (outside probe)."""
    response = render(request, template, {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response
