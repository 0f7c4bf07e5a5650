"""Logging in (password, then the TOTP code), the lockout page, logging out, and
choosing the membership (role) to work in.

Failed attempts are counted by django-axes, per username. Wrong passwords reach it
through `authenticate(request=...)`; wrong codes are reported the same way, with
Django's `user_login_failed` signal (the one `authenticate` sends and axes listens to),
so passwords and codes share one counter and one lockout. Axes clears the counter when
`login()` completes, so only a login with both factors resets it.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime
from urllib.parse import urlencode

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import redirect_to_login
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from . import actions
from . import session as account_session
from .forms import ChooseMembershipForm, CodeForm, PasswordForm
from .totp import confirmed_devices

log = logging.getLogger("lens.accounts")


# --- helpers ----------------------------------------------------------------------------


def _render(
    request: HttpRequest, template: str, context: dict | None = None, status: int = 200
) -> HttpResponse:
    return render(request, template, context or {}, status=status)


def _safe_next(request: HttpRequest, url: str) -> str:
    """`url` when it is a path on this site, else "" (no open redirects)."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _after_login_url(request: HttpRequest, next_url: str) -> str:
    """Where a logged-in user goes: choose a role first when none is active."""
    if request.session.get(account_session.MEMBERSHIP_KEY) is None:
        return _with_next(reverse("accounts:choose-membership"), next_url)
    return next_url or resolve_url(settings.LOGIN_REDIRECT_URL)


def _notice(request: HttpRequest) -> dict[str, str] | None:
    """The reason the user was sent to the login page, once."""
    reason = request.session.pop(account_session.NOTICE_KEY, None)
    if not reason:
        return None
    minutes = max(1, settings.SESSION_IDLE_TIMEOUT // 60)
    texts = {
        account_session.NOTICE_LOGGED_OUT: ("ok", _("You are logged out.")),
        account_session.NOTICE_LOGGED_OUT_EVERYWHERE: (
            "ok",
            _("You are logged out on all your devices and browsers."),
        ),
        account_session.NOTICE_IDLE: (
            "info",
            ngettext(
                "You were logged out because you did nothing for %(minutes)d minute.",
                "You were logged out because you did nothing for %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        ),
        account_session.NOTICE_ENDED_ELSEWHERE: (
            "info",
            _(
                "You were logged out because your sessions were ended on all devices, "
                "by you or by the administrator."
            ),
        ),
        account_session.NOTICE_PENDING_EXPIRED: (
            "info",
            _("Logging in took too long. Enter your username and password again."),
        ),
    }
    if reason not in texts:
        return None
    kind, text = texts[reason]
    return {"kind": kind, "text": text}


def _clear_pending(request: HttpRequest) -> None:
    for key in account_session.PENDING_KEYS:
        request.session.pop(key, None)


def _pending(request: HttpRequest):
    """(user, backend, next) of a login waiting for its code, or None."""
    user_id = request.session.get(account_session.PENDING_USER_KEY)
    if user_id is None:
        return None
    since = request.session.get(account_session.PENDING_SINCE_KEY, 0)
    backend = request.session.get(account_session.PENDING_BACKEND_KEY, "")
    if (
        account_session.now() - since > account_session.PENDING_SECONDS
        or backend not in settings.AUTHENTICATION_BACKENDS
    ):
        _clear_pending(request)
        request.session[account_session.NOTICE_KEY] = account_session.NOTICE_PENDING_EXPIRED
        return None
    user = get_user_model()._default_manager.filter(pk=user_id, is_active=True).first()
    if user is None:
        _clear_pending(request)
        return None
    return user, backend, request.session.get(account_session.PENDING_NEXT_KEY, "")


# --- lockout ----------------------------------------------------------------------------


def _unlock_at(request: HttpRequest, username: str | None) -> datetime | None:
    """When the lockout ends: the last failure plus the cool-off; None if it never does."""
    cool_off = get_cool_off(request)
    if not cool_off:
        return None
    last_failure = None
    if username:
        last_failure = AccessAttempt.objects.filter(username=username).aggregate(
            last=Max("attempt_time")
        )["last"]
    return (last_failure or timezone.now()) + cool_off


SOON_MINUTES = 120


def retry_context(unlock_at: datetime | None, now: datetime) -> dict:
    """What the lockout page says about trying again: the moment (a time today, or a date
    and time), and, when it is soon, in how many minutes; also across midnight."""
    if unlock_at is None:
        return {"unlock_at": None, "minutes": None, "same_day": True}
    minutes = max(1, math.ceil((unlock_at - now).total_seconds() / 60))
    return {
        "unlock_at": unlock_at,
        "minutes": minutes if minutes <= SOON_MINUTES else None,
        "same_day": timezone.localtime(unlock_at).date() == timezone.localtime(now).date(),
    }


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The page for a locked-out username (also AXES_LOCKOUT_CALLABLE).

    It says when to try again, and the same for every username, existing or not.
    """
    username = get_client_username(request, credentials)
    context = retry_context(_unlock_at(request, username), timezone.now())
    if hasattr(request, "session"):
        _clear_pending(request)
    return _render(
        request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


# --- views ------------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    """Step 1: username and password."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.method == "GET" and account_session.is_verified(request.user):
        return redirect(_after_login_url(request, next_url))

    form = PasswordForm(request.POST if request.method == "POST" else None)
    failed = False
    if form.is_bound and form.is_valid():
        username = form.cleaned_data["username"]
        user = authenticate(request, username=username, password=form.cleaned_data["password"])
        if getattr(request, "axes_locked_out", False):
            return lockout_response(request, credentials={"username": username})
        if user is None:
            failed = True
        elif not confirmed_devices(user):
            log.warning("Login refused for user %s: no second factor enrolled.", user.pk)
            return _render(request, "accounts/no_device.html", status=403)
        else:
            # The password is right: remember who, in a fresh session key, until the code.
            request.session.cycle_key()
            request.session[account_session.PENDING_USER_KEY] = user.pk
            request.session[account_session.PENDING_BACKEND_KEY] = user.backend
            request.session[account_session.PENDING_SINCE_KEY] = account_session.now()
            request.session[account_session.PENDING_NEXT_KEY] = next_url
            return redirect("accounts:verify")

    return _render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "failed": failed,
            "next": next_url,
            "notice": None if form.is_bound else _notice(request),
        },
        # Refused (a wrong password, an unknown user, a field left empty: one status and
        # one message for all, so the answer does not tell which): 400, as every form.
        status=400 if form.is_bound else 200,
    )


def _check_code(user, code: str):
    """(device, throttled): the device that accepted the code, if any.

    `throttled` is True when every device is in django-otp's back-off after recent wrong
    codes: the code was not checked at all, so it does not count as a failure.
    """
    throttled = True
    for device in confirmed_devices(user):
        allowed, _info = device.verify_is_allowed()
        if not allowed:
            continue
        throttled = False
        verified = django_otp.verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified, False
    return None, throttled


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the authenticator app."""
    pending = _pending(request)
    if pending is None:
        return redirect("accounts:login")
    user, backend, next_url = pending
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return lockout_response(request, credentials=credentials)
    if not confirmed_devices(user):
        _clear_pending(request)
        return _render(request, "accounts/no_device.html", status=403)

    form = CodeForm(request.POST if request.method == "POST" else None)
    error = ""
    if form.is_bound and form.is_valid():
        device, throttled = _check_code(user, form.cleaned_data["code"])
        if device is not None:
            account_session.start_session(request, user, device, backend)
            log.info("User %s logged in.", user.pk)
            return redirect(_after_login_url(request, next_url))
        if throttled:
            error = _("Wait a few seconds, then enter the new code from your app.")
        else:
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                return lockout_response(request, credentials=credentials)
            error = _(
                "This code is not correct. Enter the code your app shows now; "
                "a code can be used only once."
            )
    # A code sent and refused (wrong, malformed, or not checked during the back-off): 400.
    status = 400 if form.is_bound else 200
    return _render(request, "accounts/verify.html", {"form": form, "error": error}, status=status)


@require_POST
def logout(request: HttpRequest) -> HttpResponseRedirect:
    account_session.end_session(request, account_session.NOTICE_LOGGED_OUT)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_POST
def logout_everywhere(request: HttpRequest) -> HttpResponseRedirect:
    """End every session of this user, this one included."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("accounts:choose-membership"))
    actions.logout_everywhere(request.user)
    account_session.end_session(request, account_session.NOTICE_LOGGED_OUT_EVERYWHERE)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@never_cache
@require_http_methods(["GET", "POST"])
def choose_membership(request: HttpRequest) -> HttpResponse:
    """Pick the membership (role + organisation or region) to work in."""
    if not account_session.is_verified(request.user):
        return redirect_to_login(request.get_full_path())
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    memberships = list(account_session.active_memberships(request.user))
    if not memberships:
        return _render(request, "accounts/no_membership.html")

    active = getattr(request, "membership", None)
    active_pk = str(active.pk) if active else ""
    form = ChooseMembershipForm(
        request.POST if request.method == "POST" else None, memberships=memberships
    )
    if form.is_bound and form.is_valid():
        membership = form.cleaned_data["membership"]
        account_session.set_active_membership(request, membership)
        log.info("User %s works as membership %s.", request.user.pk, membership.pk)
        return redirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
    return _render(
        request,
        "accounts/choose_membership.html",
        {
            "form": form,
            "memberships": memberships,
            "selected": form.data.get("membership", "") if form.is_bound else active_pk,
            "next": next_url,
        },
        status=400 if form.is_bound else 200,  # not one of the user's active roles
    )
