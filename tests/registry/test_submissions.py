"""The same form sent twice (a double click, a reload, a retry) is saved once; a person
with the same name and birth date as one the organisation knows (no BSN) is registered
only after the user says whether it is the same person (issue 9, defects 2 and 5)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from lens.access.models import AccessLogEntry, Action
from lens.data.registry import (
    InformedNotice,
    Person,
    Registration,
    Role,
    Submission,
    Withdrawal,
)
from lens.registry.views import PURPOSE_SAME_NAME
from tests.concurrency import at_once, log_emptied_afterwards, on_postgresql  # noqa: F401
from tests.login import log_in

from . import factories
from .factories import counts
from .test_views import new_person_data, text, url

KEY = "formulier-sleutel-1"


@pytest.fixture
def professional(world, login):
    return login(world.members[Role.PROFESSIONAL])


def reports(person: Person) -> dict[str, int]:
    outcome = factories.document(person.outcomes.latest())
    return {signal["code"]: signal["reports"] for signal in outcome["explanation"]["signals"]}


def hidden_key(response) -> str:
    match = re.search(r'name="submission_key" value="([^"]+)"', response.content.decode())
    assert match, "the form carries no submission key"
    return match.group(1)


# --- the same form twice ------------------------------------------------------------------


def test_the_register_form_carries_a_new_key_each_time(professional):
    first = hidden_key(professional.get(url("registry:register")))
    second = hidden_key(professional.get(url("registry:register")))
    assert first != second and len(first) >= 20


def test_a_double_submitted_registration_is_saved_once(professional, catalogue):
    data = new_person_data(catalogue, submission_key=KEY)
    first = professional.post(url("registry:register"), data)
    second = professional.post(url("registry:register"), data, follow=True)
    assert first.status_code == 302
    person = Person.objects.latest("pk")
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "Dit formulier is meer dan eens verstuurd; het is één keer opgeslagen." in text(second)
    assert Person.objects.filter(organisation=person.organisation).count() == 2  # + the fixture's
    assert person.registrations.count() == 1
    assert set(reports(person).values()) == {1}


def test_without_the_key_the_old_behaviour_stays_per_post(professional, catalogue):
    # A different key is a different submission: the second one adds to the known person
    # (the same BSN), it is not refused.
    data = new_person_data(catalogue, bsn="111222333", submission_key=KEY)
    professional.post(url("registry:register"), data)
    professional.post(url("registry:register"), {**data, "submission_key": KEY + "-2"})
    person = Person.objects.latest("pk")
    assert person.registrations.count() == 2


def test_a_key_sent_again_with_other_content_writes_nothing(professional, catalogue):
    professional.post(url("registry:register"), new_person_data(catalogue, submission_key=KEY))
    before = counts()
    response = professional.post(
        url("registry:register"),
        new_person_data(catalogue, submission_key=KEY, context_note="Iets anders."),
    )
    assert response.status_code == 400
    assert "Dit formulier is al verstuurd." in text(response)
    assert hidden_key(response) != KEY  # the form shown again is a new form
    assert counts() == before


def test_a_refused_submission_does_not_use_up_its_key(professional, catalogue):
    bad = new_person_data(catalogue, submission_key=KEY, observed_on="2999-01-01")
    assert professional.post(url("registry:register"), bad).status_code == 400
    assert not Submission.objects.exists()
    good = new_person_data(catalogue, submission_key=KEY)
    assert professional.post(url("registry:register"), good).status_code == 302
    assert Submission.objects.count() == 1


def test_the_same_key_of_another_user_is_another_submission(world, login, catalogue):
    data = new_person_data(catalogue, bsn="111222333", submission_key=KEY)
    login(world.members[Role.PROFESSIONAL]).post(url("registry:register"), data)
    officer = Client()
    log_in(
        officer,
        world.members[Role.AANDACHTSFUNCTIONARIS].user,
        world.members["aandachtsfunctionaris"],
    )
    officer.post(url("registry:register"), data)
    assert Person.objects.latest("pk").registrations.count() == 2


@pytest.mark.parametrize("form", ["register_more", "correct", "withdraw", "informed"])
def test_every_person_form_saves_a_double_submit_once(professional, world, catalogue, form):
    person, registration = world.own_person, world.own_registration
    data = {
        "register_more": new_person_data(catalogue),
        "correct": new_person_data(catalogue, context_note="Gecorrigeerd."),
        "withdraw": {"reason": "Verkeerde persoon."},
        "informed": {"informed": "no", "reason_not": "Niet veilig."},
    }[form]
    kwargs = {"pseudonym": person.pseudonym}
    if form in ("correct", "withdraw"):
        kwargs["registration_id"] = registration.pk
    target = url(f"registry:{form}", **kwargs)
    assert hidden_key(professional.get(target))
    before = counts()
    first = professional.post(target, {**data, "submission_key": KEY})
    after_first = counts()
    second = professional.post(target, {**data, "submission_key": KEY}, follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "het is één keer opgeslagen" in text(second)
    assert after_first != before
    # The replay wrote nothing; the person page it lands on logged its read.
    assert counts()[:5] == after_first[:5]
    assert (
        Registration.objects.filter(person=person).count()
        == {
            "register_more": 2,
            "correct": 2,
            "withdraw": 1,
            "informed": 1,
        }[form]
    )
    assert Withdrawal.objects.filter(registration__person=person).count() == (form == "withdraw")
    assert InformedNotice.objects.filter(person=person).count() == (form == "informed")


# --- the same name and birth date ----------------------------------------------------------


def test_the_same_name_and_birth_date_asks_first(professional, catalogue):
    professional.post(url("registry:register"), new_person_data(catalogue, submission_key=KEY))
    known = Person.objects.latest("pk")
    before = counts()
    data = new_person_data(catalogue, submission_key=KEY + "-2", context_note="Tweede keer.")
    asked = professional.post(url("registry:register"), data)
    assert asked.status_code == 409
    page = text(asked)
    assert known.pseudonym in page and "Is dit dezelfde persoon?" in page
    assert 'name="name_match"' in asked.content.decode()
    # Nothing written but the read of the person it names, with its purpose.
    assert counts()[:5] == before[:5]
    [read] = AccessLogEntry.objects.filter(pk__gt=0).order_by("-pk")[:1]
    assert (read.action, read.person_id, read.purpose) == (
        Action.READ,
        known.pk,
        PURPOSE_SAME_NAME,
    )
    # The answer keeps the form's key: it was not used up by the question.
    assert hidden_key(asked) == KEY + "-2"


def test_answering_same_adds_to_the_known_person(professional, catalogue):
    professional.post(url("registry:register"), new_person_data(catalogue, submission_key=KEY))
    known = Person.objects.latest("pk")
    data = new_person_data(catalogue, submission_key=KEY + "-2", name_match="same")
    response = professional.post(url("registry:register"), data, follow=True)
    assert Person.objects.latest("pk") == known
    assert known.registrations.count() == 2
    assert "was al bekend in uw organisatie als " + known.pseudonym in text(response)


def test_answering_different_registers_a_second_person(professional, catalogue):
    professional.post(url("registry:register"), new_person_data(catalogue, submission_key=KEY))
    known = Person.objects.latest("pk")
    data = new_person_data(catalogue, submission_key=KEY + "-2", name_match="different")
    response = professional.post(url("registry:register"), data, follow=True)
    second = Person.objects.latest("pk")
    assert second != known and second.name_match_key == known.name_match_key
    assert "Geregistreerd als " + second.pseudonym in text(response)
    # Sending the answer twice still registers the second person once.
    professional.post(url("registry:register"), data)
    assert Person.objects.filter(name_match_key=known.name_match_key).count() == 2


# --- at the same moment (PostgreSQL) --------------------------------------------------------


def logged_in(member) -> Client:
    client = Client()
    log_in(client, member.user, member)
    return client


@on_postgresql
@pytest.mark.usefixtures("log_emptied_afterwards")
def test_a_double_click_at_the_same_moment_is_saved_once(world, catalogue):
    member = world.members[Role.PROFESSIONAL]
    first, second = logged_in(member), logged_in(member)
    for round_ in range(5):
        data = new_person_data(
            catalogue,
            given_names=f"Gelijktijdig{'abcde'[round_]}",
            submission_key=f"{KEY}-{round_}",
        )
        answers = at_once(
            lambda data=data: first.post(url("registry:register"), data),
            lambda data=data: second.post(url("registry:register"), data),
        )
        assert [a.status_code for a in answers] == [302, 302], answers
        assert answers[0]["Location"] == answers[1]["Location"]
        person = Person.objects.get(pseudonym=answers[0]["Location"].rstrip("/").split("/")[-1])
        assert person.registrations.count() == 1
        assert set(reports(person).values()) == {1}


@on_postgresql
@pytest.mark.usefixtures("log_emptied_afterwards")
def test_two_users_registering_the_same_name_at_once_give_one_person(world, catalogue):
    professional = logged_in(world.members[Role.PROFESSIONAL])
    officer = logged_in(world.members[Role.AANDACHTSFUNCTIONARIS])
    for round_ in range(5):
        data = new_person_data(catalogue, given_names=f"Tegelijk{'abcde'[round_]}")
        mine = {**data, "submission_key": f"a{round_}"}
        theirs = {**data, "submission_key": f"b{round_}"}
        answers = at_once(
            lambda mine=mine: professional.post(url("registry:register"), mine),
            lambda theirs=theirs: officer.post(url("registry:register"), theirs),
        )
        assert sorted(a.status_code for a in answers) == [302, 409], answers
        assert (
            Person.objects.filter(
                pseudonym__in=[
                    a["Location"].rstrip("/").split("/")[-1]
                    for a in answers
                    if a.status_code == 302
                ]
            ).count()
            == 1
        )
    assert Person.objects.count() == 2 + 5
