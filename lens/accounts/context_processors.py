"""Template context for the header's account block (accounts/_active_membership.html)."""

from __future__ import annotations

from django.http import HttpRequest

from .session import active_memberships, has_session_cookie


def membership(request: HttpRequest) -> dict:
    """`account_user`, `active_membership` and `can_switch_membership` (lazy).

    Nothing is looked up without a session cookie, so anonymous pages stay cookie-free.
    """
    user = getattr(request, "user", None)
    if not has_session_cookie(request) or user is None or not user.is_authenticated:
        return {"account_user": None, "active_membership": None, "can_switch_membership": False}

    def can_switch_membership() -> bool:
        return active_memberships(user).count() > 1

    return {
        "account_user": user,
        "active_membership": getattr(request, "membership", None),
        "can_switch_membership": can_switch_membership,
    }
