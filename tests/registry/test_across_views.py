"""The organisation's side of working across organisations (lens.registry.views_across and
the person page): "ook betrokken" and the lead, referring to the zorgcoördinator,
relations between own records, and answering the zorgcoördinator's information requests.

Messages the code gives in English msgids are looked up in Dutch (`nl`), so these tests
hold before and after the Dutch translation is added."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from lens.access.models import AccessLogEntry, Action
from lens.coordination import actions as coordination
from lens.data.coordination import (
    InformationRequest,
    PersonRelation,
    Referral,
    RelationEndReason,
    RelationKind,
    WorkItem,
    WorkKind,
)
from lens.data.registry import Person, Registration, Role
from lens.registry.views_across import PURPOSE_REQUEST, PURPOSE_REQUESTS

from . import factories
from .conftest import OTHER_NOTE, OTHER_ORG_NAME

pytestmark = pytest.mark.django_db

REASON = "Zorgen over geld en een tweede telefoon."
QUESTION = "Sinds wanneer is de jongere bij u bekend en wie is de contactpersoon?"
ANSWER = "Sinds januari; de mentor is het aanspreekpunt."


def url(name, **kwargs) -> str:
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs)


def nl(message: str) -> str:
    """The message as a Dutch page shows it (escaped as in the HTML)."""
    with translation.override("nl"):
        return escape(gettext(message))


def text(response) -> str:
    body = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def counts() -> tuple[int, ...]:
    """Everything these pages may write, to show that nothing was."""
    return (
        Referral.objects.count(),
        WorkItem.objects.count(),
        PersonRelation.objects.filter(ended_at__isnull=True).count(),
        InformationRequest.objects.filter(answered_at__isnull=False).count(),
        AccessLogEntry.objects.count(),
    )


def new_entries(since: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(pk__gt=since).order_by("pk"))


def last_entry() -> int:
    return AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def signal_label(catalogue, code: str) -> str:
    return escape(catalogue.signals[code].label.nl)


@dataclass
class Linked:
    """The same human being (the same BSN) registered by both organisations."""

    ours: Person
    theirs: Person
    own_signal: str
    their_signal: str  # a signal only the other organisation registered


@pytest.fixture
def linked(world, catalogue) -> Linked:
    codes = list(catalogue.signals)
    own_signal, their_signal = codes[0], codes[-1]
    bsn = factories.valid_bsn(4242)
    own_actor = world.actor(Role.PROFESSIONAL)
    other_actor = factories.actor(world.other_professional)
    ours = factories.person(own_actor, bsn=bsn)
    factories.registration(own_actor, ours, signals=[own_signal], context_note="Eigen notitie.")
    theirs = factories.person(other_actor, bsn=bsn)
    factories.registration(other_actor, theirs, signals=[their_signal], context_note=OTHER_NOTE)
    return Linked(ours=ours, theirs=theirs, own_signal=own_signal, their_signal=their_signal)


@pytest.fixture
def professional(world, login):
    return login(world.members[Role.PROFESSIONAL])


@pytest.fixture
def af(world, login):
    return login(world.members[Role.AANDACHTSFUNCTIONARIS])


@pytest.fixture
def coordinator(world):
    """The region's zorgcoördinator as an actor (the world's, region midden_brabant)."""
    return world.actor(Role.ZORGCOORDINATOR)


# --- ook betrokken and the lead --------------------------------------------------------------


def test_each_organisation_sees_the_other_but_not_its_record(
    client, world, linked, login, catalogue
):
    login(world.members[Role.PROFESSIONAL])
    page = client.get(url("registry:person", pseudonym=linked.ours.pseudonym))
    assert page.status_code == 200
    html = page.content.decode()
    assert nl("Also involved") in html
    assert escape(OTHER_ORG_NAME) in html
    other = world.other
    assert escape(other.contact_name) in html
    assert f'href="tel:{other.contact_phone}"' in html
    assert f'href="mailto:{other.contact_email}"' in html
    assert linked.theirs.pseudonym not in html
    assert OTHER_NOTE not in html
    assert signal_label(catalogue, linked.own_signal) in html
    assert signal_label(catalogue, linked.their_signal) not in html
    assert nl("No other organisation in this application has registered this person") not in html

    # And the other way round.
    login(world.other_professional)
    page = client.get(url("registry:person", pseudonym=linked.theirs.pseudonym))
    assert page.status_code == 200
    html = page.content.decode()
    assert escape(world.own.name) in html and escape(world.own.contact_name) in html
    assert linked.ours.pseudonym not in html
    assert "Eigen notitie." not in html


def test_a_person_nobody_else_registered(professional, world):
    page = professional.get(url("registry:person", pseudonym=world.own_person.pseudonym))
    html = page.content.decode()
    assert (
        nl(
            "No other organisation in this application has registered this person "
            "(as far as matching could tell)."
        )
        in html
    )
    assert nl("Not referred to the care coordinator.") in html
    assert nl("No relations recorded.") in html
    assert url("registry:refer", pseudonym=world.own_person.pseudonym) in html
    assert url("registry:relation_new", pseudonym=world.own_person.pseudonym) in html


def test_the_lead_named_by_the_care_coordinator_is_shown(professional, world, linked, coordinator):
    own_actor = world.actor(Role.PROFESSIONAL)
    coordination.refer(own_actor, linked.ours, REASON)  # now in the coordinator's scope
    person_url = url("registry:person", pseudonym=linked.ours.pseudonym)
    assert nl("the care coordinator has not named an organisation yet.") in (
        professional.get(person_url).content.decode()
    )
    coordination.assign_lead(coordinator, linked.ours, world.other)
    html = professional.get(person_url).content.decode()
    assert re.search(
        rf"{re.escape(nl('Lead:'))}</strong> {re.escape(escape(OTHER_ORG_NAME))}", html
    )
    assert linked.theirs.pseudonym not in html


# --- referring ---------------------------------------------------------------------------------


def test_referring_to_the_care_coordinator(professional, world):
    person = world.own_person
    since = last_entry()
    form = professional.get(url("registry:refer", pseudonym=person.pseudonym))
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    [read] = new_entries(since)
    assert (read.action, read.purpose) == (Action.READ, "formulier: doorverwijzen")

    since = last_entry()
    response = professional.post(
        url("registry:refer", pseudonym=person.pseudonym), {"reason": REASON}
    )
    assert response.status_code == 302
    assert response["Location"] == url("registry:person", pseudonym=person.pseudonym)
    referral = Referral.objects.get()
    assert (referral.person, referral.reason) == (person, REASON)
    assert referral.referred_by == world.members[Role.PROFESSIONAL].user
    item = WorkItem.objects.get()
    assert (item.kind, item.person, item.region) == (WorkKind.REFERRAL, person, world.own.region)
    # The referral is a step of a case opened for it: three writes, each logged.
    written = [(e.action, e.object_type, e.purpose) for e in new_entries(since)]
    assert written == [
        (Action.CREATE, "case", "casus openen"),
        (Action.CHANGE, "case", "casus: doorverwijzing naar de zorgcoördinator"),
        (Action.CHANGE, "referral", coordination.PURPOSE_REFERRAL),
    ]
    assert {e.person_id for e in new_entries(since)} == {person.pk}

    page = professional.get(response["Location"])
    assert nl("The person was referred to the care coordinator of your region.") in (
        page.content.decode()
    )
    assert world.members[Role.PROFESSIONAL].user.get_username() in text(page)
    assert nl("Not referred to the care coordinator.") not in page.content.decode()


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Give the reason for referring."),
        ("   ", "Give the reason for referring."),
        ("x" * 2001, None),  # Django's max_length message, in Dutch
    ],
)
def test_a_refer_without_a_good_reason_writes_nothing(professional, world, reason, message):
    before = counts()
    response = professional.post(
        url("registry:refer", pseudonym=world.own_person.pseudonym), {"reason": reason}
    )
    assert response.status_code == 400
    assert counts() == before
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    if message:
        assert nl(message) in html


def test_the_referral_mails_the_region_coordinator_only_the_pseudonym(
    professional, world, django_capture_on_commit_callbacks
):
    given, family = "Wubbo-Synthetisch", "Fantasienaam"
    person = factories.person(world.actor(Role.PROFESSIONAL), given_names=given, family_name=family)
    factories.registration(world.actor(Role.PROFESSIONAL), person, context_note="Notitie-geheim")
    here = factories.membership(Role.ZORGCOORDINATOR)
    here.user.email = "zc-midden@example.org"
    here.user.save()
    elsewhere = factories.membership(Role.ZORGCOORDINATOR, region="west_brabant")
    elsewhere.user.email = "zc-west@example.org"
    elsewhere.user.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = professional.post(
            url("registry:refer", pseudonym=person.pseudonym), {"reason": REASON}
        )
    assert response.status_code == 302
    [sent] = mail.outbox
    assert sent.to == ["zc-midden@example.org"]
    content = sent.subject + sent.body
    assert "Doorverwezen door een organisatie" in content
    assert person.pseudonym not in content  # the work list decides who may see it
    registration = Registration.objects.get(person=person)
    for secret in (given, family, REASON, "Notitie-geheim", *registration.signals):
        assert secret not in content


def test_referring_another_organisations_person_is_404(professional, world):
    before = counts()
    response = professional.post(
        url("registry:refer", pseudonym=world.other_person.pseudonym), {"reason": REASON}
    )
    assert response.status_code == 404
    assert counts() == before


# --- relations ---------------------------------------------------------------------------------


@pytest.fixture
def second(world) -> Person:
    """A second record of the own organisation."""
    return factories.person(world.actor(Role.PROFESSIONAL))


def test_a_relation_between_two_own_records(professional, world, second):
    person = world.own_person
    since = last_entry()
    form = professional.get(url("registry:relation_new", pseudonym=person.pseudonym))
    assert form.status_code == 200
    [read] = new_entries(since)
    assert (read.action, read.purpose) == (Action.READ, "formulier: relatie vastleggen")

    since = last_entry()
    response = professional.post(
        url("registry:relation_new", pseudonym=person.pseudonym),
        {"other": second.pseudonym.lower(), "kind": RelationKind.FAMILY, "note": "Broer."},
    )
    assert response.status_code == 302
    relation = PersonRelation.objects.get()
    assert (relation.person_a, relation.person_b, relation.kind) == (
        person,
        second,
        RelationKind.FAMILY,
    )
    assert relation.recorded_by_organisation == world.own
    logged = new_entries(since)
    assert {e.person_id for e in logged} == {person.pk, second.pk}
    assert {(e.action, e.object_type) for e in logged} == {(Action.CHANGE, "relation")}

    html = professional.get(response["Location"]).content.decode()
    assert second.pseudonym in html and "Broer." in html
    end_url = url("registry:relation_end", pseudonym=person.pseudonym, relation_id=relation.pk)
    assert end_url in html

    # Seen from the other record too, and ended from there.
    other_page = professional.get(url("registry:person", pseudonym=second.pseudonym))
    assert person.pseudonym in other_page.content.decode()
    end_there = url("registry:relation_end", pseudonym=second.pseudonym, relation_id=relation.pk)
    # The form reads the relation: a READ on both records.
    since = last_entry()
    form = professional.get(end_there)
    assert form.status_code == 200
    assert person.pseudonym in form.content.decode()
    assert {(e.person_id, e.action) for e in new_entries(since)} == {
        (person.pk, Action.READ),
        (second.pk, Action.READ),
    }
    # Without a reason: 400, nothing ended.
    assert professional.post(end_there, {"note": "Zomaar."}).status_code == 400
    relation.refresh_from_db()
    assert relation.ended_at is None
    since = last_entry()
    ended = professional.post(
        end_there, {"reason": RelationEndReason.NO_LONGER_THE_CASE, "note": "Verhuisd."}
    )
    assert ended.status_code == 302
    assert ended["Location"] == url("registry:person", pseudonym=second.pseudonym)
    relation.refresh_from_db()
    assert relation.ended_at is not None
    assert relation.ended_by == world.members[Role.PROFESSIONAL].user
    assert (relation.end_reason, relation.end_note) == ("no_longer_the_case", "Verhuisd.")
    assert len(new_entries(since)) == 2
    # Ending it again changes nothing.
    again = professional.post(end_there, {"reason": RelationEndReason.RECORDED_IN_ERROR})
    assert again.status_code == 400
    relation.refresh_from_db()
    assert relation.end_reason == RelationEndReason.NO_LONGER_THE_CASE
    # The person's page shows that it ended, and why.
    page = professional.get(ended["Location"]).content.decode()
    assert end_url not in page
    assert nl("Reason: %(reason)s") % {"reason": nl("No longer the case")} in page
    assert "Verhuisd." in page


def test_a_suspected_recruiter_either_way_round(professional, world, second):
    person = world.own_person
    response = professional.post(
        url("registry:relation_new", pseudonym=person.pseudonym),
        {"other": second.pseudonym, "kind": "recruited_by"},
    )
    assert response.status_code == 302
    relation = PersonRelation.objects.get()
    assert relation.kind == RelationKind.SUSPECTED_RECRUITER
    assert (relation.person_a, relation.person_b) == (second, person)  # a recruits b
    html = professional.get(response["Location"]).content.decode()
    assert nl("Suspected recruiter of this person") in html


RECORDED_ALREADY = "This relation is recorded already. End it first if it should be changed."


def test_the_same_relation_twice_is_refused(professional, world, second):
    """Three fresh forms (as from a second tab) with the same other and kind: one relation;
    the family relation read the other way round, from the other record, is the same."""
    person = world.own_person
    target = url("registry:relation_new", pseudonym=person.pseudonym)
    data = {"other": second.pseudonym, "kind": RelationKind.FAMILY, "note": "Broer."}
    assert professional.post(target, data).status_code == 302
    before = counts()
    for note in ("Broer.", "Zus."):
        again = professional.post(target, {**data, "note": note})
        assert again.status_code == 400
        assert nl(RECORDED_ALREADY) in again.content.decode()
    reverse_target = url("registry:relation_new", pseudonym=second.pseudonym)
    reversed_ = professional.post(
        reverse_target, {"other": person.pseudonym, "kind": RelationKind.FAMILY}
    )
    assert reversed_.status_code == 400
    assert counts() == before
    assert PersonRelation.objects.filter(ended_at__isnull=True).count() == 1
    # Another kind between the same two is another relation.
    other_kind = {**data, "kind": RelationKind.SAME_ADDRESS}
    assert professional.post(target, other_kind).status_code == 302
    # Once ended, it can be recorded again.
    relation = PersonRelation.objects.get(kind=RelationKind.FAMILY)
    ended = url("registry:relation_end", pseudonym=person.pseudonym, relation_id=relation.pk)
    assert professional.post(ended, {"reason": "no_longer_the_case"}).status_code == 302
    assert professional.post(target, data).status_code == 302
    assert PersonRelation.objects.filter(kind=RelationKind.FAMILY).count() == 2


def test_a_suspected_recruiter_has_a_direction(professional, world, second):
    person = world.own_person
    target = url("registry:relation_new", pseudonym=person.pseudonym)
    recruited_by = {"other": second.pseudonym, "kind": "recruited_by"}
    assert professional.post(target, recruited_by).status_code == 302
    assert professional.post(target, recruited_by).status_code == 400
    # The other way round is another relation (person recruits second).
    recruits = {"other": second.pseudonym, "kind": RelationKind.SUSPECTED_RECRUITER}
    assert professional.post(target, recruits).status_code == 302
    assert PersonRelation.objects.count() == 2


@pytest.mark.parametrize("whose", ["other organisation", "unknown", "malformed"])
def test_a_relation_with_a_person_outside_the_organisation_writes_nothing(
    professional, world, linked, whose
):
    """Another organisation's pseudonym (even of a linked record) gets the same answer as
    one that does not exist: it never tells whether the pseudonym exists elsewhere."""
    other = {
        "other organisation": linked.theirs.pseudonym,
        "unknown": "P-ZZZZ",
        "malformed": "iemand",
    }[whose]
    before = counts()
    response = professional.post(
        url("registry:relation_new", pseudonym=linked.ours.pseudonym),
        {"other": other, "kind": RelationKind.FAMILY},
    )
    assert response.status_code == 400
    assert counts() == before
    html = response.content.decode()
    assert nl("No person with this pseudonym in your organisation.") in html
    assert OTHER_NOTE not in html and escape(OTHER_ORG_NAME) not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": RelationKind.FAMILY}, "Fill in the pseudonym of the other person."),
        (
            {"other": "{self}", "kind": RelationKind.FAMILY},
            "A person cannot be related to themselves.",
        ),
        ({"other": "{second}"}, "Choose the kind of relation."),
        ({"other": "{second}", "kind": "enemy"}, "Choose one of the options."),
    ],
)
def test_relation_form_errors(professional, world, second, data, message):
    person = world.own_person
    data = {
        k: v.replace("{self}", person.pseudonym).replace("{second}", second.pseudonym)
        for k, v in data.items()
    }
    before = counts()
    response = professional.post(url("registry:relation_new", pseudonym=person.pseudonym), data)
    assert response.status_code == 400
    assert counts() == before
    assert nl(message) in response.content.decode()


def test_every_problem_of_the_relation_form_at_once(professional, world, linked):
    response = professional.post(
        url("registry:relation_new", pseudonym=linked.ours.pseudonym),
        {"other": linked.theirs.pseudonym, "note": "x" * 501},
    )
    assert response.status_code == 400
    html = response.content.decode()
    for message in (
        "No person with this pseudonym in your organisation.",
        "Choose the kind of relation.",
    ):
        assert nl(message) in html
    assert html.count('aria-invalid="true"') >= 3


def test_a_relation_the_care_coordinator_recorded_with_another_organisation(
    professional, world, linked, coordinator
):
    """The zorgcoördinator relates our record to a record of another organisation: we see
    that there is a relation and its kind, not with whom, and cannot end it."""
    their_other = factories.person(factories.actor(world.other_professional))
    coordination.refer(world.actor(Role.PROFESSIONAL), linked.ours, REASON)
    coordination.refer(factories.actor(world.other_professional), their_other, REASON)
    relation = coordination.record_relation(
        coordinator, their_other, linked.ours, RelationKind.SUSPECTED_RECRUITER, "Geheime noot"
    )
    html = professional.get(url("registry:person", pseudonym=linked.ours.pseudonym)).content
    html = html.decode()
    assert nl("a person at another organisation") in html
    assert nl("recorded by the care coordinator") in html
    assert nl("Suspected recruiter of this person") in html
    for secret in (their_other.pseudonym, linked.theirs.pseudonym, "Geheime noot"):
        assert secret not in html
    end_url = url("registry:relation_end", pseudonym=linked.ours.pseudonym, relation_id=relation.pk)
    assert end_url not in html
    before = counts()
    assert professional.post(end_url).status_code == 404
    assert counts() == before


def test_ending_a_relation_of_another_record_is_404(professional, world, second):
    third = factories.person(world.actor(Role.PROFESSIONAL))
    relation = coordination.record_relation(
        world.actor(Role.PROFESSIONAL), second, third, RelationKind.SAME_ADDRESS
    )
    # The relation exists, but not for world.own_person.
    response = professional.post(
        url("registry:relation_end", pseudonym=world.own_person.pseudonym, relation_id=relation.pk)
    )
    assert response.status_code == 404
    relation.refresh_from_db()
    assert relation.ended_at is None
    assert (
        professional.get(
            url(
                "registry:relation_end",
                pseudonym=world.own_person.pseudonym,
                relation_id=relation.pk,
            )
        ).status_code
        == 404
    )


# --- information requests --------------------------------------------------------------------


@pytest.fixture
def asked(world, linked, coordinator) -> InformationRequest:
    """The zorgcoördinator asks the own organisation about its record (in scope: referred)."""
    coordination.refer(factories.actor(world.other_professional), linked.theirs, REASON)
    return coordination.ask_information(coordinator, linked.ours, world.own, QUESTION)


@pytest.fixture
def asked_other(world, linked, coordinator, asked) -> InformationRequest:
    return coordination.ask_information(coordinator, linked.theirs, world.other, "Vraag-ander")


def test_the_requests_list_for_the_aandachtsfunctionaris(af, world, linked, asked, asked_other):
    answered = coordination.ask_information(
        world.actor(Role.ZORGCOORDINATOR), linked.ours, world.own, "Eerdere vraag"
    )
    coordination.answer_information(world.actor(Role.AANDACHTSFUNCTIONARIS), answered, "Ja.")
    since = last_entry()
    response = af.get(url("registry:requests"))
    assert response.status_code == 200
    html = response.content.decode()
    assert linked.ours.pseudonym in html
    assert escape(QUESTION[:60]) in html
    assert url("registry:request", request_id=asked.pk) in html
    # Open first.
    assert html.index(url("registry:request", request_id=asked.pk)) < html.index(
        url("registry:request", request_id=answered.pk)
    )
    for secret in ("Vraag-ander", linked.theirs.pseudonym, OTHER_NOTE):
        assert secret not in html
    logged = new_entries(since)
    assert [(e.action, e.object_type, e.object_id, e.purpose) for e in logged] == [
        (Action.LIST, "information_request", str(r.pk), PURPOSE_REQUESTS) for r in (asked, answered)
    ]


def test_professionals_do_not_see_requests(professional, asked):
    assert professional.get(url("registry:requests")).status_code == 403
    assert professional.get(url("registry:request", request_id=asked.pk)).status_code == 403
    before = counts()
    response = professional.post(url("registry:request", request_id=asked.pk), {"answer": ANSWER})
    assert response.status_code == 403
    assert counts() == before


def test_answering_a_request(af, world, linked, asked, coordinator):
    request_url = url("registry:request", request_id=asked.pk)
    since = last_entry()
    page = af.get(request_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert escape(QUESTION) in html
    assert coordinator.user.get_username() in html
    assert url("registry:person", pseudonym=linked.ours.pseudonym) in html
    assert 'name="answer"' in html
    [read] = new_entries(since)
    assert (read.action, read.object_type, read.object_id, read.purpose, read.person_id) == (
        Action.READ,
        "information_request",
        str(asked.pk),
        PURPOSE_REQUEST,
        linked.ours.pk,
    )

    since = last_entry()
    response = af.post(request_url, {"answer": ANSWER})
    assert response.status_code == 302 and response["Location"] == request_url
    asked.refresh_from_db()
    assert (
        asked.answer == ANSWER
        and asked.answered_by == world.members[Role.AANDACHTSFUNCTIONARIS].user
    )
    [written] = new_entries(since)
    assert (written.action, written.purpose) == (Action.CHANGE, coordination.PURPOSE_ANSWER)
    assert WorkItem.objects.filter(kind=WorkKind.ANSWER, person=linked.ours).exists()

    shown = af.get(request_url).content.decode()
    assert escape(ANSWER) in shown and 'name="answer"' not in shown

    # A second answer is refused, in Dutch, and changes nothing.
    before = counts()
    again = af.post(request_url, {"answer": "Nog iets."})
    assert again.status_code == 400
    assert nl("This request has been answered already.") in again.content.decode()
    assert counts() == before
    asked.refresh_from_db()
    assert asked.answer == ANSWER


@pytest.mark.parametrize("answer", ["", "  ", "x" * 2001])
def test_an_empty_or_long_answer_writes_nothing(af, asked, answer):
    before = counts()
    response = af.post(url("registry:request", request_id=asked.pk), {"answer": answer})
    assert response.status_code == 400
    assert counts() == before
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert escape(QUESTION) not in html  # a 400 logs no read, so it shows no question


def test_another_organisations_request_is_404(af, asked_other):
    request_url = url("registry:request", request_id=asked_other.pk)
    before = counts()
    assert af.get(request_url).status_code == 404
    assert af.post(request_url, {"answer": ANSWER}).status_code == 404
    assert af.get(url("registry:request", request_id=asked_other.pk + 1000)).status_code == 404
    assert counts() == before
    asked_other.refresh_from_db()
    assert asked_other.answered_at is None


def test_the_person_page_logs_each_related_record_it_names(professional, world, second):
    """The "Relaties" table names the other ends (own records) with the note: each named
    record's read is logged with the person's, in one bulk write (issue 10, M1)."""
    actor = world.actor(Role.PROFESSIONAL)
    third = factories.person(actor)
    person = world.own_person
    coordination.record_relation(
        actor, person, second, RelationKind.SUSPECTED_RECRUITER, "Ronselt."
    )
    coordination.record_relation(actor, third, person, RelationKind.FAMILY, "Neef.")
    since = last_entry()
    page = professional.get(url("registry:person", pseudonym=person.pseudonym))
    assert page.status_code == 200
    html = page.content.decode()
    assert second.pseudonym in html and third.pseudonym in html and "Ronselt." in html
    relation_of = {
        r.person_a_id + r.person_b_id - person.pk: r.pk for r in PersonRelation.objects.all()
    }
    logged = new_entries(since)
    assert {(e.person_id, e.action, e.object_type, e.object_id, e.purpose) for e in logged} == {
        (person.pk, Action.READ, "person", "", "persoonspagina"),
        (second.pk, Action.READ, "relation", str(relation_of[second.pk]), "persoonspagina"),
        (third.pk, Action.READ, "relation", str(relation_of[third.pk]), "persoonspagina"),
    }
    assert len(logged) == 3
