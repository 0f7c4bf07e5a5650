"""A referral to the zorgcoördinator from the person's page is a step of the
organisation's meldcode case (lens.cases.referrals.refer_person): the open case's
`refer` step, or a case opened for it, so that the answer comes back into that case."""

from __future__ import annotations

import html
import re

import pytest
from django.utils import timezone

from lens.access.models import AccessLogEntry
from lens.cases import referrals
from lens.data.cases import Case, CaseReferral, Step
from lens.data.coordination import Referral
from lens.data.registry import Role
from tests.registry import factories
from tests.registry.test_views import text, url

from .conftest import walk
from .test_referrals import post

pytestmark = pytest.mark.django_db

REASON = "Synthetisch: signalen op school en schulden, graag meekijken"


def text_of(body: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def refer_from_person_page(client, person):
    return post(client, url("registry:refer", pseudonym=person.pseudonym), reason=REASON)


def steps_of(case: Case) -> list[str]:
    return list(case.steps.order_by("number").values_list("transition", flat=True))


def test_without_a_case_a_case_is_opened_with_the_referral_as_its_step(world, login):
    person = world.own_person
    assert not Case.objects.exists()
    response = refer_from_person_page(login(world.members[Role.PROFESSIONAL]), person)
    assert response.status_code == 302, text(response)
    case = Case.objects.get(person=person)
    assert steps_of(case) == ["open", "refer"]
    assert case.assigned_to == world.members[Role.PROFESSIONAL].user
    refer = case.steps.get(transition="refer")
    assert refer.done == REASON
    assert refer.fields["organisation"] == "Zorgcoördinator mensenhandel Midden-Brabant"
    link = CaseReferral.objects.get()
    assert (link.case, link.step, link.referral.reason) == (case, refer, REASON)
    assert Referral.objects.get() == link.referral
    # The case page shows the referral as a step.
    page = text(login(world.members[Role.PROFESSIONAL]).get(url("cases:case", case_id=case.pk)))
    assert "Doorverwijzen naar de zorgcoördinator" in page and REASON in page


def test_the_answer_of_the_care_coordinator_comes_back_into_that_case(world, login):
    person = world.own_person
    refer_from_person_page(login(world.members[Role.PROFESSIONAL]), person)
    link = CaseReferral.objects.get()
    coordinator = login(world.members[Role.ZORGCOORDINATOR])
    assert person.pseudonym in text(coordinator.get(url("cases:referrals")))
    response = post(
        coordinator,
        url("cases:referral_answer", link_id=link.pk),
        answer="taken_up",
        note="Opgepakt in het zorgoverleg",
    )
    assert response.status_code == 302
    case = Case.objects.get(person=person)
    assert steps_of(case) == ["open", "refer", "referral_answered"]
    answered = case.steps.get(transition="referral_answered")
    assert answered.fields == {"referral_answer": "taken_up"}
    assert answered.by == world.members[Role.ZORGCOORDINATOR].user


def test_an_open_case_gets_the_referral_as_its_next_step(world, login, own_case):
    walk(world.actor(Role.PROFESSIONAL), own_case, "map_signals", on=timezone.localdate())
    response = refer_from_person_page(login(world.members[Role.PROFESSIONAL]), world.own_person)
    assert response.status_code == 302
    assert Case.objects.count() == 1
    assert steps_of(own_case) == ["open", "map_signals", "refer"]
    assert CaseReferral.objects.get().case == own_case


def test_a_closed_case_stays_closed_and_a_new_case_is_opened(world, login, own_case):
    walk(world.actor(Role.PROFESSIONAL), own_case, "close", on=timezone.localdate())
    response = refer_from_person_page(login(world.members[Role.PROFESSIONAL]), world.own_person)
    assert response.status_code == 302
    new = Case.objects.exclude(pk=own_case.pk).get()
    assert steps_of(new) == ["open", "refer"]
    assert steps_of(own_case) == ["open", "close"]
    assert CaseReferral.objects.get().case == new


def test_a_case_waiting_for_an_answer_refuses_a_second_referral_and_writes_nothing(
    world, login, own_case
):
    client = login(world.members[Role.PROFESSIONAL])
    assert refer_from_person_page(client, world.own_person).status_code == 302
    before = (Step.objects.count(), Referral.objects.count(), AccessLogEntry.objects.count())
    response = refer_from_person_page(client, world.own_person)
    assert response.status_code == 400
    assert "Er staat al een doorverwijzing naar de zorgcoördinator open." in text(response)
    # No step, no referral, and no write logged (a 400 logs no read either).
    after = (Step.objects.count(), Referral.objects.count(), AccessLogEntry.objects.count())
    assert after == before


def test_a_colleague_who_does_not_handle_the_open_case_is_told_who_does(world, login, own_case):
    colleague = factories.membership(Role.PROFESSIONAL, world.own)
    before = (Step.objects.count(), Referral.objects.count())
    response = refer_from_person_page(login(colleague), world.own_person)
    assert response.status_code == 400
    handler = world.members[Role.PROFESSIONAL].user.get_username()
    assert handler in text(response)
    assert (Step.objects.count(), Referral.objects.count()) == before


def test_the_aandachtsfunctionaris_refers_through_any_open_case(world, login, own_case):
    response = refer_from_person_page(
        login(world.members[Role.AANDACHTSFUNCTIONARIS]), world.own_person
    )
    assert response.status_code == 302
    assert steps_of(own_case) == ["open", "refer"]
    refer = own_case.steps.get(transition="refer")
    assert refer.by == world.members[Role.AANDACHTSFUNCTIONARIS].user


def test_the_coordinator_name_comes_from_the_catalogue_with_a_fallback(world):
    assert referrals.coordinator_of("amsterdam") == "Zorgcoördinator mensenhandel Amsterdam"
    assert referrals.coordinator_of("nergens").startswith("Zorgcoördinator mensenhandel ")
    assert not Case.objects.exists()  # naming the coordinator writes nothing


# --- what the refer page offers is what refer_person accepts (referrals.refer_problems) ------


def refer_page(client, person) -> str:
    response = client.get(url("registry:refer", pseudonym=person.pseudonym))
    assert response.status_code == 200
    return response.content.decode()


def offers_the_form(body: str) -> bool:
    return 'name="reason"' in body and '<form method="post"' in body


def test_a_colleague_is_not_offered_the_form_but_told_who_handles_it_and_how_to_take_over(
    world, login, own_case
):
    colleague = factories.membership(Role.PROFESSIONAL, world.own)
    body = refer_page(login(colleague), world.own_person)
    assert not offers_the_form(body)
    handler = world.members[Role.PROFESSIONAL].user.get_username()
    page = text_of(body)
    assert f"behandeld door {handler}" in page
    assert "Wilt u de casus overnemen? Vraag dan" in page and "Overdragen" in page
    assert url("cases:case", case_id=own_case.pk) in body  # the way to the case
    assert "Verbeter" not in page  # no fields to correct: it was never a form


def test_a_case_waiting_for_an_answer_offers_no_second_referral(world, login, own_case):
    client = login(world.members[Role.PROFESSIONAL])
    assert refer_from_person_page(client, world.own_person).status_code == 302
    body = refer_page(client, world.own_person)
    assert not offers_the_form(body)
    assert "Er staat al een doorverwijzing naar de zorgcoördinator open." in text_of(body)


def test_the_handler_and_the_aandachtsfunctionaris_are_offered_the_form(world, login, own_case):
    for role in (Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS):
        assert offers_the_form(refer_page(login(world.members[role]), world.own_person)), role


def test_what_is_refused_on_the_page_is_what_refer_person_refuses(world, own_case):
    """One rule: for each situation, `refer_problems` is empty exactly when
    `refer_person` takes the referral."""
    from django.core.exceptions import ValidationError

    from lens.cases import selectors

    colleague = factories.actor(factories.membership(Role.PROFESSIONAL, world.own))
    handler = world.actor(Role.PROFESSIONAL)
    officer = world.actor(Role.AANDACHTSFUNCTIONARIS)
    fresh = factories.person(handler)  # no case yet
    situations = [
        (colleague, world.own_person),  # someone else handles the open case
        (handler, fresh),  # no case: one is opened
        (officer, world.own_person),  # the officer refers through any case: it waits now
        (handler, world.own_person),  # waits for the officer's referral's answer
        (colleague, fresh),  # the handler's case opened above
    ]
    seen = []
    for actor, person in situations:
        problems = referrals.refer_problems(actor, selectors.open_case_of(person))
        try:
            referrals.refer_person(actor, person, REASON)
        except ValidationError as error:
            assert error.messages == problems
            seen.append(False)
        else:
            assert problems == []
            seen.append(True)
    assert seen == [False, True, True, False, False]


def test_the_person_page_offers_the_referral_only_to_whoever_can_refer(world, login, own_case):
    """The button follows the refer action's rule (policy.may_act_for_person): the
    handler and the aandachtsfunctionaris; a colleague who does not handle the open case
    is not offered it; without an open case every professional is."""
    button = url("registry:refer", pseudonym=world.own_person.pseudonym)
    person_page = url("registry:person", pseudonym=world.own_person.pseudonym)
    colleague = factories.membership(Role.PROFESSIONAL, world.own)
    for member in (world.members[Role.PROFESSIONAL], world.members[Role.AANDACHTSFUNCTIONARIS]):
        assert f'href="{button}"' in login(member).get(person_page).content.decode()
    assert f'href="{button}"' not in login(colleague).get(person_page).content.decode()
    walk(world.actor(Role.PROFESSIONAL), own_case, "close", on=timezone.localdate())
    assert f'href="{button}"' in login(colleague).get(person_page).content.decode()
