"""Test helpers for other apps' tests: the accounts app wired in, and a logged-in
session as our login makes it.

    from lens.accounts.testing import log_in, wire_in
    wire_in(settings)                    # pytest-django's settings fixture
    log_in(client, user, membership)     # password + TOTP done, membership active

`client.force_login()` alone is not enough: the session must carry the second factor,
the session epoch and a last-seen time, or lens.accounts.middleware logs it out.
"""

from __future__ import annotations

import copy

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import checks
from . import session as account_session


def wire_in(settings) -> None:
    """Make sure `settings` (pytest-django's fixture) has what lens.accounts.checks asks of
    lens/settings.py: the accounts middleware right after OTPMiddleware, and the context
    processor. Settings that have them already are left as they are."""
    middleware = list(settings.MIDDLEWARE)
    ours = [m for m in checks.MIDDLEWARE_ORDER if m.startswith("lens.accounts.")]
    if ours[0] not in middleware:
        at = middleware.index("django_otp.middleware.OTPMiddleware") + 1
        middleware[at:at] = ours
    settings.MIDDLEWARE = middleware
    templates = copy.deepcopy(settings.TEMPLATES)
    processors = templates[0]["OPTIONS"]["context_processors"]
    if checks.CONTEXT_PROCESSOR not in processors:
        processors.append(checks.CONTEXT_PROCESSOR)
    settings.TEMPLATES = templates


def log_in(client, user, membership=None) -> TOTPDevice:
    """Log `user` in on the test `client` with both factors; returns the TOTP device."""
    device = TOTPDevice.objects.filter(
        user=user, confirmed=True
    ).first() or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[account_session.EPOCH_KEY] = account_session.current_epoch(user)
    session[account_session.LAST_SEEN_KEY] = account_session.now()
    if membership is not None:
        session[account_session.MEMBERSHIP_KEY] = membership.pk
    session.save()
    return device
