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
