"""Every write of account security state: the session epoch, TOTP devices, lockouts.

Views and management commands call these; they never change the models themselves. The
beheerder's writes (enrolling an authenticator, lifting a lockout, ending someone's
sessions) leave an audit record in the same transaction (lens.accounts.audit); a user
logging themselves out everywhere does not.
"""

from __future__ import annotations

import logging

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .audit import Operator
from .models import AuditKind, UserSecurity

log = logging.getLogger("lens.accounts")

DEVICE_NAME = "Authenticator app"


class AlreadyEnrolled(Exception):
    """The user already has a confirmed TOTP device and no replacement was asked for."""


def logout_everywhere(user) -> int:
    """End every session of the user (each is logged out at its next request).

    Returns the new epoch.
    """
    with transaction.atomic():
        security, _ = UserSecurity.objects.get_or_create(user=user)
        UserSecurity.objects.filter(pk=security.pk).update(session_epoch=F("session_epoch") + 1)
        security.refresh_from_db(fields=["session_epoch"])
    log.info("Sessions of user %s ended everywhere (epoch %d).", user.pk, security.session_epoch)
    return security.session_epoch


def end_sessions_of(user, *, by: Operator | None = None) -> int:
    """The beheerder ends every session of `user` (logout_everywhere, with its audit
    record). Returns the new epoch."""
    with transaction.atomic():
        epoch = logout_everywhere(user)
        audit.record(by, AuditKind.SESSIONS_ENDED, "user", user.pk, f"epoch {epoch}")
    return epoch


def enrol_totp(user, *, replace: bool = False, by: Operator | None = None) -> TOTPDevice:
    """Give the user a new, confirmed TOTP device (a new secret for their app).

    The beheerder shows the otpauth:// URL or QR code to the user in person. With
    `replace` (a lost or new phone) the old devices are removed and every session of
    the user is ended, so whoever holds the old phone is out.
    """
    with transaction.atomic():
        existing = TOTPDevice.objects.filter(user=user)
        if existing.filter(confirmed=True).exists() and not replace:
            raise AlreadyEnrolled(user.get_username())
        existing.delete()
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        if replace:
            logout_everywhere(user)
        audit.record(
            by,
            AuditKind.TOTP_ENROLLED,
            "user",
            user.pk,
            "replaced, sessions ended" if replace else "",
        )
    log.info("TOTP device enrolled for user %s (replace=%s).", user.pk, replace)
    return device


def failed_attempts(username: str) -> int:
    """How many failed logins are recorded under this name (a lockout counts them)."""
    return AccessAttempt.objects.filter(username=username).count()


def unlock(username: str, *, by: Operator | None = None) -> int:
    """Lift a lockout: remove the failed attempts (axes) and the devices' throttling.

    Returns the number of attempt records removed. The audit record names the user by
    id; a username that belongs to no user (attempts under a mistyped name) is not kept.
    """
    username_field = get_user_model().USERNAME_FIELD
    with transaction.atomic():
        removed = axes_reset(username=username)
        for device in TOTPDevice.objects.filter(**{f"user__{username_field}": username}):
            device.throttle_reset(commit=True)
        user_id = (
            get_user_model()
            ._default_manager.filter(**{username_field: username})
            .values_list("pk", flat=True)
            .first()
        )
        audit.record(
            by,
            AuditKind.LOCKOUT_LIFTED,
            "user",
            user_id,
            f"{removed} failed-attempt record(s) removed"
            + ("" if user_id else "; no user by that name"),
        )
    log.info("Login attempts of %r reset (%d records).", username, removed)
    return removed
