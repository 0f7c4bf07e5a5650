"""Need to know on the link pages (issue 9, defect 1): which links a zorgcoördinator sees,
whose identities they may open and which region decides a link across regions
(docs/design/coordination.md, "Links and candidates: who sees and decides what").

- A possible match (candidate) or a rejected link: the zorgcoördinator of every region
  with a record in it sees it, to decide; a confirmed or automatic link only when the
  records of the own region in it are in the need-to-know scope (combined level 2 or
  higher, or referred). Otherwise: 404, the same page as for an unknown id.
- Identities: only of the records of the zorgcoördinator's own region.
- Across regions: the region of the record registered first decides; the other region
  sees that the link exists (its own record and the other region), never the other
  record, and may not confirm, reject or reopen it.

Everything here is synthetic: made-up names, BSNs generated to pass the elfproef only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.test import Client

from lens.access.models import Action
from lens.coordination import actions, clusters, combined
from lens.data.coordination import LinkBasis, LinkDecision, LinkState, PersonLink
from tests.coordination import linkworld
from tests.coordination.linkworld import last_log_id, log_since, pair, url
from tests.login import log_in
from tests.registry import conftest as registry
from tests.registry import factories

active = registry.active
catalogue_files = registry.catalogue_files
login = registry.login
links_world = linkworld.links_world

pytestmark = pytest.mark.django_db

UNKNOWN_ID = 987_654_321
PURPOSE = "Nagaan of beide registraties hetzelfde kind betreffen."


def client_for(world, who: str) -> Client:
    client = Client(raise_request_exception=False)
    member = world.members[who]
    log_in(client, member.user, member)
    return client


def same_bsn(world, first: str, second: str, seed: int, given=("Sanne", "Sanne")):
    """The same (made-up) child with one BSN at `first` and then at `second` (given names
    as each spelled them): an automatic link."""
    bsn = factories.valid_bsn(seed)
    a = factories.person(world.actor(first), bsn=bsn, given_names=given[0], family_name="Bedacht")
    b = factories.person(world.actor(second), bsn=bsn, given_names=given[1], family_name="Bedacht")
    link = PersonLink.objects.get(person_a=min(a, b, key=_pk), person_b=max(a, b, key=_pk))
    assert (link.basis, link.state) == (LinkBasis.BSN, LinkState.LINKED)
    return a, b, link


def _pk(person):
    return person.pk


def body(response) -> str:
    return response.content.decode(errors="replace")


def unmasked(response) -> str:
    """The body without the CSRF token (masked anew for every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body(response))


# --- a link below the threshold ------------------------------------------------------------


@pytest.fixture
def below(links_world):
    """An automatic link in midden_brabant whose combined level is 1 and that nobody
    referred: the organisations' business, not the zorgcoördinator's."""
    a, b, link = same_bsn(links_world, "school", "youth_care", 7)
    factories.registration(links_world.actor("school"), a, signals=["truancy"])
    assert combined.latest(a).level == 1 and combined.latest(b).level == 1
    return a, b, link


def test_an_automatic_link_below_the_threshold_is_not_the_coordinators(links_world, below):
    a, b, link = below
    zc = client_for(links_world, "zc")
    since = last_log_id()
    listed = zc.get(url("coordination:links"))
    assert listed.status_code == 200
    assert a.pseudonym not in body(listed) and b.pseudonym not in body(listed)
    unknown = zc.get(url("coordination:link", link_id=UNKNOWN_ID))
    assert unknown.status_code == 404
    page = zc.get(url("coordination:link", link_id=link.pk))
    assert page.status_code == 404
    assert unmasked(page) == unmasked(unknown)  # nothing tells that the link exists
    reveal = url("coordination:link_reveal", link_id=link.pk)
    assert zc.get(reveal).status_code == 404
    revealed = zc.post(reveal, {"purpose": PURPOSE})
    assert revealed.status_code == 404
    assert unmasked(revealed) == unmasked(
        zc.post(url("coordination:link_reveal", link_id=UNKNOWN_ID))
    )
    assert "Sanne" not in body(revealed) and "Bedacht" not in body(revealed)
    rejected = zc.post(url("coordination:link", link_id=link.pk), {"decision": "reject"})
    assert rejected.status_code == 404
    link.refresh_from_db()
    assert link.state == LinkState.LINKED
    assert not LinkDecision.objects.filter(link=link).exists()
    assert not log_since(since).exists()
    # As the combined picture: 404 there too.
    assert zc.get(url("coordination:picture", pseudonym=a.pseudonym)).status_code == 404


def test_the_same_link_is_the_coordinators_once_referred(links_world, below):
    a, b, link = below
    actions.refer(links_world.actor("school"), a, "Zorgen over nieuwe contacten.")
    zc = client_for(links_world, "zc")
    listed = body(zc.get(url("coordination:links")))
    assert a.pseudonym in listed and b.pseudonym in listed
    since = last_log_id()
    assert zc.get(url("coordination:link", link_id=link.pk)).status_code == 200
    assert {(e.person_id, e.action) for e in log_since(since)} == {
        (a.pk, Action.READ),
        (b.pk, Action.READ),
    }


# --- across regions ------------------------------------------------------------------------


@pytest.fixture
def across(links_world):
    """The same BSN registered first at a school in midden_brabant (level 1, not
    referred) and then at a school in amsterdam (referred there)."""
    here, there, link = same_bsn(links_world, "school", "elsewhere", 9, given=("Ilse", "Elise"))
    factories.registration(links_world.actor("school"), here, signals=["truancy"])
    actions.refer(links_world.actor("elsewhere"), there, "Zorgen over verzuim.")
    assert clusters.other_organisations(here) == [links_world.elsewhere]
    return here, there, link


def test_the_other_region_sees_only_that_the_link_exists(links_world, across):
    here, there, link = across
    theirs = client_for(links_world, "zc_other")
    since = last_log_id()
    listed = theirs.get(url("coordination:links"))
    assert there.pseudonym in body(listed)
    assert here.pseudonym not in body(listed)
    page = theirs.get(url("coordination:link", link_id=link.pk))
    assert page.status_code == 200
    assert there.pseudonym in body(page) and here.pseudonym not in body(page)
    assert links_world.school.name not in body(page)
    assert {e.person_id for e in log_since(since)} == {there.pk}
    # The deciding region's zorgcoördinator has no need to know this record: 404.
    ours = client_for(links_world, "zc")
    assert ours.get(url("coordination:link", link_id=link.pk)).status_code == 404
    assert here.pseudonym not in body(ours.get(url("coordination:links")))


def test_the_other_region_cannot_reveal_a_record_outside_its_region(links_world, across):
    here, there, link = across
    theirs = client_for(links_world, "zc_other")
    since = last_log_id()
    response = theirs.post(url("coordination:link_reveal", link_id=link.pk), {"purpose": PURPOSE})
    assert response.status_code == 200
    html = body(response)
    assert "Elise" in html  # the own region's record, as Amsterdam registered it
    assert "Ilse" not in html and here.pseudonym not in html
    assert [(e.person_id, e.action) for e in log_since(since)] == [(there.pk, Action.REVEAL)]


@pytest.mark.parametrize("decision", ["reject", "reopen"])
def test_the_other_region_cannot_decide_the_link(links_world, across, decision):
    here, there, link = across
    theirs = client_for(links_world, "zc_other")
    since = last_log_id()
    response = theirs.post(url("coordination:link", link_id=link.pk), {"decision": decision})
    assert response.status_code in (403, 404)
    link.refresh_from_db()
    assert link.state == LinkState.LINKED
    assert not LinkDecision.objects.filter(link=link).exists()
    assert not log_since(since).exists()
    # "Ook betrokken" at the Tilburg school still names the Amsterdam organisation.
    assert clusters.other_organisations(here) == [links_world.elsewhere]
    assert clusters.other_organisations(there) == [links_world.school]


@pytest.fixture
def cross_candidate(links_world):
    """A possible match across regions: Janssen at the school in midden_brabant first,
    Jansen at the school in amsterdam."""
    a, b, link = pair(links_world, given="Roos", second="elsewhere")
    assert link.state == LinkState.CANDIDATE
    assert a.pk < b.pk and link.person_a == a
    return a, b, link


def test_a_candidate_across_regions_is_decided_by_the_region_of_the_first_record(
    links_world, cross_candidate
):
    a, b, link = cross_candidate
    theirs = client_for(links_world, "zc_other")
    page = theirs.get(url("coordination:link", link_id=link.pk))
    assert page.status_code == 200
    assert b.pseudonym in body(page) and a.pseudonym not in body(page)
    assert 'value="confirm"' not in body(page)
    for decision in ("confirm", "reject"):
        response = theirs.post(url("coordination:link", link_id=link.pk), {"decision": decision})
        assert response.status_code in (403, 404)
    link.refresh_from_db()
    assert link.state == LinkState.CANDIDATE
    # Its own record's identity only.
    revealed = theirs.post(url("coordination:link_reveal", link_id=link.pk), {"purpose": PURPOSE})
    assert revealed.status_code == 200
    assert "Jansen" in body(revealed) and "Janssen" not in body(revealed)
    assert a.pseudonym not in body(revealed)
    # The deciding region sees its own record, decides, and opens its own identity only.
    ours = client_for(links_world, "zc")
    page = ours.get(url("coordination:link", link_id=link.pk))
    assert page.status_code == 200
    assert a.pseudonym in body(page) and b.pseudonym not in body(page)
    assert 'value="confirm"' in body(page)
    revealed = ours.post(url("coordination:link_reveal", link_id=link.pk), {"purpose": PURPOSE})
    assert revealed.status_code == 200
    assert "Janssen" in body(revealed) and "Jansen<" not in body(revealed)
    assert b.pseudonym not in body(revealed)
    response = ours.post(
        url("coordination:link", link_id=link.pk), {"decision": "confirm", "shown": "candidate"}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.state == LinkState.LINKED


# --- the link routes, every role -------------------------------------------------------------

ANONYMOUS = "anonymous"
WHO = ["school", "af", "zc", "zc_other", "analist", "beheerder", ANONYMOUS]
LINK_ROUTES = ["coordination:link", "coordination:link_reveal"]
# An empty POST where the link is the actor's: a form without its fields (400).
EMPTY_POST = 400


@dataclass
class Targets:
    links: dict[str, PersonLink]  # target -> link
    # target -> zorgcoördinator -> the records of the link they see (none: 404)
    shown: dict[str, dict[str, set[int]]]
    # target -> the zorgcoördinator who decides it (the others who see it get 403)
    decider: dict[str, str]


@pytest.fixture
def targets(links_world) -> Targets:
    """A candidate in midden_brabant; an automatic link there below the threshold; a
    candidate across the regions (midden_brabant first) and an automatic link across them
    (midden_brabant first, below the threshold there, referred in amsterdam)."""
    here_a, here_b, candidate = pair(links_world, given="Fleur", family_a="Smits", family_b="Smit")
    _low_a, _low_b, below = same_bsn(links_world, "school", "youth_care", 13, ("Noa", "Noa"))
    cross_a, cross_b, cross = pair(
        links_world, given="Vera", family_a="Hendriks", family_b="Hendrix", second="elsewhere"
    )
    _far_a, far_b, far = same_bsn(links_world, "school", "elsewhere", 17, ("Yara", "Yara"))
    actions.refer(links_world.actor("elsewhere"), far_b, "Zorgen over verzuim.")
    assert candidate.state == cross.state == LinkState.CANDIDATE
    return Targets(
        links={"candidate": candidate, "below": below, "cross": cross, "far": far},
        shown={
            "candidate": {"zc": {here_a.pk, here_b.pk}},
            "below": {},
            "cross": {"zc": {cross_a.pk}, "zc_other": {cross_b.pk}},
            "far": {"zc_other": {far_b.pk}},
        },
        decider={"candidate": "zc", "cross": "zc", "far": "zc"},
    )


def expected(targets: Targets, who: str, target: str, name: str, method: str) -> int:
    if who == ANONYMOUS:
        return 302
    if who not in ("zc", "zc_other"):
        return 403  # the role may never: the same answer for every link
    if who not in targets.shown.get(target, {}):
        return 404  # not theirs to see: as an unknown id
    if method == "get":
        return 200
    if name == "coordination:link" and targets.decider.get(target) != who:
        return 403  # they see that it exists; another region decides
    return EMPTY_POST


def test_link_route_matrix(links_world, targets):
    """Every role on the list, one link and its identities, for each kind of link and an
    unknown id: the expected status; a 404 the same page as for an unknown id; what a
    200 shows is exactly the records the actor may see, each logged; nothing decided."""
    every = {p.pk: p for link in targets.links.values() for p in (link.person_a, link.person_b)}
    problems: list[str] = []
    for who in WHO:
        client = Client(raise_request_exception=False)
        if who != ANONYMOUS:
            member = links_world.members[who]
            log_in(client, member.user, member)
        listed = client.get(url("coordination:links"))
        own = {pk for shown in targets.shown.values() for pk in shown.get(who, set())}
        if listed.status_code == 200:
            problems += [
                f"the list as {who} {'lacks' if pk in own else 'shows'} {person.pseudonym}"
                for pk, person in every.items()
                if (person.pseudonym in body(listed)) != (pk in own)
            ]
        unknown_page = {
            (name, method): unmasked(getattr(client, method)(url(name, link_id=UNKNOWN_ID)))
            for name in LINK_ROUTES
            for method in ("get", "post")
        }
        for target in [*targets.links, "unknown"]:
            link_id = targets.links[target].pk if target in targets.links else UNKNOWN_ID
            for name in LINK_ROUTES:
                for method in ("get", "post"):
                    since = last_log_id()
                    response = getattr(client, method)(url(name, link_id=link_id))
                    where = f"{method.upper()} {name} {target} as {who}"
                    status, want = (
                        response.status_code,
                        expected(targets, who, target, name, method),
                    )
                    if status != want:
                        problems.append(f"{where}: {status}, expected {want}")
                    if status == 404 and unmasked(response) != unknown_page[(name, method)]:
                        problems.append(f"{where}: a 404 unlike that of an unknown id")
                    seen = targets.shown.get(target, {}).get(who, set())
                    logged = {e.person_id for e in log_since(since)}
                    if status == 200 and logged != seen:
                        problems.append(f"{where}: logged {logged}, expected {seen}")
                    if status != 200 and logged:
                        problems.append(f"{where}: {status} but logged {logged}")
                    problems += [
                        f"{where}: shows {person.pseudonym}"
                        for pk, person in every.items()
                        if pk not in seen and person.pseudonym in body(response)
                    ]
    assert not LinkDecision.objects.exists()
    assert not problems, "\n".join(problems)
