"""Logging a user in on the test client the way the real login leaves a session.

    from tests.login import log_in
    log_in(client, user, membership)     # password + TOTP done, membership active

`client.force_login()` alone is not enough: lens.accounts.middleware (in lens/settings.py's
MIDDLEWARE) logs a session out unless it carries the second factor, the session epoch and
a last-seen time. This sets exactly what the two-step login sets (tests/accounts checks
the login itself), so the tests that use it go through the real middleware and URLconf.
"""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lens.accounts import session as account_session


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


def seen_now(client) -> None:
    """The session seen just now: a measured request that follows slow set-up (rows made
    on a busy machine can take longer than the idle middleware's LAST_SEEN_RESOLUTION)
    would otherwise also rewrite the session (one query on SQLite, three with savepoints
    on PostgreSQL), which says nothing about the page. Call it right before each measured
    request of a query-count test."""
    session = client.session
    session[account_session.LAST_SEEN_KEY] = account_session.now()
    session.save()
