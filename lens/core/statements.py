"""The public statements a Dutch public service publishes: the privacy statement
(privacyverklaring) and the accessibility statement (toegankelijkheidsverklaring).

Public, for everyone, and linked from every page's footer (lens/templates/base.html).
The figures they name are read from the settings and the code at request time, so the
pages say what this installation does and never a second, hand-kept copy: the session
times, the login lockout and the local picture's small-count threshold. The organisation
that runs the installation names itself and its contacts in the settings
(ORGANISATION_NAME, PRIVACY_CONTACT, PRIVACY_OFFICER, ACCESSIBILITY_CONTACT); left empty,
the pages speak of "the organisation that manages this installation".
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from lens.insight.disclosure import THRESHOLD

# The day the accessibility statement was drawn up or last reviewed: change it with the
# statement's text (a statement says when it was made).
ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 12, 6)


def minutes(seconds: float) -> int:
    """Whole minutes (at least one) for a setting in seconds."""
    return max(1, round(seconds / 60))


def organisation() -> dict[str, str]:
    """The organisation's own name and contacts from the settings ('' when not set)."""
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "privacy_contact": settings.PRIVACY_CONTACT,
        "privacy_officer": settings.PRIVACY_OFFICER,
        "accessibility_contact": settings.ACCESSIBILITY_CONTACT,
    }


def retention() -> dict[str, int]:
    """The periods the privacy statement names, from the settings in force."""
    return {
        "session_idle_minutes": minutes(settings.SESSION_IDLE_TIMEOUT),
        "session_max_minutes": minutes(settings.SESSION_COOKIE_AGE),
        "lockout_attempts": settings.AXES_FAILURE_LIMIT,
        # AXES_COOLOFF_TIME is in hours (settings.py converts AXES_COOLOFF_MINUTES).
        "lockout_minutes": minutes(settings.AXES_COOLOFF_TIME * 3600),
        "small_count": THRESHOLD,
        "inactive_days": settings.RETENTION_INACTIVE_DAYS,
        "login_records_days": settings.RETENTION_LOGIN_RECORDS_DAYS,
        "open_case_idle_days": settings.RETENTION_OPEN_CASE_IDLE_DAYS,
        "open_case_max_idle_days": settings.RETENTION_OPEN_CASE_MAX_IDLE_DAYS,
    }


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html", {**organisation(), **retention()})


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/accessibility.html",
        {**organisation(), "statement_date": ACCESSIBILITY_STATEMENT_DATE},
    )
