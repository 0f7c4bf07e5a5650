"""The retention rules: which records have outlived their purpose, by the settings in force.

Each rule has a name (kept in tombstones and in the access log), a period from the
settings, and the reason the README gives for its default. The access log itself is not
deleted by any rule: NEN 7513 asks to keep it (at least five years), and its hash chain
must keep verifying; tombstones stay too (they hold no content).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import DateTimeField, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from lens.data.cases import CLOSED, Case
from lens.data.coordination import (
    InformationRequest,
    LeadAssignment,
    PersonRelation,
    Referral,
)
from lens.data.registry import InformedNotice, Person, Registration, Submission, Withdrawal

INACTIVE_PERSON = "inactive_person"
IDLE_OPEN_CASE = "idle_open_case"  # inactive, with an open case idle past the hard limit
ERASURE_REQUEST = "erasure_request"
LOGIN_RECORDS = "login_records"
SUBMISSIONS = "submissions"


@dataclass(frozen=True)
class Periods:
    inactive_days: int
    login_records_days: int
    submissions_days: int
    open_case_idle_days: int = 180
    open_case_max_idle_days: int = 1095

    @classmethod
    def from_settings(cls) -> Periods:
        return cls(
            inactive_days=settings.RETENTION_INACTIVE_DAYS,
            login_records_days=settings.RETENTION_LOGIN_RECORDS_DAYS,
            submissions_days=settings.RETENTION_SUBMISSIONS_DAYS,
            open_case_idle_days=settings.RETENTION_OPEN_CASE_IDLE_DAYS,
            open_case_max_idle_days=settings.RETENTION_OPEN_CASE_MAX_IDLE_DAYS,
        )


def _latest(model, person_path: str, *times: str) -> list[Subquery]:
    """The latest of `times` among `model`'s rows of the outer person, one subquery each."""
    return [
        Subquery(
            model.objects.filter(**{person_path: OuterRef("pk")})
            .order_by()
            .values(person_path)
            .annotate(latest=Max(time))
            .values("latest")[:1],
            output_field=DateTimeField(),
        )
        for time in times
    ]


def last_activity() -> Greatest:
    """When the organisation last did something with the record: made it, registered,
    withdrew, informed the person, took a step in a case, referred it, was named lead,
    asked or answered an information request, recorded or ended a relation. Recomputed
    outcomes, matches the system proposes and reads are no activity: they must not keep
    data alive by themselves."""
    times = [
        *_latest(Registration, "person", "created_at"),
        *_latest(Case, "person", "updated_at"),
        *_latest(Withdrawal, "registration__person", "withdrawn_at"),
        *_latest(InformedNotice, "person", "recorded_at"),
        *_latest(Referral, "person", "referred_at"),
        *_latest(LeadAssignment, "person", "assigned_at"),
        *_latest(InformationRequest, "person", "asked_at", "answered_at"),
        *_latest(PersonRelation, "person_a", "recorded_at", "ended_at"),
        *_latest(PersonRelation, "person_b", "recorded_at", "ended_at"),
    ]
    # Greatest is NULL on SQLite when any argument is: a missing time counts as the
    # record's own creation, which is never later than the activity that exists.
    return Greatest(F("created_at"), *(Coalesce(t, F("created_at")) for t in times))


def idle_open_cases(
    now: datetime | None = None, periods: Periods | None = None, *, days: int | None = None
) -> QuerySet:
    """Open cases without a step or hand-over for `days` (default: the review period,
    RETENTION_OPEN_CASE_IDLE_DAYS): forgotten, or finished without being closed."""
    periods = periods or Periods.from_settings()
    idle = periods.open_case_idle_days if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=idle)
    return Case.objects.exclude(state=CLOSED).filter(updated_at__lt=cutoff)


def inactive_persons(now: datetime | None = None, periods: Periods | None = None) -> QuerySet:
    """Records with no activity in the period: due for deletion with all they hold. An
    open meldcode case keeps the record while it is worked on: until it has been idle
    past the hard limit (RETENTION_OPEN_CASE_MAX_IDLE_DAYS); it was reported for review
    long before (`idle_open_cases`)."""
    periods = periods or Periods.from_settings()
    cutoff = (now or timezone.now()) - timedelta(days=periods.inactive_days)
    abandoned = idle_open_cases(now, periods, days=periods.open_case_max_idle_days)
    kept_open = Case.objects.exclude(state=CLOSED).exclude(pk__in=abandoned.values("pk"))
    return (
        Person.objects.alias(last=last_activity())
        .filter(last__lt=cutoff)
        .exclude(pk__in=kept_open.values("person_id"))
        .order_by("pk")
    )


def old_submissions(now: datetime | None = None, periods: Periods | None = None) -> QuerySet:
    """Idempotency records (which request wrote what: ids, no content) past their use."""
    periods = periods or Periods.from_settings()
    cutoff = (now or timezone.now()) - timedelta(days=periods.submissions_days)
    return Submission.objects.filter(created_at__lt=cutoff)


def old_login_records(now: datetime | None = None, periods: Periods | None = None):
    """django-axes' records of logins and failed attempts (a username, an address, a time)
    past the period: {kind: queryset}."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    periods = periods or Periods.from_settings()
    cutoff = (now or timezone.now()) - timedelta(days=periods.login_records_days)
    return {
        "login_attempt": AccessAttempt.objects.filter(attempt_time__lt=cutoff),
        "login_failure": AccessFailureLog.objects.filter(attempt_time__lt=cutoff),
        "login": AccessLog.objects.filter(attempt_time__lt=cutoff),
    }
