"""API clients: an organisation's own system, calling the REST API with a token.

The token itself is never stored: only its first characters (to recognise a client in
lists and logs) and its SHA-256 hash. `lens apiclient create` prints the token once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lens.data.registry import Organisation

# Characters of the token kept in clear, to tell clients apart (`lens apiclient list`,
# `lens apiclient revoke PREFIX`). 8 characters of a urlsafe token are 48 of its 256 bits:
# enough to recognise it, far too few to guess the rest.
PREFIX_LENGTH = 8


class ApiClient(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="api_clients"
    )
    name = models.CharField(max_length=100)  # as the access log shows it (api_client)
    # The account the client's writes are attributed to (Registration.author and the
    # like): a service user without password or membership that cannot log in.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    token_prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True)
    # SHA-256 of the whole token, hex. A plain hash (no salt, no slow key derivation) is
    # enough here: the token is 32 random bytes from `secrets`, not a password a person
    # chose, so there is no dictionary to try and 2**256 guesses is out of reach however
    # fast the hash. A fast hash also lets authentication look the client up by it.
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = "API client"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="api_client_name_unique_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ThrottleCount(models.Model):
    """How many requests one API client made in one window of one throttle scope
    (lens.api.throttling). One row per (scope, client, window), counted up with one
    atomic upsert, so that requests that arrive at the same moment, in any number of
    server processes, each count once."""

    key = models.CharField(max_length=100, unique=True)  # scope:client:window
    count = models.PositiveIntegerField()
    expires = models.FloatField(db_index=True)  # Unix time the window ends

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
