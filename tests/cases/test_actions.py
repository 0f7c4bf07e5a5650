"""The casework actions: the workflow's answer stored, one access-log entry per step in
the same transaction, refusals store nothing and speak Dutch, the policy's scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import translation

from lens.access.models import AccessLogEntry
from lens.cases import actions, records
from lens.casework.workflow import Consultation, replay
from lens.data.cases import AppendOnly, Case, Step
from lens.data.registry import Role
from tests.registry import factories

from .conftest import DAY, data, open_for, walk


def entries(case: Case) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(object_type="case", object_id=str(case.pk)))


def test_opening_stores_the_open_step_and_logs_it(world):
    actor = world.actor(Role.PROFESSIONAL)
    case = open_for(actor, world.own_person)
    assert (case.state, case.next_action) == ("opened", "map_signals")
    assert case.next_due is not None and case.next_due > DAY
    assert [s.transition for s in case.steps.all()] == ["open"]
    [entry] = entries(case)
    assert (entry.action, entry.purpose, entry.person_id) == (
        "create",
        "casus openen",
        world.own_person.pk,
    )


def test_one_open_case_per_person_per_organisation(world):
    actor = world.actor(Role.PROFESSIONAL)
    open_for(actor, world.own_person)
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        open_for(world.actor(Role.AANDACHTSFUNCTIONARIS), world.own_person)
    assert "al een open casus" in str(refused.value)
    assert Case.objects.count() == 1


def test_the_database_refuses_a_second_open_case(world, own_case):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            person=world.own_person,
            organisation=world.own,
            opened_by=own_case.opened_by,
            state="consulted",
        )


def test_after_closing_a_new_case_may_be_opened_and_reopening_the_old_is_refused(world):
    actor = world.actor(Role.PROFESSIONAL)
    first = walk(actor, open_for(actor, world.own_person), "close")
    assert (first.state, first.close_reason) == ("closed", "concern_not_confirmed")
    second = open_for(actor, world.own_person)
    assert second.pk != first.pk
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        actions.take_step(actor, first, "reopen", data("reopen"))
    assert "al een open casus" in str(refused.value)
    first.refresh_from_db()
    assert first.state == "closed" and first.steps.count() == 2


def test_the_columns_are_what_replay_of_the_steps_gives(world, own_case):
    actor = world.actor(Role.PROFESSIONAL)
    case = walk(actor, own_case, "map_signals", "consult", "converse", "weigh", "organise_help")
    flow = records.flow_of(records.stored_steps(case))
    assert (case.state, case.next_action, case.next_due) == (
        flow.state,
        flow.next_action,
        flow.next_due,
    )
    assert case.state == "following_help"
    assert len(entries(case)) == 6  # one per step, the open step included


def test_a_refused_step_stores_and_logs_nothing_and_says_why_in_dutch(world, own_case):
    actor = world.actor(Role.PROFESSIONAL)
    before = (Step.objects.count(), AccessLogEntry.objects.count())
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        actions.take_step(actor, own_case, "weigh", data("weigh"))
    assert "niet mogelijk" in str(refused.value)
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        actions.take_step(actor, own_case, "close", data("close", reason=""))
    assert refused.value.message_dict["reason"] == ["Dit veld is verplicht."]
    assert (Step.objects.count(), AccessLogEntry.objects.count()) == before
    own_case.refresh_from_db()
    assert own_case.state == "opened"


def test_an_anonymous_consultation_keeps_the_organisation_only(world, own_case):
    actor = world.actor(Role.PROFESSIONAL)
    walk(actor, own_case, "map_signals")
    named = Consultation("veilig_thuis", organisation="Veilig Thuis X", consultee="Jan")
    step = actions.take_step(actor, own_case, "consult", data("consult", consultations=(named,)))
    assert step.consultations.get().consultee == "Jan"
    anon = Consultation(
        "veilig_thuis", organisation="Veilig Thuis X", consultee="Jan", anonymous=True
    )
    with pytest.raises(ValidationError) as refused:
        actions.take_step(actor, own_case, "consult", data("consult", consultations=(anon,)))
    assert "consultations.1.consultee" in refused.value.message_dict
    anon = Consultation("veilig_thuis", organisation="Veilig Thuis X", anonymous=True)
    step = actions.take_step(actor, own_case, "consult", data("consult", consultations=(anon,)))
    [row] = step.consultations.all()
    assert (row.organisation, row.consultee, row.anonymous) == ("Veilig Thuis X", "", True)


def test_steps_are_append_only(own_case):
    step = own_case.steps.get()
    step.done = "changed"
    with pytest.raises(AppendOnly):
        step.save()
    with pytest.raises(AppendOnly):
        step.delete()


def test_stored_steps_replay_to_the_same_case_as_the_pure_workflow(world, own_case):
    actor = world.actor(Role.PROFESSIONAL)
    names = ["map_signals", "consult", "converse", "weigh", "report", "close"]
    case = walk(actor, own_case, *names)
    steps = records.stored_steps(case)
    pure = replay([(s.transition, records.step_data(s)) for s in steps])
    assert pure.state == "closed" and pure.close_reason == "concern_not_confirmed"
    assert [s.transition for s in steps] == ["open", *names]


def test_other_organisations_case_is_404_and_roles_without_person_data_403(world, other_case):
    actor = world.actor(Role.PROFESSIONAL)
    with pytest.raises(Http404):
        actions.take_step(actor, other_case, "map_signals", data("map_signals"))
    with pytest.raises(Http404):
        open_for(actor, world.other_person)
    for role in (Role.ANALIST, Role.BEHEERDER, Role.ZORGCOORDINATOR):
        with pytest.raises(PermissionDenied):
            actions.take_step(world.actor(role), other_case, "map_signals", data("map_signals"))
    assert other_case.steps.count() == 1


def test_the_aandachtsfunctionaris_takes_steps_of_the_organisations_case(world, own_case):
    aandacht = world.actor(Role.AANDACHTSFUNCTIONARIS)
    case = walk(aandacht, own_case, "acute")
    assert (case.state, case.next_action, case.next_due) == ("acute", "report", DAY)
    other = factories.actor(world.other_professional)
    with pytest.raises(Http404):
        actions.take_step(other, case, "report", data("report"))


def test_the_demo_opens_cases_at_every_stage_some_overdue(world, monkeypatch):
    from django.utils import timezone

    from lens.demo import cases as demo_cases
    from lens.demo.world import World as DemoWorld

    members = [
        world.members[Role.PROFESSIONAL],
        world.members[Role.AANDACHTSFUNCTIONARIS],
        world.members[Role.ZORGCOORDINATOR],  # answers the demo's referrals
    ]
    demo = DemoWorld(organisations={"own": world.own}, memberships=members)
    for _ in range(len(demo_cases.PLANS)):
        factories.person(world.actor(Role.PROFESSIONAL))
    assert demo_cases.build_cases(demo) == len(demo_cases.PLANS)
    assert demo_cases.build_cases(demo) == 0  # once
    cases = Case.objects.filter(organisation=world.own)
    states = set(cases.values_list("state", flat=True))
    assert {"opened", "signals_mapped", "consulted", "weighed", "reported"} <= states
    assert {"following_help", "acute", "closed"} <= states
    assert "conversation" in states
    today = timezone.localdate()
    assert cases.exclude(state="closed").filter(next_due__lt=today).count() >= 2
    for case in cases:
        flow = records.flow_of(records.stored_steps(case))
        assert (case.state, case.next_due) == (flow.state, flow.next_due)
    # Referrals to the zorgcoördinator: two waiting (one past its due date), one
    # answered into its case, one answered after its case was closed (late).
    from lens.data.cases import CaseReferral

    links = CaseReferral.objects.filter(case__organisation=world.own)
    waiting = links.filter(answered_at=None)
    assert waiting.count() == 2
    assert waiting.filter(case__next_due__lt=today, case__next_action="referral_answered").exists()
    answered = links.exclude(answered_at=None)
    assert [link.is_late for link in answered.order_by("pk")] == [False, True]
    [late] = [link for link in answered if link.is_late]
    assert late.case.state == "closed"


def test_each_step_keeps_the_own_outcome_then_and_the_page_shows_what_changed(
    world, own_case, login
):
    from lens.data.registry import PersonOutcome
    from tests.registry.test_views import text, url

    def outcome(level, blind_spots):
        PersonOutcome.objects.create(
            person=world.own_person,
            level=level,
            outcome={},
            blind_spots=blind_spots,
            catalogue_version="t",
            ruleset_version="t",
        )

    actor = world.actor(Role.PROFESSIONAL)
    outcome(1, 5)
    walk(actor, own_case, "map_signals")
    outcome(3, 2)
    walk(actor, own_case, "consult")
    levels = [(s.level, s.blind_spots) for s in records.stored_steps(own_case)]
    assert levels[1:] == [(1, 5), (3, 2)]
    page = text(login(world.members[Role.PROFESSIONAL]).get(url("cases:case", case_id=own_case.pk)))
    assert "veranderd sinds de vorige stap (niveau 1, blinde vlekken 5)" in page
    assert page.count("veranderd sinds de vorige stap") == 2  # open (none) -> 1, 1 -> 3


def test_hand_over_to_a_colleague_and_the_officer_reassigns(world):
    professional = world.actor(Role.PROFESSIONAL)
    officer = world.members[Role.AANDACHTSFUNCTIONARIS]
    colleague = factories.membership(Role.PROFESSIONAL, world.own)
    case = open_for(professional, world.own_person)
    assert case.assigned_to_id == professional.author().pk
    before = len(entries(case))
    actions.hand_over(professional, case, colleague.user_id, seen_handler=case.assigned_to_id)
    case.refresh_from_db()
    assert case.assigned_to_id == colleague.user_id
    assert len(entries(case)) == before + 1 and entries(case)[-1].purpose == "casus: overdragen"
    # The former handler may no longer hand it over; the aandachtsfunctionaris may.
    with pytest.raises(PermissionDenied):  # the former handler reads only
        actions.hand_over(professional, case, officer.user_id, seen_handler=case.assigned_to_id)
    actions.hand_over(
        world.actor(Role.AANDACHTSFUNCTIONARIS),
        case,
        professional.author().pk,
        seen_handler=case.assigned_to_id,
    )
    case.refresh_from_db()
    assert case.assigned_to_id == professional.author().pk


def test_hand_over_only_within_the_organisation(world, own_case, other_case):
    professional = world.actor(Role.PROFESSIONAL)
    with pytest.raises(ValidationError) as refused:
        actions.hand_over(
            professional,
            own_case,
            world.other_professional.user_id,
            seen_handler=own_case.assigned_to_id,
        )
    assert "to" in refused.value.message_dict
    with pytest.raises(Http404):
        actions.hand_over(
            professional,
            other_case,
            professional.author().pk,
            seen_handler=other_case.assigned_to_id,
        )
    own_case.refresh_from_db()
    assert own_case.assigned_to_id == professional.author().pk


def test_the_action_holds_the_step_rules_the_form_also_shows(world):
    """Every way in (page, API, command) meets the step's rules in the action: a date in
    the future and text over its limit are refused in Dutch with nothing written; text is
    stored without its surrounding spaces."""
    from datetime import timedelta

    from django.utils import timezone

    from lens.casework.free_text import NAME_MAX, TEXT_MAX

    actor = world.actor(Role.PROFESSIONAL)
    case = open_for(actor, world.own_person)
    stored = Step.objects.count()
    tomorrow = timezone.localdate() + timedelta(days=1)
    with translation.override("nl"), pytest.raises(ValidationError) as future:
        actions.take_step(actor, case, "map_signals", data("map_signals", on=tomorrow))
    assert future.value.message_dict == {"on": ["Deze datum ligt in de toekomst."]}
    with translation.override("nl"), pytest.raises(ValidationError) as too_long:
        actions.take_step(
            actor, case, "map_signals", data("map_signals", done="x" * (TEXT_MAX + 1))
        )
    assert list(too_long.value.message_dict) == ["done"]
    assert "te lang" in too_long.value.message_dict["done"][0]
    with pytest.raises(ValidationError) as long_name:
        walk(actor, case, "map_signals")
        consultation = Consultation("colleague", consultee="C" * (NAME_MAX + 1))
        actions.take_step(actor, case, "consult", data("consult", consultations=(consultation,)))
    assert list(long_name.value.message_dict) == ["consultations.1.consultee"]
    assert Step.objects.count() == stored + 1  # only map_signals
    actions.take_step(actor, case, "consult", data("consult", done="  Overlegd  \n"))
    assert case.steps.order_by("number").last().done == "Overlegd"


def test_opening_reads_the_latest_outcome_once(world, monkeypatch):
    """The trigger and the open step's stored level come from one read of the outcome."""
    from lens.data.registry import OutcomeQuerySet

    reads = []
    real = OutcomeQuerySet.latest_for

    def counted(self, person):
        reads.append(person)
        return real(self, person)

    monkeypatch.setattr(OutcomeQuerySet, "latest_for", counted)
    case = open_for(world.actor(Role.PROFESSIONAL), world.own_person)
    assert len(reads) == 1
    assert case.steps.get().level == world.own_person.outcomes.newest_first().first().level
