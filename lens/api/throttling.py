"""Throttling of the REST API per API client (the token's client, not the address).

Every operation counts against the client's `api` budget; revealing an identity and the
lens engine have a stricter budget of their own as well (`reveal`, `assess`): a system
that reveals identities by the hundred is more likely a leak than work, and the engine is
the heaviest operation that stores nothing. Rates come from settings.API_THROTTLE_RATES
(README, "Configuration"). The counts live in the shared cache
(CACHES[settings.API_THROTTLE_CACHE]: Redis, or the database), so a limit holds however
many server processes answer. Over budget: 429 `throttled` with `Retry-After` (seconds),
in the API's error format (lens.api.errors).

Only authenticated requests reach the throttles (DRF authenticates first): a request
without a valid token gets its 401 before any count.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle


class ClientRateThrottle(SimpleRateThrottle):
    """DRF's sliding-window throttle, keyed by API client, with rate and cache read from
    the settings at each request (so that a test's settings override applies)."""

    scope = "api"

    @property
    def cache(self):  # DRF's class attribute is Django's default cache, fixed at import
        return caches[settings.API_THROTTLE_CACHE]

    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request, view) -> str | None:
        client = getattr(request, "api_client", None)
        if client is None:
            return None  # not an API client: nothing to count (never reached: 401 first)
        return f"throttle:{self.scope}:{client.pk}"


class RevealRateThrottle(ClientRateThrottle):
    scope = "reveal"


class AssessRateThrottle(ClientRateThrottle):
    scope = "assess"
