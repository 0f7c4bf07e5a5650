"""Every write of API clients: creating one (with its token) and revoking one.

Both are the beheerder's writes: each leaves an audit record in its transaction
(lens.accounts.audit), naming the client by id and token prefix, never the token.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.accounts import audit
from lens.accounts.audit import Operator
from lens.accounts.models import AuditKind
from lens.api.models import PREFIX_LENGTH, ApiClient
from lens.data.registry import Organisation

TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    """The stored form of a token: SHA-256, hex (see ApiClient.token_hash for why)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """32 random bytes, urlsafe base64 (43 characters). Never starting with "-", so that
    its prefix can be given on the command line (`lens apiclient revoke PREFIX`) without
    being read as an option; skipping those costs less than one bit of the 256."""
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if not token.startswith("-"):
            return token


def create_client(
    organisation: Organisation, name: str, *, by: Operator | None = None
) -> tuple[ApiClient, str]:
    """Create an API client for `organisation`; returns (client, token).

    The token is returned here and nowhere else: only its prefix and hash are stored.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Give the API client a name.")]})
    if len(name) > ApiClient._meta.get_field("name").max_length:
        raise ValidationError({"name": [_("Keep the name to 100 characters.")]})
    if ApiClient.objects.filter(organisation=organisation, name=name).exists():
        raise ValidationError(
            {"name": [_("This organisation already has an API client by that name.")]}
        )
    for _attempt in range(5):
        token = new_token()
        prefix = token[:PREFIX_LENGTH]
        try:
            with transaction.atomic():
                # No password (create_user then sets an unusable one) and inactive: no
                # login path can ever accept this account.
                user = get_user_model().objects.create_user(
                    username=f"api-client-{prefix}",
                    first_name=f"API: {name}"[:150],
                    is_active=False,
                )
                client = ApiClient.objects.create(
                    organisation=organisation,
                    name=name,
                    user=user,
                    token_prefix=prefix,
                    token_hash=hash_token(token),
                )
                audit.record(
                    by,
                    AuditKind.API_CLIENT_ADDED,
                    "apiclient",
                    client.pk,
                    f"organisation {organisation.pk}, prefix {prefix}",
                )
        except IntegrityError:
            # Two tokens sharing a prefix (1 in 2**48) or a name taken at the same moment.
            if ApiClient.objects.filter(organisation=organisation, name=name).exists():
                raise ValidationError(
                    {"name": [_("This organisation already has an API client by that name.")]}
                ) from None
            continue
        return client, token
    raise RuntimeError("could not find a free token prefix")  # pragma: no cover


def revoke_client(client: ApiClient, *, by: Operator | None = None) -> ApiClient:
    """Revoke the client from now on; the row stays (the access log names it)."""
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk)
        if locked.revoked_at is not None:
            raise ValidationError(_("This API client was revoked already."))
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record(
            by,
            AuditKind.API_CLIENT_REVOKED,
            "apiclient",
            locked.pk,
            f"organisation {locked.organisation_id}, prefix {locked.token_prefix}",
        )
    return locked
