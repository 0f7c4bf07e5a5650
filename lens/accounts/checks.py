"""System checks: the accounts app only protects anything when it is wired in.

Warnings, not errors, so that `lens migrate` and friends still run while the settings
are being put together; `lens check` shows them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register

MIDDLEWARE_ORDER = [
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lens.accounts.middleware.SessionEpochMiddleware",
    "lens.accounts.middleware.IdleTimeoutMiddleware",
    "lens.accounts.middleware.MembershipMiddleware",
]
CONTEXT_PROCESSOR = "lens.accounts.context_processors.membership"
LOCKOUT_CALLABLE = "lens.accounts.views.lockout_response"


@register()
def accounts_wired_in(app_configs=None, **kwargs):
    problems = []
    middleware = list(settings.MIDDLEWARE)
    positions = [middleware.index(m) if m in middleware else -1 for m in MIDDLEWARE_ORDER]
    if -1 in positions or positions != sorted(positions):
        problems.append(
            Warning(
                "The accounts middleware is missing or out of order.",
                hint="MIDDLEWARE needs, in this order: " + ", ".join(MIDDLEWARE_ORDER),
                id="accounts.W001",
            )
        )
    processors = [
        p
        for engine in settings.TEMPLATES
        for p in engine.get("OPTIONS", {}).get("context_processors", [])
    ]
    if CONTEXT_PROCESSOR not in processors:
        problems.append(
            Warning(
                "The accounts context processor is missing.",
                hint=f"Add {CONTEXT_PROCESSOR!r} to TEMPLATES' context_processors.",
                id="accounts.W002",
            )
        )
    if getattr(settings, "AXES_LOCKOUT_CALLABLE", None) != LOCKOUT_CALLABLE:
        problems.append(
            Warning(
                "The lockout page is django-axes' plain English text.",
                hint=f"Set AXES_LOCKOUT_CALLABLE = {LOCKOUT_CALLABLE!r}.",
                id="accounts.W003",
            )
        )
    return problems
