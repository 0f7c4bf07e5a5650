"""`membership_required` for views, and the same as a mixin for class-based views.

- anonymous: to the login page (and back here afterwards);
- logged in without the second factor: to the login page as well. Our login always asks
  for it (lens.accounts.totp), so this catches sessions made another way;
- no active membership: to the page for choosing one (and back here afterwards);
- otherwise the view runs, with `request.membership` set.

Which role may do what is not decided here but by the access policy (lens.access).
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .session import is_verified


def _refusal(request: HttpRequest) -> HttpResponse | None:
    if not is_verified(request.user):
        return redirect_to_login(request.get_full_path())
    if getattr(request, "membership", None) is None:
        url = reverse("accounts:choose-membership")
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
    return None


def membership_required(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        refusal = _refusal(request)
        if refusal is not None:
            return refusal
        return view(request, *args, **kwargs)

    return wrapper


class MembershipRequiredMixin:
    def dispatch(self, request: HttpRequest, *args, **kwargs):
        refusal = _refusal(request)
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)
