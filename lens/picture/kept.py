"""The views of a closed period, kept as published (issue 11 §2 "History stays true";
docs/design/insight.md, "Closed periods: every view as published").

A view of a closed period (its period is a ClosedPeriod) is counted once, over the
registrations as they stood when the period was closed (`Registration.objects.as_of`:
recorded before the closing, withdrawals and corrections after it ignored), and stored as
published (KeptView) when first read; every later read returns the stored figures. So a
late registration dated in the closed period, a withdrawal or correction after the
closing, a link decision, a retention deletion or a catalogue change alters no figure of it
in any view (filtered or not, page, download, report or `lens picture export`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import datetime

from django.db import transaction

from lens.insight import disclosure

from . import cooccurrence
from .filters import Filters, Scope
from .models import ClosedPeriod, KeptView
from .published import Picture

# The classes a stored view may hold (nothing else is built from stored data).
_CLASSES = {c.__name__: c for c in (Picture, disclosure.Published, cooccurrence.CoOccurrence)}


def closed_at(code: str) -> datetime | None:
    """When the period was closed; None for an open period (or all periods)."""
    if not code:
        return None
    return ClosedPeriod.objects.filter(period=code).values_list("closed_at", flat=True).first()


def view_key(scope: Scope, filters: Filters) -> str:
    return "|".join(
        (
            scope.region,
            scope.municipality,
            filters.area,
            filters.period.code,
            filters.organisation_type,
            filters.indicator,
            filters.life_domain,
            filters.phenomenon,
            filters.outside,
        )
    )


def dump(value):
    """A published picture as JSON: tuples, dicts with tuple keys and the dataclasses
    tagged so that `load` gives back an equal value."""
    if is_dataclass(value):
        return {
            "c": type(value).__name__,
            "f": {f.name: dump(getattr(value, f.name)) for f in fields(value)},
        }
    if isinstance(value, tuple):
        return {"t": [dump(v) for v in value]}
    if isinstance(value, dict):
        return {"d": [[dump(k), dump(v)] for k, v in value.items()]}
    if value is None or isinstance(value, bool | int | str):
        return value
    raise TypeError(f"not a published value: {type(value).__name__}")


def load(value):
    if isinstance(value, dict):
        if "c" in value:
            return _CLASSES[value["c"]](**{k: load(v) for k, v in value["f"].items()})
        if "t" in value:
            return tuple(load(v) for v in value["t"])
        return {load(k): load(v) for k, v in value["d"]}
    return value


def kept(scope: Scope, filters: Filters, count: Callable[[datetime], Picture]) -> Picture | None:
    """The view as kept for its closed period, counted by `count(closed_at)` and stored
    on its first read; None when the period is open."""
    moment = closed_at(filters.period.code)
    if moment is None:
        return None
    key = view_key(scope, filters)
    stored = KeptView.objects.filter(view=key).values_list("figures", flat=True).first()
    if stored is not None:
        return load(stored)
    found = count(moment)
    with transaction.atomic():
        # Two first reads at once: the first stored is the one both return.
        KeptView.objects.bulk_create(
            [KeptView(view=key, period=filters.period.code, figures=dump(found))],
            ignore_conflicts=True,
        )
        stored = KeptView.objects.filter(view=key).values_list("figures", flat=True).first()
    return load(stored)
