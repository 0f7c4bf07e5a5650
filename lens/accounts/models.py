"""Per-user security state that outlives a single session.

`session_epoch` makes "log out everywhere" work with any session backend: every session
remembers the epoch it was started in, and a session whose epoch is no longer the
user's current one is logged out on its next request (lens.accounts.middleware). So
ending all sessions is one counter increment, with no need to find and delete them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserSecurity(models.Model):
    # CASCADE, unlike the registry's PROTECT: this row is the user's own session state,
    # not history, and means nothing without the user.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security"
    )
    session_epoch = models.PositiveIntegerField(_("session epoch"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("user security")
        verbose_name_plural = _("user security")

    def __str__(self) -> str:
        return f"{self.user_id}: epoch {self.session_epoch}"


class AuditKind(models.TextChoices):
    """What a beheerder's write did: one code per kind of write."""

    ORGANISATION_ADDED = "organisation.added", _("organisation added")
    ORGANISATION_CONTACT = "organisation.contact", _("organisation contact changed")
    USER_ADDED = "user.added", _("user added")
    USER_DEACTIVATED = "user.deactivated", _("user deactivated")
    MEMBERSHIP_ADDED = "membership.added", _("membership added")
    MEMBERSHIP_ENDED = "membership.ended", _("membership ended")
    TOTP_ENROLLED = "totp.enrolled", _("authenticator set up")
    SESSIONS_ENDED = "sessions.ended", _("all sessions ended")
    LOCKOUT_LIFTED = "lockout.lifted", _("login lockout lifted")
    API_CLIENT_ADDED = "apiclient.added", _("API client added")
    API_CLIENT_REVOKED = "apiclient.revoked", _("API client revoked")
    IDENTITY_KEYS_ROTATED = "identity.rotated", _("identity keys re-wrapped")
    CATALOGUE_LOADED = "catalogue.loaded", _("catalogue version loaded")
    CATALOGUE_REACTIVATED = "catalogue.reactivated", _("catalogue version reactivated")
    PERIOD_CLOSED = "picture.closed", _("local picture period closed")
    CLOSED_PERIODS_REBUILT = "picture.rebuilt", _("closed periods recomputed")
    PERSON_ERASED = "person.erased", _("person erased on request")


class AuditRecord(models.Model):
    """One beheerder write: who, what, on which object, when, and a short detail.

    Append-only: database triggers refuse UPDATE and DELETE (migration 0002). Written by
    the action that makes the write, in the same transaction (lens.accounts.audit). Ids
    and names as plain values, not foreign keys, so that nothing cascades into it. The
    object is named by its type and id only: never a person's identity.
    """

    at = models.DateTimeField(_("at"), db_index=True)
    # Who: a logged-in user (user_id, username, role), or the command line (user_id
    # empty, os_user the operating-system account that ran `lens ...`).
    user_id = models.BigIntegerField(null=True)
    username = models.CharField(_("by"), max_length=150, blank=True)
    role = models.CharField(max_length=32, blank=True)
    os_user = models.CharField(max_length=150, blank=True)
    kind = models.CharField(_("what"), max_length=32, choices=AuditKind.choices)
    object_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=64, blank=True)
    details = models.CharField(_("details"), max_length=500, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.object_type} {self.object_id}"
