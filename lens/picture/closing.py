"""Closed periods: the figures of a period are kept as published once it is closed (issue
11 §2): later withdrawals, retention and catalogue changes no longer alter its cells, and
`lens picture rebuild` leaves them alone unless asked (docs/design/insight.md).

The rule: a period is closed by the operator with `lens picture close PERIOD` (a monthly
job after the council's report), and only after it has ended; closing a year or a quarter
closes its quarters and months with it. An open period is always answered from the cells
as the registrations are now; every view of a closed period (filtered or not) is counted
as the registrations stood at the closing and kept as published (lens.picture.kept).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Min

from lens.accounts import audit
from lens.accounts.models import AuditKind
from lens.data.registry import Registration

from . import pending
from .filters import Period
from .models import ClosedPeriod


class NotEnded(ValueError):
    """The period has not ended yet: its figures can still change."""


class BeforeData(ValueError):
    """The period lies wholly before the year of the first registration (or there is none
    yet): there is nothing to keep, and a typing error (0001 for 2001) is likelier."""

    def __init__(self, code: str, first_year: int | None):
        super().__init__(code)
        self.first_year = first_year


def within(code: str) -> list[str]:
    """The period and the shorter periods inside it."""
    start, end = Period(code).bounds
    found = [code]
    year = code[:4]
    if len(code) == 4:
        found += [f"{year}-Q{q}" for q in range(1, 5)]
    if len(code) != 7 or "Q" in code:
        month = start
        while month < end:
            found.append(f"{month.year}-{month.month:02d}")
            month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return found


def close(code: str, today: date, *, by: audit.Operator | None = None) -> list[str]:
    """Close the period (and those inside it); returns the ones newly closed. The audit
    record (who closed which period) is written in the same transaction, also when
    every period in it was closed before."""
    _start, end = Period(code).bounds
    if today < end:
        raise NotEnded(code)
    first = Registration.objects.aggregate(first=Min("observed_on"))["first"]
    if first is None or end <= date(first.year, 1, 1):
        raise BeforeData(code, first.year if first else None)
    pending.catch_up()  # the figures frozen with every committed write in them
    with transaction.atomic():
        already = set(ClosedPeriod.objects.values_list("period", flat=True))
        new = [p for p in within(code) if p not in already]
        ClosedPeriod.objects.bulk_create(ClosedPeriod(period=p) for p in new)
        audit.record(by, AuditKind.PERIOD_CLOSED, "period", code, " ".join(new))
    return new
