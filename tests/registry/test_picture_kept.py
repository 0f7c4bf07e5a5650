"""Every view of a closed period stays as published (lens.picture.kept; issue 11 §2,
"History stays true"): after `lens picture close`, a late registration dated in the closed
month, a withdrawal and a correction change no figure of it in any view, filtered by
indicator, leefgebied or phenomenon or not, on the page, in the downloads and in `lens
picture export`; an open period still follows the registrations (the outside probe saw a
closed month's filtered views go 28 -> 33 and 10 -> 14, and "Onbekend" 0 -> "<10")."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from lens.data.registry import Role
from lens.picture.models import KeptView
from lens.registry import actions

from . import factories
from .test_picture import DONGEN, TILBURG

REGION = "midden_brabant"
SECOND = "unexplained_debts"  # indicator finances, leefgebied wonen_financien


def months_back(n: int) -> date:
    today = timezone.localdate()
    month = today.year * 12 + today.month - 1 - n
    return date(month // 12, month % 12 + 1, 10)


def code_of(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


@pytest.fixture
def filters(catalogue):
    """One indicator, one leefgebied and one phenomenon of a signal that shares neither
    with SECOND."""
    other = catalogue.signals[SECOND]
    signal = next(
        s
        for s in catalogue.signals.values()
        if not set(s.indicators) & set(other.indicators)
        and not set(s.life_domains) & set(other.life_domains)
        and s.indicators
        and s.life_domains
    )
    return {
        "signal": signal.code,
        "indicator": signal.indicators[0],
        "leefgebied": signal.life_domains[0],
        "fenomeen": "fraud",
    }


def fill(actor, filters, day: date):
    """12 persons in Tilburg with the chosen signal and fraud, 14 in Tilburg and 3 in
    Dongen with another signal, on `day`; the registrations of the first group."""
    chosen = [
        factories.registration(
            actor,
            factories.person(actor),
            signals=[filters["signal"]],
            municipality_code=TILBURG,
            phenomena=["fraud"],
            observed_on=day,
        )
        for _ in range(12)
    ]
    for municipality, count in ((TILBURG, 14), (DONGEN, 3)):
        for _ in range(count):
            factories.registration(
                actor,
                factories.person(actor),
                signals=[SECOND],
                municipality_code=municipality,
                observed_on=day,
            )
    return chosen


def views(filters, month: str) -> list[dict]:
    found = []
    for area in ({}, {"gebied": TILBURG}):
        found.append({"periode": month, **area})
        for name in ("indicator", "leefgebied", "fenomeen"):
            found.append({"periode": month, name: filters[name], **area})
    found.append({"periode": month, "indicator": filters["indicator"], "fenomeen": "fraud"})
    return found


def query(view: dict) -> str:
    return "?" + "&".join(f"{k}={v}" for k, v in view.items())


def cells(html: str) -> list[str]:
    """The figures of the page's tables (every table cell, in order)."""
    return [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]


def figures(client, view: dict) -> dict:
    """What the page, the CSV download and `lens picture export` show of one view."""
    with translation.override("nl"):
        page = reverse("picture:overview")
        csv = reverse("picture:download", kwargs={"format": "csv"})
    shown = client.get(page + query(view))
    assert shown.status_code == 200, view
    out = io.StringIO()
    args = ["--period", view["periode"], "--format", "json"]
    args += ["--municipality", view["gebied"]] if "gebied" in view else ["--region", REGION]
    call_command("picture", "export", *args, stdout=out)
    return {
        "page": cells(shown.content.decode()),
        "csv": client.get(csv + query(view)).content.decode("utf-8-sig"),
        # the command has no indicator filters: the closed month's own tables
        "export": out.getvalue(),
    }


def late_changes(actor, filters, day: date, chosen) -> None:
    """Into the month: 5 late registrations with the chosen signal in Tilburg and one
    without a municipality ("Onbekend"); one withdrawal and one correction of the
    chosen ones."""
    for _ in range(5):
        factories.registration(
            actor,
            factories.person(actor),
            signals=[filters["signal"]],
            municipality_code=TILBURG,
            phenomena=["fraud"],
            observed_on=day,
        )
    factories.registration(
        actor, factories.person(actor), signals=[filters["signal"]], observed_on=day
    )
    actions.withdraw_registration(actor, chosen[0], "Dubbel geregistreerd.")
    actions.correct_registration(actor, chosen[1], signals=[SECOND])


def test_every_view_of_a_closed_month_stays_as_published(world, login, filters):
    actor = world.actor(Role.PROFESSIONAL)
    day = months_back(2)
    month = code_of(day)
    chosen = fill(actor, filters, day)
    client = login(world.members[Role.ANALIST])
    before = {query(v): figures(client, v) for v in views(filters, month)}
    call_command("picture", "close", month)
    late_changes(actor, filters, day.replace(day=20), chosen)
    for view in views(filters, month):
        assert figures(client, view) == before[query(view)], view
    assert KeptView.objects.filter(period=month).count() >= len(views(filters, month))


def test_a_view_first_read_after_the_late_changes_is_counted_as_at_the_closing(
    world, login, filters
):
    """No view of the closed month was read before: it is counted over the registrations
    as they stood at the closing, not as they are now."""
    actor = world.actor(Role.PROFESSIONAL)
    day = months_back(2)
    month = code_of(day)
    chosen = fill(actor, filters, day)
    client = login(world.members[Role.ANALIST])
    view = {"periode": month, "indicator": filters["indicator"]}
    with translation.override("nl"):
        page = reverse("picture:overview") + query(view)
    before = cells(client.get(page).content.decode())
    KeptView.objects.all().delete()  # nothing kept (the period was open: nothing is)
    assert not KeptView.objects.exists()
    call_command("picture", "close", month)
    late_changes(actor, filters, day.replace(day=20), chosen)
    assert cells(client.get(page).content.decode()) == before


def test_an_open_month_still_follows_the_registrations(world, login, filters):
    actor = world.actor(Role.PROFESSIONAL)
    day = timezone.localdate().replace(day=1)
    month = code_of(day)
    chosen = fill(actor, filters, day)
    client = login(world.members[Role.ANALIST])
    before = {query(v): figures(client, v) for v in views(filters, month)}
    late_changes(actor, filters, day, chosen)
    narrowed = [v for v in views(filters, month) if "indicator" in v or "leefgebied" in v]
    assert len(narrowed) == 5
    for view in narrowed:
        assert figures(client, view) != before[query(view)], view
    assert not KeptView.objects.exists()


def test_retention_deleting_records_of_a_closed_month_changes_no_figure_read_before(
    world, login, filters
):
    """Retention deletes the records behind a closed month's figures; the views read
    before it (kept) stay as published: a KeptView holds no person data, so retention
    leaves it."""
    from django.db import transaction

    from lens.data.registry import Person
    from lens.retention import erase

    actor = world.actor(Role.PROFESSIONAL)
    day = months_back(2)
    month = code_of(day)
    chosen = fill(actor, filters, day)
    client = login(world.members[Role.ANALIST])
    before = {query(v): figures(client, v) for v in views(filters, month)}
    call_command("picture", "close", month)
    for view in views(filters, month):  # read once after the closing: kept
        assert figures(client, view) == before[query(view)]
    gone = list(Person.objects.filter(pk__in=[r.person_id for r in chosen[:6]]))
    with transaction.atomic():
        erase.delete_persons(gone, "test")
    assert not Person.objects.filter(pk__in=[p.pk for p in gone]).exists()
    for view in views(filters, month):
        assert figures(client, view) == before[query(view)], view
