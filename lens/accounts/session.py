"""What a logged-in session carries, and how it starts and ends.

A session is only trusted when it was started by `start_session` (password and second
factor, see lens.accounts.views): that puts the user's session epoch and a last-seen
time in it. The middleware logs out any session without them, so a session made some
other way (a test's force_login, a future admin login) cannot dodge the idle timeout or
"log out everywhere".
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import django_otp
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout

from lens.data.registry import Membership

from .models import UserSecurity

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_otp.models import Device

# Session keys (JSON-serialisable values only).
EPOCH_KEY = "accounts_epoch"
LAST_SEEN_KEY = "accounts_last_seen"
MEMBERSHIP_KEY = "accounts_membership_id"
NOTICE_KEY = "accounts_notice"  # why the user was logged out, shown on the login page

# The password step done, waiting for the second factor.
PENDING_USER_KEY = "accounts_pending_user_id"
PENDING_BACKEND_KEY = "accounts_pending_backend"
PENDING_SINCE_KEY = "accounts_pending_since"
PENDING_NEXT_KEY = "accounts_pending_next"
PENDING_KEYS = (PENDING_USER_KEY, PENDING_BACKEND_KEY, PENDING_SINCE_KEY, PENDING_NEXT_KEY)
# How long the code may take after the password was accepted.
PENDING_SECONDS = 5 * 60

# Reasons for NOTICE_KEY.
NOTICE_LOGGED_OUT = "logged_out"
NOTICE_LOGGED_OUT_EVERYWHERE = "logged_out_everywhere"
NOTICE_IDLE = "idle"
NOTICE_ENDED_ELSEWHERE = "ended_elsewhere"
NOTICE_PENDING_EXPIRED = "pending_expired"


def now() -> int:
    return int(time.time())


def has_session_cookie(request: HttpRequest) -> bool:
    """Whether the browser sent a session cookie at all.

    Without one the visitor is anonymous for sure; checking this first keeps the
    anonymous pages (the signal check promises no cookies) from touching the session.
    """
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def current_epoch(user) -> int:
    epoch = UserSecurity.objects.filter(user=user).values_list("session_epoch", flat=True).first()
    return epoch or 0


def start_session(request: HttpRequest, user, device: Device, backend: str) -> None:
    """Log the user in after both factors: Django login, the OTP device, epoch, last seen."""
    for key in PENDING_KEYS:
        request.session.pop(key, None)
    # Django's login() gives the session a new key (no session fixation).
    auth_login(request, user, backend=backend)
    django_otp.login(request, device)
    request.session[EPOCH_KEY] = current_epoch(user)
    request.session[LAST_SEEN_KEY] = now()
    membership = single_active_membership(user)
    if membership is not None:
        request.session[MEMBERSHIP_KEY] = membership.pk


def end_session(request: HttpRequest, notice: str = "") -> None:
    """Log out (the session is flushed) and remember, in the new session, why."""
    auth_logout(request)
    # logout() sets a plain AnonymousUser; django_otp's middleware gives users an
    # is_verified() that the rest of the request may ask for.
    request.user.is_verified = lambda: False
    request.membership = None
    if notice:
        request.session[NOTICE_KEY] = notice


def active_memberships(user):
    return Membership.objects.filter(user=user, is_active=True).select_related("organisation")


def single_active_membership(user) -> Membership | None:
    memberships = list(active_memberships(user)[:2])
    return memberships[0] if len(memberships) == 1 else None


def resolve_active_membership(request: HttpRequest) -> Membership | None:
    """The membership chosen in this session, or the only one; None until one is chosen.

    A chosen membership that was deactivated (or never was the user's) is dropped. One
    query, which also tells how many active memberships the user has
    (`request.active_membership_count`, for the header's "switch" link).
    """
    user = request.user
    memberships = list(active_memberships(user))
    request.active_membership_count = len(memberships)
    chosen = request.session.get(MEMBERSHIP_KEY)
    if chosen is not None:
        membership = next((m for m in memberships if m.pk == chosen), None)
        if membership is not None:
            return membership
        del request.session[MEMBERSHIP_KEY]
    membership = memberships[0] if len(memberships) == 1 else None
    if membership is not None:
        request.session[MEMBERSHIP_KEY] = membership.pk
    return membership


def set_active_membership(request: HttpRequest, membership: Membership) -> None:
    request.session[MEMBERSHIP_KEY] = membership.pk
    request.membership = membership


def is_verified(user) -> bool:
    """Whether the user passed the second factor in this session (django_otp)."""
    check = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and callable(check) and check())
