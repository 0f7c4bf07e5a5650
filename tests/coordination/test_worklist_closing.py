"""A work-list line closes itself when the decision it asks for is made (issue 10, item 7),
in the decision's own transaction, with who and when:

- a possible match (CANDIDATE) and a new exact link (NEW_LINK): confirming or rejecting
  the link (coordination:link), in every region with a line about it;
- a referral, a new exact link and a person whose combined level reached 2 (REFERRAL,
  NEW_LINK, THRESHOLD): naming the organisation with the lead (coordination:lead), for
  the person's records in the zorgcoördinator's region;
- an answered information request (ANSWER) asks for reading, not for a decision: it
  stays open until marked handled by hand.

Each decision is made through the real page (the Django test client and the project's
URLconf). Everything is synthetic: made-up names, BSNs that pass the elfproef only.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from lens.coordination import actions
from lens.data.coordination import (
    LeadAssignment,
    LinkDecision,
    LinkState,
    PersonLink,
    WorkItem,
    WorkKind,
)
from tests.registry import factories

from .conftest import OTHER_REGION, SOFT, STRONG

pytestmark = pytest.mark.django_db

BORN = date(2011, 6, 17)


def url(name: str, **kwargs) -> str:
    with translation.override("nl"):
        return reverse(f"coordination:{name}", kwargs=kwargs or None)


def lines(**filters) -> list[WorkItem]:
    return list(WorkItem.objects.filter(**filters).order_by("pk"))


def link_between(a, b) -> PersonLink:
    low, high = sorted((a, b), key=lambda p: p.pk)
    return PersonLink.objects.get(person_a=low, person_b=high)


def candidate(across, second: str = "youth_care"):
    """The same made-up child at the school and at `second`, spelled Janssen and Jansen
    without a BSN: the matching proposes a possible match (and puts it on the list)."""
    a = factories.person(
        across.actor("school"), given_names="Mirthe", family_name="Janssen", birth_date=BORN
    )
    b = factories.person(
        across.actor(second), given_names="Mirthe", family_name="Jansen", birth_date=BORN
    )
    link = link_between(a, b)
    assert link.state == LinkState.CANDIDATE
    return a, b, link


@pytest.mark.parametrize("decision", ["confirm", "reject"])
def test_deciding_a_possible_match_closes_its_line(client, login, across, decision):
    _a, _b, link = candidate(across)
    (line,) = lines(link=link, kind=WorkKind.CANDIDATE)
    assert line.done_at is None
    other = lines(done_at__isnull=True)
    zc = across.members["zc"]
    login(zc)
    response = client.post(
        url("link", link_id=link.pk), {"decision": decision, "note": "", "shown": "candidate"}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    made = LinkDecision.objects.get(link=link)
    assert (line.done_by, line.done_at) == (zc.user, made.decided_at)
    # Only the line of this link: the others wait for their own decision.
    assert [i for i in other if i.pk != line.pk] == lines(done_at__isnull=True)


def test_a_possible_match_across_regions_closes_in_both(client, login, across):
    """Decided once, by the region of the record registered first: the line of the other
    region (which may not decide it) closes too."""
    _a, _b, link = candidate(across, second="amsterdam")
    both = lines(link=link, kind=WorkKind.CANDIDATE)
    assert {i.region for i in both} == {factories.REGION, OTHER_REGION}
    login(across.members["zc"])
    response = client.post(
        url("link", link_id=link.pk), {"decision": "reject", "note": "", "shown": "candidate"}
    )
    assert response.status_code == 302
    assert all(i.done_at is not None for i in lines(link=link))
    assert {i.done_by for i in lines(link=link)} == {across.members["zc"].user}


def test_rejecting_an_exact_link_closes_its_new_link_line(client, login, across):
    link = link_between(across.at_school, across.at_youth_care)
    (line,) = lines(link=link)
    assert line.kind == WorkKind.NEW_LINK
    login(across.members["zc"])
    response = client.post(
        url("link", link_id=link.pk), {"decision": "reject", "note": "", "shown": "linked"}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.done_by == across.members["zc"].user and line.done_at is not None


def test_a_refused_decision_closes_nothing(client, login, across):
    """Confirming a link that is linked already is refused (400): the line stays open,
    because closing it is part of the decision's transaction."""
    link = link_between(across.at_school, across.at_youth_care)
    login(across.members["zc"])
    response = client.post(
        url("link", link_id=link.pk), {"decision": "confirm", "note": "", "shown": "linked"}
    )
    assert response.status_code == 400
    assert [i.done_at for i in lines(link=link)] == [None]


def test_reopening_a_link_closes_nothing(across):
    _a, _b, link = candidate(across)
    zc = across.actor("zc")
    actions.decide_link(zc, link, "reject")
    WorkItem.objects.filter(link=link).update(done_at=None, done_by=None)  # reopened by hand
    actions.decide_link(zc, link, "reopen")
    assert [i.done_at for i in lines(link=link)] == [None]


def test_naming_the_lead_closes_the_referral(client, login, across):
    (line,) = lines(person=across.referred)
    assert line.kind == WorkKind.REFERRAL
    zc = across.members["zc"]
    login(zc)
    response = client.post(
        url("lead", pseudonym=across.referred.pseudonym), {"organisation": str(across.school.pk)}
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assignment = LeadAssignment.objects.get()
    assert (line.done_by, line.done_at) == (zc.user, assignment.assigned_at)


def test_naming_the_lead_closes_the_persons_new_link_lines_in_the_region(client, login, across):
    """The person at school and youth care: three new-link lines in Midden-Brabant (two
    naming the school's record, one the youth care's), and the link to Amsterdam on the
    list there. Naming the lead closes the three; Amsterdam's line and every other person's
    line stay open."""
    records = (across.at_school, across.at_youth_care)
    mine = lines(region=factories.REGION, person__in=records)
    assert len(mine) == 3 and {i.kind for i in mine} == {WorkKind.NEW_LINK}
    others = lines(done_at__isnull=True, region=factories.REGION, kind=WorkKind.REFERRAL)
    amsterdam = lines(region=OTHER_REGION)
    login(across.members["zc"])
    response = client.post(
        url("lead", pseudonym=across.at_school.pseudonym),
        {"organisation": str(across.youth_care.pk)},
    )
    assert response.status_code == 302
    assert all(i.done_at is not None for i in lines(region=factories.REGION, person__in=records))
    assert lines(done_at__isnull=True, region=factories.REGION, kind=WorkKind.REFERRAL) == others
    assert [i.done_at for i in lines(region=OTHER_REGION)] == [None] * len(amsterdam)


def test_naming_the_lead_closes_the_threshold_line_but_not_an_answer(client, login, across):
    """A pair below the threshold (level 1 combined) whose level then reaches 2 gets a
    threshold line; an answered information request about it gets an answer line. The
    lead closes the first; the answer is read, and marked handled by hand."""
    bsn = factories.valid_bsn(7)
    school, youth_care = across.actor("school"), across.actor("youth_care")
    first = factories.person(school, bsn=bsn)
    factories.registration(school, first, signals=[SOFT])
    second = factories.person(youth_care, bsn=bsn)
    factories.registration(youth_care, second, signals=[SOFT])
    zc = across.actor("zc")
    actions.mark_done(zc, [i.pk for i in lines(person__in=(first, second))])  # the new link
    factories.registration(youth_care, second, signals=[STRONG])
    (threshold,) = lines(kind=WorkKind.THRESHOLD)
    request = actions.ask_information(zc, first, across.school, "Hoe gaat het op school?")
    actions.answer_information(across.actor("school_af"), request, "Meer verzuim sinds mei.")
    (answer,) = lines(kind=WorkKind.ANSWER)
    login(across.members["zc"])
    response = client.post(
        url("lead", pseudonym=first.pseudonym), {"organisation": str(across.school.pk)}
    )
    assert response.status_code == 302
    threshold.refresh_from_db()
    answer.refresh_from_db()
    assert threshold.done_by == across.members["zc"].user and threshold.done_at is not None
    assert answer.done_at is None


def test_the_other_region_is_told_its_line_was_handled_but_not_by_whom(client, login, across):
    """The deciding region's zorgcoördinator closes the other region's line too; that
    region's work list says it was handled there, without the colleague's name, while
    the deciding region sees the name."""
    _a, _b, link = candidate(across, second="amsterdam")
    zc, zc_amsterdam = across.members["zc"], across.members["zc_amsterdam"]
    zc.user.first_name, zc.user.last_name = "Wendelien", "Synthetica"
    zc.user.save()
    login(zc)
    client.post(
        url("link", link_id=link.pk), {"decision": "reject", "note": "", "shown": "candidate"}
    )
    mine = client.get(url("worklist")).content.decode()
    assert "Wendelien Synthetica" in mine
    client.logout()
    login(zc_amsterdam)
    theirs = client.get(url("worklist")).content.decode()
    assert "Wendelien" not in theirs and "Synthetica" not in theirs
    assert "zorgcoördinator van de andere regio" in theirs
