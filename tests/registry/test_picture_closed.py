"""Closed periods (lens.picture.closing): once closed, a period's cells stay as published;
withdrawals (and so retention and catalogue changes, which go through the same
maintenance) change only the open periods, and `lens picture rebuild` leaves the closed
cells alone unless asked."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from lens.accounts.audit import Operator
from lens.accounts.models import AuditKind, AuditRecord
from lens.data.registry import Role
from lens.insight import disclosure
from lens.insight.audit import propagate
from lens.picture import pending, selectors
from lens.picture.filters import Filters, Period, Scope
from lens.picture.models import ClosedPeriod, PictureCell
from lens.registry import actions

from . import factories

TILBURG = "GM0855"


def months_back(n: int) -> date:
    today = date.today()
    month = today.year * 12 + today.month - 1 - n
    return date(month // 12, month % 12 + 1, 10)


@pytest.fixture
def past(world, catalogue):
    """Fifteen persons registered in Tilburg two months ago; the month's code."""
    actor = world.actor(Role.PROFESSIONAL)
    day = months_back(2)
    registrations = [
        factories.registration(
            actor, factories.person(actor), municipality_code=TILBURG, observed_on=day
        )
        for _ in range(15)
    ]
    # Twenty more this month: the month is not all but 1-9 of every period (withheld).
    for _ in range(20):
        factories.registration(actor, factories.person(actor), municipality_code=TILBURG)
    return actor, registrations, f"{day.year}-{day.month:02d}"


def month_cell(month: str) -> int:
    pending.catch_up()  # the cells as a read of the picture finds them
    return PictureCell.objects.get(
        region="midden_brabant", area=TILBURG, period=month, organisation_type="", kind="n"
    ).persons


def test_a_closed_month_keeps_its_figures_after_withdrawals_and_a_rebuild(past, catalogue):
    actor, registrations, month = past
    scope, view = Scope("midden_brabant"), Filters(period=Period(month))
    before = selectors.picture(scope, view, catalogue).by_area
    call_command("picture", "close", month)
    assert ClosedPeriod.objects.filter(period=month).exists()
    for registration in registrations[:4]:
        actions.withdraw_registration(actor, registration, "Dubbel geregistreerd.")
    assert month_cell(month) == 15  # frozen
    everything = PictureCell.objects.get(
        region="midden_brabant", area=TILBURG, period="", organisation_type="", kind="n"
    )
    assert everything.persons == 31  # the open "all periods" moved (11 and this month's 20)
    assert selectors.picture(scope, view, catalogue).by_area == before
    call_command("picture", "rebuild")
    assert month_cell(month) == 15  # a rebuild leaves it as published
    call_command("picture", "rebuild", "--include-closed")
    assert month_cell(month) == 11  # unless asked


def test_an_open_month_follows_the_withdrawals(past):
    actor, registrations, month = past
    actions.withdraw_registration(actor, registrations[0], "Dubbel geregistreerd.")
    assert month_cell(month) == 14


def test_closing_a_quarter_closes_its_months_and_a_running_period_cannot_close(world):
    actor = world.actor(Role.PROFESSIONAL)
    factories.registration(actor, factories.person(actor), observed_on=date(2023, 11, 2))
    call_command("picture", "close", "2024-Q2")
    assert set(ClosedPeriod.objects.values_list("period", flat=True)) == {
        "2024-Q2",
        "2024-04",
        "2024-05",
        "2024-06",
    }
    with pytest.raises(CommandError) as running:
        call_command("picture", "close", str(date.today().year))
    assert running.value.returncode == 2 and "nog niet voorbij" in str(running.value)
    with pytest.raises(CommandError) as malformed:
        call_command("picture", "close", "2024-13")
    assert malformed.value.returncode == 2


def test_without_registrations_no_period_can_close(db):
    with pytest.raises(CommandError) as nothing:
        call_command("picture", "close", "2024")
    assert nothing.value.returncode == 2 and "er zijn nog geen registraties" in str(nothing.value)
    assert not ClosedPeriod.objects.exists()


def test_a_period_before_all_data_is_refused(world):
    """The outside probe: `lens picture close 0001` stored 17 closed periods."""
    actor = world.actor(Role.PROFESSIONAL)
    factories.registration(actor, factories.person(actor), observed_on=date(2023, 11, 2))
    for before in ("0001", "1999", "2022-Q4", "2022-12"):
        with pytest.raises(CommandError) as refused:
            call_command("picture", "close", before)
        assert refused.value.returncode == 2
        assert "de eerste registratie is uit 2023" in str(refused.value)
    assert not ClosedPeriod.objects.exists()
    call_command("picture", "close", "2023-01")  # the first data's year: may be closed
    assert ClosedPeriod.objects.filter(period="2023-01").exists()


def broken_audit(**fields):
    raise DatabaseError("synthetic failure of the audit insert")


def test_closing_leaves_one_audit_record_naming_the_operator(world, monkeypatch):
    actor = world.actor(Role.PROFESSIONAL)
    factories.registration(actor, factories.person(actor), observed_on=date(2023, 11, 2))
    call_command("picture", "close", "2024-Q2")
    [record] = AuditRecord.objects.filter(kind=AuditKind.PERIOD_CLOSED)
    assert (record.object_type, record.object_id, record.details) == (
        "period",
        "2024-Q2",
        "2024-Q2 2024-04 2024-05 2024-06",
    )
    assert record.user_id is None and record.os_user == Operator.command_line().os_user
    with pytest.raises(CommandError):
        call_command("picture", "close", str(date.today().year))  # refused: no record
    assert AuditRecord.objects.count() == 1
    # The record and the closing commit together: a record that fails closes nothing.
    monkeypatch.setattr(AuditRecord.objects, "create", broken_audit)
    with pytest.raises(DatabaseError):
        call_command("picture", "close", "2024")
    assert not ClosedPeriod.objects.filter(period="2024").exists()
    assert ClosedPeriod.objects.count() == 4


def test_a_rebuild_of_closed_periods_leaves_one_audit_record(past, monkeypatch):
    actor, registrations, month = past
    call_command("picture", "close", month)
    actions.withdraw_registration(actor, registrations[0], "Dubbel geregistreerd.")
    call_command("picture", "rebuild")  # closed periods untouched: not recorded
    assert not AuditRecord.objects.filter(kind=AuditKind.CLOSED_PERIODS_REBUILT).exists()
    with monkeypatch.context() as patched:
        patched.setattr(AuditRecord.objects, "create", broken_audit)
        with pytest.raises(DatabaseError):
            call_command("picture", "rebuild", "--include-closed")
    assert month_cell(month) == 15  # the failed record took the recount with it
    call_command("picture", "rebuild", "--include-closed")
    assert month_cell(month) == 14
    [record] = AuditRecord.objects.filter(kind=AuditKind.CLOSED_PERIODS_REBUILT)
    assert (record.object_type, record.user_id) == ("picture", None)
    assert record.os_user == Operator.command_line().os_user and month in record.details.split()


def test_a_late_registration_into_a_closed_month_keeps_every_view_fast_and_as_published(
    past, catalogue, monkeypatch
):
    """The outside probe: after `lens picture close` a backdated registration into the
    closed month made the open margins disagree with the frozen cells; the audit then
    propagated contradictory bounds for its 200 rounds on every step (22 s a page)."""
    import time

    actor, _registrations, month = past
    scope = Scope("midden_brabant")
    year, quarter = month[:4], f"{month[:4]}-Q{(int(month[5:]) - 1) // 3 + 1}"
    views = [
        Filters(period=Period(code), area=area)
        for code in ("", year, quarter, month)
        for area in ("", TILBURG)
    ]
    before = {
        (v.period.code, v.area): selectors.picture(scope, v, catalogue).by_area for v in views
    }
    call_command("picture", "close", month)
    day = date(int(month[:4]), int(month[5:]), 20)
    for _ in range(8):  # late: into the closed month, in and without a municipality
        factories.registration(
            actor, factories.person(actor), municipality_code=TILBURG, observed_on=day
        )
    factories.registration(actor, factories.person(actor), observed_on=day)
    assert month_cell(month) == 15
    crossed = []

    def watched(bounds, constraints):
        found = propagate(bounds, constraints)
        crossed.extend(b for b in found if b[0] > b[1])
        return found

    monkeypatch.setattr(disclosure, "propagate", watched)
    for view in views:
        started = time.monotonic()
        found = selectors.picture(scope, view, catalogue).by_area
        assert time.monotonic() - started < 2, view
        if view.period.code == month:  # the closed month's own page: as published
            assert found == before[(month, view.area)]
    assert not crossed  # the audit's constraints never contradicted each other
