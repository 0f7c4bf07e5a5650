"""Token authentication for the REST API: `Authorization: Token <token>`.

The token is looked up by its SHA-256 hash, never compared as text: the database only
ever sees the hash, so the time a lookup takes can tell an attacker at most how much of a
hash matched, which says nothing about any token (finding a token for a hash is a
preimage attack). The match is then confirmed with a constant-time comparison.

A valid token sets `request.user` to the client's service user and `request.api_client`
to the client, so `lens.access.actor.actor_from_request` gives an Actor that acts as a
professional of the client's organisation, and the access log names the client.
"""

from __future__ import annotations

import hmac

from django.utils import timezone
from rest_framework import authentication, exceptions

from lens.api.actions import hash_token
from lens.api.models import ApiClient

KEYWORD = "Token"
# Far longer than any token we issue (43 characters); refuse without hashing megabytes.
MAX_TOKEN_LENGTH = 200


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = KEYWORD

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # no credentials of ours: DRF answers 401 not_authenticated
        if len(header) == 1:
            raise exceptions.AuthenticationFailed(
                "The Authorization header names no token: use `Token <token>`.",
                code="invalid_token_header",
            )
        if len(header) > 2:
            raise exceptions.AuthenticationFailed(
                "The token in the Authorization header must not contain spaces.",
                code="invalid_token_header",
            )
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(
                "The token contains characters a token never has.", code="invalid_token"
            ) from None
        if len(token) > MAX_TOKEN_LENGTH:
            raise exceptions.AuthenticationFailed("Invalid token.", code="invalid_token")
        return self.authenticate_token(request, token)

    def authenticate_token(self, request, token: str):
        digest = hash_token(token)
        client = (
            ApiClient.objects.select_related("organisation", "user")
            .filter(token_hash=digest)
            .first()
        )
        if client is None or not hmac.compare_digest(client.token_hash, digest):
            raise exceptions.AuthenticationFailed("Invalid token.", code="invalid_token")
        if client.revoked_at is not None:
            revoked = timezone.localtime(client.revoked_at).isoformat(timespec="seconds")
            raise exceptions.AuthenticationFailed(
                f"This API client (prefix {client.token_prefix}) was revoked at {revoked}; "
                "ask the administrator for a new token.",
                code="token_revoked",
            )
        # On DRF's Request and on Django's HttpRequest underneath, so that every reader
        # (actor_from_request, middleware, logging) sees the same client.
        request.api_client = client
        request._request.api_client = client
        return client.user, client

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (with WWW-Authenticate) rather than 403 without credentials.
        return self.keyword
