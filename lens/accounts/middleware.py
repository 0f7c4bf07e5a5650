"""Session checks on every request, and the active membership.

Install after django_otp.middleware.OTPMiddleware, in this order:

    "lens.accounts.middleware.SessionEpochMiddleware",   # "log out everywhere"
    "lens.accounts.middleware.IdleTimeoutMiddleware",    # SESSION_IDLE_TIMEOUT
    "lens.accounts.middleware.MembershipMiddleware",     # request.membership

A request without a session cookie is anonymous for sure: none of these touch the
session then, so the anonymous pages keep their promise of setting no cookie.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import session as account_session

log = logging.getLogger("lens.accounts")

# The last-seen time is written at most this often (seconds), so that not every request
# rewrites the session; the idle timeout is exact to within this.
LAST_SEEN_RESOLUTION = 10


def _authenticated(request: HttpRequest) -> bool:
    if not account_session.has_session_cookie(request):
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class SessionEpochMiddleware:
    """Log out a session started before the user's last "log out everywhere".

    A session without an epoch was not started by our login (force_login, another login
    view): it is not trusted either.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _authenticated(request):
            epoch = request.session.get(account_session.EPOCH_KEY)
            if epoch is None or epoch != account_session.current_epoch(request.user):
                log.info("Session of user %s ended: epoch changed.", request.user.pk)
                account_session.end_session(request, account_session.NOTICE_ENDED_ELSEWHERE)
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Log out after SESSION_IDLE_TIMEOUT seconds without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _authenticated(request):
            now = account_session.now()
            last_seen = request.session.get(account_session.LAST_SEEN_KEY)
            if last_seen is None or now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                log.info("Session of user %s ended: idle.", request.user.pk)
                account_session.end_session(request, account_session.NOTICE_IDLE)
            elif now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[account_session.LAST_SEEN_KEY] = now
        return self.get_response(request)


class MembershipMiddleware:
    """Set `request.membership`: the active Membership of request.user, or None.

    The chosen membership's id is kept in the session; a user with exactly one active
    membership has that one without choosing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = (
            account_session.resolve_active_membership(request) if _authenticated(request) else None
        )
        return self.get_response(request)
