"""Finding the same person at other organisations (lens.coordination.matching): exact
links when a record is registered, fuzzy candidates (at registration and in the batch
run), the combined outcome over a cluster and the zorgcoördinator's e-mail."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lens.coordination import combined, matching
from lens.data.coordination import (
    CombinedOutcome,
    LinkBasis,
    LinkState,
    PersonLink,
    WorkItem,
    WorkKind,
)
from lens.data.registry import PersonOutcome, Role
from tests.registry import factories
from tests.registry.conftest import active, catalogue_files  # noqa: F401

REGION = factories.REGION
OTHER_REGION = "amsterdam"
BIRTH = date(2009, 4, 17)


@pytest.fixture
def orgs(active):  # noqa: F811
    """Three organisations: two kinds in the region, one in another region, each with a
    professional (an actor)."""
    school = factories.organisation("Synthetische School", organisation_type="school")
    care = factories.organisation("Synthetische Jeugdhulp", organisation_type="youth_care")
    far = factories.organisation(
        "Synthetische School Amsterdam", region=OTHER_REGION, municipality="Amsterdam"
    )
    return {
        name: factories.actor(factories.membership(Role.PROFESSIONAL, org))
        for name, org in (("school", school), ("care", care), ("far", far))
    }


def register(actor, **fields):
    return factories.person(actor, **fields)


def links_of(person):
    return PersonLink.objects.filter(person_a=person) | PersonLink.objects.filter(person_b=person)


# --- exact links --------------------------------------------------------------------------


def test_the_same_bsn_at_two_organisations_is_linked_at_once(orgs):
    bsn = factories.valid_bsn(1)
    first = register(orgs["school"], bsn=bsn, given_names="Lisa", family_name="Jansen")
    # Another spelling, the same BSN: the BSN decides.
    second = register(orgs["care"], bsn=bsn, given_names="Liza", family_name="Janssen")

    link = PersonLink.objects.get()
    assert (link.person_a, link.person_b) == (first, second)
    assert link.state == LinkState.LINKED
    assert link.basis == LinkBasis.BSN
    item = WorkItem.objects.get()
    assert (item.region, item.kind, item.link) == (REGION, WorkKind.NEW_LINK, link)
    assert item.done_at is None


def test_the_same_names_and_birth_date_link_when_one_has_no_bsn(orgs):
    same = {"given_names": "Sem", "family_name": "de Vries", "birth_date": BIRTH}
    first = register(orgs["school"], bsn=factories.valid_bsn(2), **same)
    # Written another way that normalises the same.
    second = register(orgs["care"], bsn="", **{**same, "family_name": "Vries, de"})

    link = PersonLink.objects.get()
    assert {link.person_a, link.person_b} == {first, second}
    assert (link.state, link.basis) == (LinkState.LINKED, LinkBasis.NAME)


def test_two_different_bsns_with_the_same_names_and_date_are_two_people(orgs):
    same = {"given_names": "Sem", "family_name": "de Vries", "birth_date": BIRTH}
    register(orgs["school"], bsn=factories.valid_bsn(3), **same)
    register(orgs["care"], bsn=factories.valid_bsn(4), **same)

    assert not PersonLink.objects.exists()  # not linked, and no candidate either
    assert not WorkItem.objects.exists()


def test_records_of_the_same_organisation_are_never_paired(orgs):
    register(orgs["school"], given_names="Noor", family_name="Bakker", birth_date=BIRTH)
    # Another record in the same organisation: a typo, then a transposed date.
    register(orgs["school"], given_names="Noor", family_name="Bakkker", birth_date=BIRTH)
    register(orgs["school"], given_names="Noor", family_name="Bakker", birth_date=date(2009, 4, 7))

    assert not PersonLink.objects.exists()
    assert not WorkItem.objects.exists()
    for person in orgs["school"].organisation.persons.all():
        assert not matching.exact_matches(person)


def test_persons_sharing_no_block_are_left_alone(orgs):
    register(orgs["school"])
    register(orgs["care"])
    register(orgs["far"])
    assert not PersonLink.objects.exists()
    assert matching.fuzzy_run().new_candidates == 0


# --- fuzzy candidates at registration -----------------------------------------------------


def test_a_typo_is_a_candidate_not_a_link(orgs):
    first = register(
        orgs["school"], given_names="Mohammed", family_name="El Amrani", birth_date=BIRTH
    )
    second = register(
        orgs["care"], given_names="Mohamed", family_name="El Amrani", birth_date=BIRTH
    )

    link = PersonLink.objects.get()
    assert (link.state, link.basis) == (LinkState.CANDIDATE, LinkBasis.FUZZY)
    assert {link.person_a, link.person_b} == {first, second}
    assert link.score >= 0.88
    assert "given_similar" in link.reasons
    assert WorkItem.objects.get().kind == WorkKind.CANDIDATE

    # No merge: each record's combined outcome is over itself alone.
    factories.registration(orgs["school"], first)
    factories.registration(orgs["care"], second)
    for person in (first, second):
        assert combined.latest(person).members == [person.pk]


def test_a_transposed_date_without_bsn_is_a_candidate(orgs):
    register(
        orgs["school"],
        bsn=factories.valid_bsn(5),
        given_names="Lotte",
        family_name="Smit",
        birth_date=date(2008, 3, 12),
    )
    register(orgs["care"], given_names="Lotte", family_name="Smit", birth_date=date(2008, 12, 3))

    link = PersonLink.objects.get()
    assert link.state == LinkState.CANDIDATE
    assert "date_day_month_swapped" in link.reasons


def _typo(word: str, kind: str, i: int, letter: str) -> str:
    i = i % len(word)
    if kind == "substitution":
        return word[:i] + letter + word[i + 1 :]
    if kind == "deletion":
        return word[:i] + word[i + 1 :]
    if kind == "insertion":
        return word[:i] + letter + word[i:]
    i = min(i, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    given_name=st.text("abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10),
    family=st.text("abcdefghijklmnopqrstuvwxyz", min_size=5, max_size=12),
    birth=st.dates(min_value=date(1995, 1, 1), max_value=date(2015, 12, 31)),
    change=st.sampled_from(["substitution", "deletion", "insertion", "transposition", "date"]),
    i=st.integers(0, 11),
    letter=st.sampled_from("abcdefghijklmnopqrstuvwxyz"),
)
def test_registering_a_misspelt_or_transposed_record_finds_the_candidate(
    orgs, given_name, family, birth, change, i, letter
):
    if change == "date":
        assume(birth.day <= 12 and birth.day != birth.month)
        other_family, other_birth = family, birth.replace(day=birth.month, month=birth.day)
    else:
        other_family, other_birth = _typo(family, change, i, letter), birth
        assume(other_family != family)
    with transaction.atomic():  # each example starts from the same empty registry
        first = register(
            orgs["school"],
            given_names=given_name.capitalize(),
            family_name=family.capitalize(),
            birth_date=birth,
        )
        second = register(
            orgs["care"],
            given_names=given_name.capitalize(),
            family_name=other_family.capitalize(),
            birth_date=other_birth,
        )
        link = PersonLink.objects.filter(person_a=first, person_b=second).first()
        assert link is not None
        assert link.state == LinkState.CANDIDATE
        transaction.set_rollback(True)


# --- the batch run ------------------------------------------------------------------------


@pytest.fixture
def unmatched(orgs, monkeypatch):
    """Records registered while matching was off (as before it existed): real sealed
    identities and block keys, but no links."""

    def register_unmatched(actor, **fields):
        with monkeypatch.context() as patched:
            patched.setattr("lens.coordination.actions.after_new_person", lambda *a: None)
            return register(actor, **fields)

    return register_unmatched


def test_the_batch_run_finds_candidates_among_existing_records(orgs, unmatched):
    a = unmatched(orgs["school"], given_names="Daan", family_name="Willemsen", birth_date=BIRTH)
    b = unmatched(orgs["care"], given_names="Daan", family_name="Wilemsen", birth_date=BIRTH)
    # Names Jaro-Winkler scores low (repeated letters), one typo apart all the same.
    c = unmatched(orgs["school"], given_names="Ilse", family_name="Aaaaba", birth_date=BIRTH)
    d = unmatched(orgs["care"], given_names="Ilse", family_name="Baaaba", birth_date=BIRTH)
    # Elsewhere: the same kind of pair in another region.
    e = unmatched(orgs["far"], given_names="Fenna", family_name="Kuipers", birth_date=BIRTH)
    f = unmatched(
        orgs["care"], given_names="Fenna", family_name="Kuipers", birth_date=date(2009, 4, 18)
    )
    assert not PersonLink.objects.exists()

    report = matching.fuzzy_run(region=REGION)

    pairs = {(link.person_a, link.person_b) for link in PersonLink.objects.all()}
    assert pairs >= {(a, b), (c, d), (e, f)}  # f is in the region and has no BSN
    assert report.new_candidates == len(pairs) == 3
    assert report.compared_persons == 5  # e is in Amsterdam
    assert report.blocks >= 3
    assert report.comparisons >= 3
    assert report.opened >= 6
    assert all(link.state == LinkState.CANDIDATE for link in PersonLink.objects.all())
    assert WorkItem.objects.filter(kind=WorkKind.CANDIDATE, region=REGION).count() == 3

    again = matching.fuzzy_run(region=REGION)
    assert again.new_candidates == 0
    assert PersonLink.objects.count() == 3


def test_the_batch_run_keeps_to_its_region_and_to_records_without_bsn(orgs, unmatched):
    far = unmatched(orgs["far"], given_names="Fenna", family_name="Kuipers", birth_date=BIRTH)
    near = unmatched(
        orgs["care"],
        given_names="Fenna",
        family_name="Kuipers",
        bsn=factories.valid_bsn(6),
        birth_date=date(2009, 4, 18),
    )
    # Both with a BSN: never a candidate, however alike.
    unmatched(
        orgs["school"],
        given_names="Fenna",
        family_name="Kuipers",
        bsn=factories.valid_bsn(7),
        birth_date=date(2009, 5, 28),
    )

    assert matching.fuzzy_run(region=REGION).new_candidates == 0
    report = matching.fuzzy_run(region=OTHER_REGION)
    assert report.new_candidates == 1
    link = PersonLink.objects.get()
    assert {link.person_a, link.person_b} == {far, near}
    # The work item goes to each region with a record in the pair.
    assert set(WorkItem.objects.values_list("region", flat=True)) == {REGION, OTHER_REGION}


def test_a_decided_candidate_stands_in_the_next_run(orgs, unmatched):
    unmatched(orgs["school"], given_names="Daan", family_name="Willemsen", birth_date=BIRTH)
    unmatched(orgs["care"], given_names="Daan", family_name="Wilemsen", birth_date=BIRTH)
    matching.fuzzy_run()
    PersonLink.objects.update(state=LinkState.REJECTED)
    assert matching.fuzzy_run().new_candidates == 0
    assert PersonLink.objects.get().state == LinkState.REJECTED


# --- `lens matching run` -----------------------------------------------------------------


def run_command(*args) -> str:
    out = io.StringIO()
    call_command("matching", *args, stdout=out)
    return out.getvalue()


def test_the_matching_command_prints_what_it_did(orgs, unmatched):
    unmatched(orgs["school"], given_names="Daan", family_name="Willemsen", birth_date=BIRTH)
    unmatched(orgs["care"], given_names="Daan", family_name="Wilemsen", birth_date=BIRTH)

    out = run_command("run", "--region", REGION)
    assert "Nieuwe mogelijke koppelingen: 1\n" in out
    assert "Personen zonder BSN vergeleken: 2\n" in out
    assert re.search(r"^Vergelijkingen: [1-9]\d*$", out, re.M)
    assert "Regio: midden_brabant\n" in out
    assert PersonLink.objects.count() == 1

    out = run_command("run")
    assert "Nieuwe mogelijke koppelingen: 0\n" in out
    assert "Regio: alle regio's\n" in out


def test_the_matching_command_refuses_an_unknown_region(active):  # noqa: F811
    with pytest.raises(CommandError, match="Onbekende regio 'atlantis'") as refused:
        run_command("run", "--region", "atlantis")
    assert refused.value.returncode == 2
    assert "midden_brabant" in str(refused.value)


# --- the combined outcome --------------------------------------------------------------------


def test_one_signal_reported_by_two_linked_organisations_counts_once(orgs, active):  # noqa: F811
    catalogue, _ruleset = active
    signal = next(code for code, s in catalogue.signals.items() if s.strength == "middel")
    bsn = factories.valid_bsn(8)
    at_school = register(orgs["school"], bsn=bsn)
    at_care = register(orgs["care"], bsn=bsn)
    alone = register(orgs["school"])
    observed = date.today() - timedelta(days=5)
    for actor, person in (
        (orgs["school"], at_school),
        (orgs["care"], at_care),
        (orgs["school"], alone),
    ):
        factories.registration(actor, person, signals=[signal], observed_on=observed)

    single = PersonOutcome.objects.filter(person=alone).latest()
    together = combined.latest(at_school)
    assert together is not None
    assert sorted(together.members) == sorted([at_school.pk, at_care.pk])
    assert combined.latest(at_care).members == together.members
    assert together.level == single.level
    shown, lone_shown = factories.combined_document(at_school), factories.document(single)
    assert shown["values"] == lone_shown["values"]
    assert shown["explanation"]["metrics"] == lone_shown["explanation"]["metrics"]

    entry = next(s for s in shown["explanation"]["signals"] if s["code"] == signal)
    assert entry["reports"] == 2
    assert sorted(entry["organisation_types"]) == ["school", "youth_care"]
    assert entry["corroborated"] is True
    lone = next(s for s in lone_shown["explanation"]["signals"] if s["code"] == signal)
    assert lone["corroborated"] is False


def test_a_record_that_is_not_linked_has_a_combined_outcome_of_its_own(orgs):
    person = register(orgs["school"])
    factories.registration(orgs["school"], person)
    assert CombinedOutcome.objects.get(cluster_id=person.pk).members == [person.pk]


# --- the e-mail to the zorgcoördinator ---------------------------------------------------------


@pytest.fixture
def coordinator(orgs):
    member = factories.membership(Role.ZORGCOORDINATOR, region=REGION)
    member.user.email = "zorgcoordinator@example.nl"
    member.user.save()
    # Another region's zorgcoördinator hears nothing of this region's work.
    other = factories.membership(Role.ZORGCOORDINATOR, region=OTHER_REGION)
    other.user.email = "elders@example.nl"
    other.user.save()
    return member


def test_a_new_exact_link_emails_the_zorgcoordinator_once_without_names(
    orgs, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    names = {"given_names": "Femke", "family_name": "Verhoeven", "birth_date": BIRTH}
    bsn = factories.valid_bsn(9)
    first = register(orgs["school"], bsn=bsn, **names)
    assert not mailoutbox  # nothing to link yet

    with django_capture_on_commit_callbacks(execute=True):
        register(orgs["care"], bsn=bsn, **names)

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["zorgcoordinator@example.nl"]
    assert "Ook bekend bij een andere organisatie (gecombineerd niveau" in mail.body
    assert first.pseudonym not in mail.body  # the work list decides who may see it
    for text in ("Femke", "Verhoeven", "femke", "verhoeven", bsn, BIRTH.isoformat()):
        assert text not in mail.body
        assert text not in mail.subject
