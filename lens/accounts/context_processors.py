"""Template context for the header's account block (accounts/_active_membership.html)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation

from lens.catalogue.services import region_label

from .session import active_memberships, has_session_cookie


def membership(request: HttpRequest) -> dict:
    """`account_user`, `active_membership`, `active_region` (the name of its region, for
    the regional roles) and `can_switch_membership` (lazy).

    Nothing is looked up without a session cookie, so anonymous pages stay cookie-free.
    """
    user = getattr(request, "user", None)
    if not has_session_cookie(request) or user is None or not user.is_authenticated:
        return {
            "account_user": None,
            "active_membership": None,
            "active_region": "",
            "can_switch_membership": False,
        }

    def can_switch_membership() -> bool:
        # Counted by MembershipMiddleware with the membership itself (no query of its own).
        count = getattr(request, "active_membership_count", None)
        if count is None:
            count = active_memberships(user).count()
        return count > 1

    membership = getattr(request, "membership", None)

    def active_region() -> str:
        if membership is None or not membership.region:
            return ""
        return region_label(membership.region, translation.get_language() or "nl")

    return {
        "account_user": user,
        "active_membership": membership,
        "active_region": active_region,
        "can_switch_membership": can_switch_membership,
    }
