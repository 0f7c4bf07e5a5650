"""Throttling of the REST API per API client (the token's client, not the address).

Every operation counts against the client's `api` budget; revealing an identity and the
lens engine have a stricter budget of their own as well (`reveal`, `assess`): a system
that reveals identities by the hundred is more likely a leak than work, and the engine is
the heaviest operation that stores nothing. Rates come from settings.API_THROTTLE_RATES
(README, "Configuration"). Over budget: 429 `throttled` with `Retry-After` (seconds until
the window ends), in the API's error format (lens.api.errors).

Counting (a fixed window with one atomic increment per request, in Redis or in the
database) is lens.web.throttle's, shared with the pages that cost much CPU. DRF's own
throttle reads the history, appends and writes it back: requests that overlap each read
the same history and lose each other's counts (an outside probe sent 800 requests in 31 s,
ten at a time, against a budget of 600 a minute without one 429).

Only authenticated requests reach the throttles (DRF authenticates first): a request
without a valid token gets its 401 before any count.
"""

from __future__ import annotations

import time

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from lens.web.throttle import count_in_database, spend

__all__ = ["count_in_database", "time"]  # the tests read them here


class ClientRateThrottle(BaseThrottle):
    """A fixed-window budget per API client, with rate and cache read from the settings
    at each request (so that a test's settings override applies)."""

    scope = "api"

    def allow_request(self, request, view) -> bool:
        client = getattr(request, "api_client", None)
        if client is None:
            return True  # not an API client: nothing to count (never reached: 401 first)
        allowed, self.wait_seconds = spend(
            self.scope, str(client.pk), settings.API_THROTTLE_RATES[self.scope]
        )
        return allowed

    def wait(self) -> float:
        return self.wait_seconds


class RevealRateThrottle(ClientRateThrottle):
    scope = "reveal"


class AssessRateThrottle(ClientRateThrottle):
    scope = "assess"
