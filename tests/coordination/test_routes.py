"""The zorgcoördinator's pages (namespace `coordination:`) do what the permission table
(lens.access.routes) and docs/design/coordination.md say.

Every coordination route x every role (professional and aandachtsfunctionaris of a school
in midden_brabant, the zorgcoördinator of midden_brabant, the zorgcoördinator of
amsterdam, analist, beheerder, anonymous) x target (an object of midden_brabant, one of
amsterdam, an unknown id) x GET and an empty POST answers with the expected status:

- anonymous: 302 to the login page;
- a role not in the table: 403, whatever the object;
- another region's object, or an unknown id: 404 (never 403: no existence leak);
- the own region's object: 200 for a page, 400 for an empty form, 405 for the wrong
  method; never 500.

The links of every kind (below the threshold, across regions) are run for every role in
tests/coordination/test_link_scope.py. No response to a zorgcoördinator contains the
other region's pseudonyms or context notes, none to an organisation's user another
organisation's, and every combined picture or link the zorgcoördinator opens is in the
access log, one entry per record shown.

Everything here is synthetic: made-up names, BSNs generated to pass the elfproef only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import translation

from lens.access import policy, routes
from lens.access.actor import Actor
from lens.access.models import AccessLogEntry
from lens.coordination import actions as coordination_actions
from lens.coordination import clusters
from lens.coordination import urls as coordination_urls
from lens.data.coordination import (
    InformationRequest,
    LeadAssignment,
    LinkBasis,
    LinkDecision,
    LinkState,
    PersonLink,
    PersonRelation,
    Referral,
    RelationKind,
    WorkItem,
    WorkKind,
)
from lens.data.registry import Membership, Organisation, Person, Role
from tests.api.conftest import Api
from tests.api.factories import make_client
from tests.login import log_in
from tests.registry import factories
from tests.registry.conftest import active, catalogue_files, login  # noqa: F401
from tests.registry.test_routes import named_routes

MB = "midden_brabant"
AMS = "amsterdam"
REGIONS = (MB, AMS)
MUNICIPALITY = {MB: "Tilburg", AMS: "Amsterdam"}
# The second organisation of each region (the first is a school).
PARTNER = {MB: "youth_care", AMS: "police"}

ANONYMOUS = "anonymous"
ZC = str(Role.ZORGCOORDINATOR)
ZC_AMS = "zorgcoordinator-amsterdam"
PROFESSIONAL = str(Role.PROFESSIONAL)
AF = str(Role.AANDACHTSFUNCTIONARIS)
WHO = [PROFESSIONAL, AF, ZC, ZC_AMS, str(Role.ANALIST), str(Role.BEHEERDER), ANONYMOUS]
ROLE_OF = {ZC_AMS: ZC}
REGION_OF = {ZC: MB, ZC_AMS: AMS}

UNKNOWN = "unknown"
UNKNOWN_ID = 987_654_321

PATTERNS = dict(named_routes(coordination_urls.urlpatterns, "coordination:"))
ROUTE_NAMES = sorted(PATTERNS)
# The methods each page answers (docs/design/coordination.md, "URLs").
METHODS: dict[str, frozenset[str]] = {
    "coordination:worklist": frozenset({"get"}),
    "coordination:work_done": frozenset({"post"}),
    "coordination:persons": frozenset({"get"}),
    "coordination:picture": frozenset({"get"}),
    "coordination:lead": frozenset({"post"}),
    "coordination:ask": frozenset({"get", "post"}),
    "coordination:relation_new": frozenset({"get", "post"}),
    "coordination:relation_end": frozenset({"get", "post"}),
    "coordination:links": frozenset({"get"}),
    "coordination:link": frozenset({"get", "post"}),
    "coordination:link_reveal": frozenset({"get", "post"}),
    "coordination:network": frozenset({"get"}),
}
# What an empty POST does in scope: a form without its fields is bad input (400); marking
# work-list lines done with no line chosen redirects to the list with a message.
EMPTY_POST = {
    "coordination:work_done": 302,
    "coordination:lead": 400,
    "coordination:ask": 400,
    "coordination:relation_new": 400,
    "coordination:relation_end": 400,  # the reason is required
    "coordination:link": 400,
    "coordination:link_reveal": 400,
}
# The pages that show person data and log every record they show.
LOGGED_PAGES = {"coordination:picture", "coordination:link", "coordination:relation_end"}
# The pages that show the persons in scope (not the candidate pairs of the links pages).
PERSON_PAGES = {"coordination:persons", "coordination:network", "coordination:picture"}


def url_kwargs(name: str) -> list[str]:
    return list(PATTERNS[name].pattern.converters)


OBJECT_ROUTES = [name for name in ROUTE_NAMES if url_kwargs(name)]


# --- the world -----------------------------------------------------------------------------


@dataclass
class RegionWorld:
    """One region: a school and a partner organisation, the same person at both (same
    BSN, level 1 at each and 2 combined), a fuzzy candidate pair (Janssen / Jansen, no BSN,
    the Janssen record referred to the zorgcoördinator), a work-list line, a relation the
    zorgcoördinator recorded, and a record below the threshold that only the school
    may see."""

    region: str
    school: Organisation
    partner: Organisation
    professionals: dict[str, Actor]  # organisation type -> a professional there
    at_school: Person
    at_partner: Person
    janssen: Person  # at the school, referred
    jansen: Person  # at the partner
    candidate: PersonLink
    item: WorkItem
    relation: PersonRelation
    notes: dict[str, str]  # organisation type -> the context note its registrations carry
    alone: Person  # at the school, level 1, linked to nobody, not referred
    alone_note: str

    @property
    def records(self) -> list[Person]:
        return [self.at_school, self.at_partner, self.janssen, self.jansen, self.alone]

    @property
    def below_threshold(self) -> dict[str, str]:
        """What the zorgcoördinator of the region has no need to know either."""
        return {
            self.alone.pseudonym: "the pseudonym of a record below the threshold",
            self.alone_note: "the context note of a record below the threshold",
        }

    def records_of(self, organisation: Organisation) -> list[Person]:
        return [p for p in self.records if p.organisation_id == organisation.pk]


@dataclass
class World:
    regions: dict[str, RegionWorld]
    members: dict[str, Membership]  # who -> membership
    zc_actors: dict[str, Actor] = field(default_factory=dict)  # region -> zorgcoördinator


def note(region: str, kind: str) -> str:
    return f"Contextnotitie-{region}-{kind}-vertrouwelijk"


def build_region(region: str, seed: int, coordinator: Actor, born: date) -> RegionWorld:
    school = factories.organisation(
        f"Synthetische School {region}", region=region, municipality=MUNICIPALITY[region]
    )
    partner = factories.organisation(
        f"Synthetische {PARTNER[region]} {region}",
        organisation_type=PARTNER[region],
        region=region,
        municipality=MUNICIPALITY[region],
    )
    by_school = factories.actor(factories.membership(Role.PROFESSIONAL, school))
    by_partner = factories.actor(factories.membership(Role.PROFESSIONAL, partner))
    notes = {"school": note(region, "school"), PARTNER[region]: note(region, PARTNER[region])}

    # The same person at both (the same BSN): truancy at the school, new expensive clothes
    # and many new contacts at the partner: level 1 each, level 2 combined (three soft
    # signals in three leefgebieden; tests/coordination/test_policy.py).
    bsn = factories.valid_bsn(seed)
    at_school = factories.person(by_school, bsn=bsn)
    factories.registration(by_school, at_school, signals=["truancy"], context_note=notes["school"])
    at_partner = factories.person(by_partner, bsn=bsn)
    factories.registration(
        by_partner,
        at_partner,
        signals=["new_expensive_clothes", "many_new_contacts"],
        context_note=notes[PARTNER[region]],
    )

    # A fuzzy candidate pair: one typo in the family name, the same given name and birth
    # date, no BSN.
    given = {MB: "Mirthe", AMS: "Fenna"}[region]
    janssen = factories.person(by_school, given_names=given, family_name="Janssen", birth_date=born)
    factories.registration(by_school, janssen, signals=["truancy"], context_note=notes["school"])
    jansen = factories.person(by_partner, given_names=given, family_name="Jansen", birth_date=born)
    factories.registration(
        by_partner, jansen, signals=["truancy"], context_note=notes[PARTNER[region]]
    )
    candidate = PersonLink.objects.get(
        person_a=min(janssen, jansen, key=lambda p: p.pk),
        person_b=max(janssen, jansen, key=lambda p: p.pk),
    )
    assert (candidate.basis, candidate.state) == (LinkBasis.FUZZY, LinkState.CANDIDATE)
    # Referred, so in the zorgcoördinator's scope whatever its level.
    coordination_actions.refer(by_school, janssen, "Zorgen over verzuim en nieuwe vrienden.")

    # Below the threshold: the school's own business.
    alone = factories.person(by_school)
    alone_note = f"Contextnotitie-{region}-onder-de-drempel"
    factories.registration(by_school, alone, signals=["truancy"], context_note=alone_note)

    item = WorkItem.objects.get(region=region, kind=WorkKind.NEW_LINK)
    relation = coordination_actions.record_relation(
        coordinator, at_school, janssen, RelationKind.FOUND_TOGETHER, "Samen aangetroffen."
    )
    return RegionWorld(
        region=region,
        school=school,
        partner=partner,
        professionals={"school": by_school, PARTNER[region]: by_partner},
        at_school=at_school,
        at_partner=at_partner,
        janssen=janssen,
        jansen=jansen,
        candidate=candidate,
        item=item,
        relation=relation,
        notes=notes,
        alone=alone,
        alone_note=alone_note,
    )


def build_world() -> World:
    """Two regions, each with its zorgcoördinator; the organisation roles, the analist and
    the beheerder of midden_brabant."""
    zc = {
        MB: factories.membership(Role.ZORGCOORDINATOR, region=MB),
        AMS: factories.membership(Role.ZORGCOORDINATOR, region=AMS),
    }
    zc_actors = {region: factories.actor(member) for region, member in zc.items()}
    regions = {
        MB: build_region(MB, 11, zc_actors[MB], date(2011, 3, 14)),
        AMS: build_region(AMS, 23, zc_actors[AMS], date(2010, 9, 27)),
    }
    members = {
        PROFESSIONAL: factories.membership(Role.PROFESSIONAL, regions[MB].school),
        AF: factories.membership(Role.AANDACHTSFUNCTIONARIS, regions[MB].school),
        ZC: zc[MB],
        ZC_AMS: zc[AMS],
        str(Role.ANALIST): factories.membership(Role.ANALIST, region=MB),
        str(Role.BEHEERDER): factories.membership(Role.BEHEERDER),
    }
    return World(regions=regions, members=members, zc_actors=zc_actors)


@pytest.fixture
def two_regions(active) -> World:  # noqa: F811  (the fixture imported above)
    return build_world()


def test_the_world_is_what_the_matrix_assumes(two_regions):
    for region, world in two_regions.regions.items():
        zc = two_regions.zc_actors[region]
        scope = set(policy.coordinated_persons(zc))
        assert scope == {world.at_school, world.at_partner, world.janssen}
        assert world.candidate in policy.visible_links(zc)
        assert clusters.cluster_of(world.at_school) == sorted(
            [world.at_school, world.at_partner], key=lambda p: p.pk
        )
        assert world.relation.ended_at is None and world.item.done_at is None
    # No link across the regions.
    for link in PersonLink.objects.select_related(
        "person_a__organisation", "person_b__organisation"
    ):
        assert link.person_a.organisation.region == link.person_b.organisation.region


def other(region: str) -> str:
    return AMS if region == MB else MB


# --- the table -----------------------------------------------------------------------------


def test_every_coordination_view_enforces_the_table():
    assert ROUTE_NAMES, "no coordination routes found"
    for name, pattern in PATTERNS.items():
        assert getattr(pattern.callback, "permission_protected", False), name


def test_the_table_gives_the_coordination_pages_to_the_zorgcoordinator_only():
    assert set(METHODS) == set(ROUTE_NAMES), "update METHODS for the new or removed routes"
    for name in ROUTE_NAMES:
        permission = routes.ROUTES[name]
        assert permission.scope == routes.REGION, name
        assert permission.roles == frozenset({ZC}), name
        assert not permission.public, name


# --- the matrix ----------------------------------------------------------------------------


def targets(name: str) -> list[str]:
    return [MB, AMS, UNKNOWN] if name in OBJECT_ROUTES else ["none"]


def expected_status(name: str, who: str, target: str, method: str) -> frozenset[int]:
    if who == ANONYMOUS:
        return frozenset({302})  # to the login page
    if ROLE_OF.get(who, who) not in routes.ROUTES[name].roles:
        return frozenset({403})  # the role may never: the same answer for every object
    in_scope = target in ("none", REGION_OF[who])
    if method not in METHODS[name]:
        # The method is wrong whatever the object; a view that looks the object up first
        # answers 404 out of scope, which tells nothing either.
        return frozenset({405} if in_scope else {405, 404})
    if not in_scope:
        return frozenset({404})  # never 403: no existence leak
    return frozenset({200} if method == "get" else {EMPTY_POST[name]})


def url_for(world: World, name: str, target: str) -> str:
    kwargs = {}
    region = world.regions.get(target)
    for key in url_kwargs(name):
        if region is None:
            kwargs[key] = unknown_pseudonym() if key == "pseudonym" else UNKNOWN_ID
        elif key == "pseudonym":
            kwargs[key] = region.at_school.pseudonym
        elif key == "item_id":
            kwargs[key] = region.item.pk
        elif key == "relation_id":
            kwargs[key] = region.relation.pk
        elif key == "link_id":
            kwargs[key] = region.candidate.pk
        else:  # pragma: no cover - a new URL argument
            raise AssertionError(f"{name}: no test object for <{key}>")
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs)


def unknown_pseudonym() -> str:
    """A well-formed pseudonym that nobody has."""
    for candidate in ("P-ZZZZ", "P-ZZZY", "P-ZZZX"):
        if not Person.objects.filter(pseudonym=candidate).exists():
            return candidate
    raise AssertionError("unreachable")


def secrets_for(world: World, who: str) -> dict[str, str]:
    """What `who` must never see: text -> what it is."""
    hidden: dict[str, str] = {}

    def hide_region(region: RegionWorld, keep_organisation: Organisation | None = None):
        for person in region.records:
            if keep_organisation is None or person.organisation_id != keep_organisation.pk:
                hidden[person.pseudonym] = f"pseudonym of {person.organisation.name}"
        for kind, text in region.notes.items():
            if keep_organisation is None or kind != keep_organisation.organisation_type:
                hidden[text] = f"context note of the {kind} in {region.region}"
        if keep_organisation is None:
            hidden[region.alone_note] = f"context note of the school in {region.region}"

    if who in REGION_OF:  # a zorgcoördinator: nothing of the other region
        hide_region(world.regions[other(REGION_OF[who])])
        # nor of the own region below the threshold (need to know)
        hidden.update(world.regions[REGION_OF[who]].below_threshold)
    elif who in (PROFESSIONAL, AF):  # an organisation: nothing of any other organisation
        hide_region(world.regions[MB], keep_organisation=world.regions[MB].school)
        hide_region(world.regions[AMS])
    else:
        for region in world.regions.values():
            hide_region(region)
    return hidden


def shown_records(world: World, name: str, target: str) -> list[Person]:
    """The records a 200 of a logged page shows (and must log)."""
    region = world.regions[target]
    if name == "coordination:picture":
        return clusters.cluster_of(region.at_school, region=region.region)
    if name == "coordination:relation_end":
        return [region.relation.person_a, region.relation.person_b]
    return [region.candidate.person_a, region.candidate.person_b]


def last_log_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def check_logged(world, name, target, since, where, problems) -> None:
    entries = list(AccessLogEntry.objects.filter(id__gt=since))
    expected = {p.pk for p in shown_records(world, name, target)}
    logged = {e.person_id for e in entries if e.role == ZC and e.purpose.strip() and e.person_id}
    missing = expected - logged
    if missing:
        problems.append(f"{where}: no access-log entry for the records {sorted(missing)}")
    elsewhere = {p.pk for p in world.regions[other(target)].records}
    foreign = {e.person_id for e in entries} & elsewhere
    if foreign:
        problems.append(f"{where}: access-log entries for the other region's {sorted(foreign)}")


def request_all(world: World, name: str, who: str, problems: list[str]) -> None:
    """GET and an empty POST on `name` for every target, as `who`."""
    client = Client(raise_request_exception=False)
    if who != ANONYMOUS:
        member = world.members[who]
        log_in(client, member.user, member)
    hidden = secrets_for(world, who)
    login_url = reverse(settings.LOGIN_URL)
    for target in targets(name):
        url = url_for(world, name, target)
        for method in ("get", "post"):
            since = last_log_id()
            response = getattr(client, method)(url)
            status = response.status_code
            expected = expected_status(name, who, target, method)
            where = f"{method.upper()} {url} ({target}) as {who}"
            if status not in expected:
                problems.append(f"{where}: {status}, expected {'/'.join(map(str, expected))}")
            if status == 302:
                location = response["Location"]
                if location.startswith(login_url) != (who == ANONYMOUS):
                    problems.append(f"{where}: redirects to {location}")
            body = response.content.decode(errors="replace")
            problems.extend(
                f"{where}: shows {what} ({secret!r})"
                for secret, what in hidden.items()
                if secret in body
            )
            if status == 200 and method == "get" and name in LOGGED_PAGES:
                check_logged(world, name, target, since, where, problems)
                # The records shown are named by pseudonym (so a leak would be seen too).
                problems.extend(
                    f"{where}: does not show {p.pseudonym}"
                    for p in shown_records(world, name, target)
                    if p.pseudonym not in body
                )
            if status == 200 and name in PERSON_PAGES:
                # Only a candidate (not linked, level 1, not referred): not in scope.
                jansen = world.regions[REGION_OF[who]].jansen
                if jansen.pseudonym in body:
                    problems.append(f"{where}: shows {jansen.pseudonym}, out of scope")
            if status in (403, 404, 405) and AccessLogEntry.objects.filter(id__gt=since).exists():
                problems.append(f"{where}: refused with {status} but wrote access-log entries")


@pytest.mark.usefixtures("active")
@pytest.mark.parametrize("name", ROUTE_NAMES)
def test_route_matrix(name):
    """One route, every role (and anonymous): GET and an empty POST, for an object of each
    region and an unknown one. (One world per route, not per request, keeps the suite
    fast; writes by one role do not change what the others get. The failure message names
    every request that went wrong.)"""
    world = build_world()
    before = written()
    problems: list[str] = []
    for who in WHO:
        request_all(world, name, who, problems)
    problems.extend(unexpected_writes(world, name, before))
    assert not problems, "\n".join(problems)


def written() -> dict[str, int]:
    return {
        "lead assignments": LeadAssignment.objects.count(),
        "information requests": InformationRequest.objects.count(),
        "relations": PersonRelation.objects.count(),
        "link decisions": LinkDecision.objects.count(),
        "referrals": Referral.objects.count(),
        "work items done": WorkItem.objects.filter(done_at__isnull=False).count(),
        "relations ended": PersonRelation.objects.filter(ended_at__isnull=False).count(),
    }


def unexpected_writes(world: World, name: str, before: dict[str, int]) -> list[str]:
    """Empty forms write nothing: marking lines done without a line chosen (the ids come
    in the form, tests/coordination/test_worklist_views.py), ending a relation without its
    reason, and every other form without its fields."""
    after = written()
    expected = dict(before)
    problems = []
    problems += [
        f"{what}: {before[what]} before, {after[what]} after (expected {expected[what]})"
        for what in after
        if after[what] != expected[what]
    ]
    return problems


# --- the organisation side -----------------------------------------------------------------


def test_the_organisation_pages_show_nothing_of_the_linked_record(two_regions):
    """The school's professional and aandachtsfunctionaris read their record of a person
    the youth care also registered: the registry pages show the other organisation (at
    most), never its pseudonym or context note."""
    mb = two_regions.regions[MB]
    hidden = secrets_for(two_regions, PROFESSIONAL)
    assert mb.at_partner.pseudonym in hidden and mb.notes["youth_care"] in hidden
    pages = [
        ("registry:persons", {}),
        ("registry:person", {"pseudonym": mb.at_school.pseudonym}),
        ("registry:person", {"pseudonym": mb.janssen.pseudonym}),
        ("registry:refer", {"pseudonym": mb.at_school.pseudonym}),
        ("registry:relation_new", {"pseudonym": mb.at_school.pseudonym}),
    ]
    problems = []
    for who in (PROFESSIONAL, AF):
        client = Client(raise_request_exception=False)
        member = two_regions.members[who]
        log_in(client, member.user, member)
        for name, kwargs in [*pages, *([("registry:requests", {})] if who == AF else [])]:
            with translation.override("nl"):
                url = reverse(name, kwargs=kwargs or None)
            response = client.get(url)
            if response.status_code != 200:
                problems.append(f"GET {url} as {who}: {response.status_code}")
            body = response.content.decode(errors="replace")
            problems += [
                f"GET {url} as {who}: shows {what}" for s, what in hidden.items() if s in body
            ]
    assert not problems, "\n".join(problems)


def test_the_api_does_not_open_a_linked_record_of_another_organisation(two_regions):
    """An organisation's API client asking for the other organisation's record of the same
    person (linked by BSN) gets 404, as for any other organisation's record."""
    mb = two_regions.regions[MB]
    assert clusters.cluster_of(mb.at_partner) == sorted(
        [mb.at_school, mb.at_partner], key=lambda p: p.pk
    )
    _client, token = make_client(mb.partner, "Synthetisch Jeugdzorgsysteem")
    api = Api(token)
    response = api.get(f"/persons/{mb.at_school.pseudonym}")
    assert response.status_code == 404, response.content[:300]
    # Its own record answers, without the school's pseudonym or note.
    own = api.get(f"/persons/{mb.at_partner.pseudonym}")
    assert own.status_code == 200, own.content[:300]
    listed = api.get("/persons")
    assert listed.status_code == 200, listed.content[:300]
    for response in (own, listed):
        body = response.content.decode()
        assert mb.at_school.pseudonym not in body
        assert mb.janssen.pseudonym not in body
        assert mb.notes["school"] not in body


# --- the table's action and scope, enforced by the decorator -------------------------------


def test_the_route_table_checks_the_declared_action_in_its_scope():
    """The role alone would admit a zorgcoördinator without a region (the database refuses
    such a membership; this guards the decorator should one ever arrive): the declared
    action in the region scope (policy.may_coordinate) refuses them."""
    permission = routes.ROUTES["coordination:worklist"]
    without = Actor(user=None, membership=Membership(role=Role.ZORGCOORDINATOR, region=""))
    with_region = Actor(user=None, membership=Membership(role=Role.ZORGCOORDINATOR, region="x"))
    assert permission.admits(without.role)
    assert not permission.allows(without)
    assert permission.allows(with_region)
    # An organisation role without an organisation: refused by policy.may.
    professional = Actor(user=None, membership=Membership(role=Role.PROFESSIONAL))
    assert routes.ROUTES["registry:persons"].admits(professional.role)
    assert not routes.ROUTES["registry:persons"].allows(professional)
    # The information requests: the aandachtsfunctionaris of an organisation only.
    af = Actor(user=None, membership=Membership(role=Role.AANDACHTSFUNCTIONARIS))
    assert routes.ROUTES["registry:requests"].admits(af.role)
    assert not routes.ROUTES["registry:requests"].allows(af)
    # A scope the policy does not know is a configuration error, not an open door.
    with pytest.raises(ImproperlyConfigured):
        routes.Permission(frozenset({ZC}), action=None, scope="everywhere")


@pytest.mark.django_db
def test_the_page_decorator_asks_the_declared_action_not_only_the_role():
    """`protected` refuses, before the view runs, an actor whose role the entry admits
    but who may not do the declared action in its scope (a zorgcoördinator membership
    without a region: the database refuses one, the decorator must too)."""
    from types import SimpleNamespace

    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.urls import resolve

    with translation.override("nl"):
        path = reverse("coordination:worklist")
    request = RequestFactory().get(path)
    request.resolver_match = resolve(path)
    request.user = SimpleNamespace(is_authenticated=True, is_verified=lambda: True)
    request.membership = Membership(role=Role.ZORGCOORDINATOR, region="")
    assert routes.ROUTES["coordination:worklist"].admits(Role.ZORGCOORDINATOR)
    with pytest.raises(PermissionDenied):
        request.resolver_match.func(request)


def test_one_role_predicate_for_pages_api_and_menu():
    """`Permission.admits` answers for the routes, the API operations and the menu alike."""
    from lens.api.permissions import API_OPERATIONS
    from lens.core.context_processors import _may_open

    for name, permission in routes.ROUTES.items():
        for role in [*Role.values, None]:
            expected = (
                permission.public
                or routes.SIGNED_IN in permission.roles
                or role in (permission.roles)
            )
            assert permission.admits(role) == expected, (name, role)
            if name in {"registry:persons", "coordination:worklist"}:
                assert _may_open(name, role) == expected
    assert API_OPERATIONS["persons_list"].admits(Role.PROFESSIONAL)
    assert not API_OPERATIONS["persons_list"].admits(Role.ZORGCOORDINATOR)
