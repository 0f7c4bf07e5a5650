"""The permission table (lens.access.routes) is complete and is what the pages do.

1. Every named URL of the project is declared in the table (and nothing else is).
2. Every registry route x every role x (own organisation, other organisation, anonymous)
   answers with the expected status, and no response shows another organisation's
   content: its pseudonyms, context notes, information requests or name. (The person page
   does show another organisation's name and contact when the two records are linked,
   "ook betrokken": in this world they are not, so the name must not show anywhere.)
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from lens.access import routes
from lens.access.models import Action
from lens.data.coordination import InformationRequest, PersonRelation, RelationKind
from lens.data.registry import Person, Role
from lens.registry import urls as registry_urls

from . import factories
from .conftest import OTHER_NOTE, OTHER_ORG_NAME, OWN_NOTE, ROLES

ANONYMOUS = "anonymous"


def walk(patterns, prefix=""):
    """(namespaces, full name or None, pattern) for every URL pattern under `patterns`;
    namespaces as in a URL name ("registry:")."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from walk(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern):
            yield prefix, (f"{prefix}{pattern.name}" if pattern.name else None), pattern


def named_routes(patterns, prefix=""):
    """(full name or None, pattern) for every URL pattern under `patterns`."""
    for _namespaces, name, pattern in walk(patterns, prefix):
        yield name, pattern


def project_routes(urlconf) -> list:
    """(name, pattern) of every URL of the project outside the REST API, whose operations
    lens.api.permissions declares (and tests/api checks)."""
    api = f"{routes.API_NAMESPACE}:"
    return [
        (name, pattern)
        for namespaces, name, pattern in walk(get_resolver(urlconf).url_patterns)
        if not namespaces.startswith(api)
    ]


def test_every_route_of_the_project_is_in_the_permission_table(settings):
    found = project_routes(settings.ROOT_URLCONF)
    unnamed = [str(p.pattern) for name, p in found if name is None]
    assert not unnamed, f"URLs without a name cannot be declared in the table: {unnamed}"
    missing = sorted({name for name, _ in found} - set(routes.ROUTES))
    assert not missing, f"Declare these URLs in lens.access.routes.ROUTES: {missing}"


def test_the_permission_table_names_only_existing_routes(settings):
    found = {name for name, _ in project_routes(settings.ROOT_URLCONF)}
    stale = sorted(set(routes.ROUTES) - found)
    assert not stale, f"These entries of lens.access.routes.ROUTES name no URL: {stale}"


def test_every_registry_view_enforces_the_table():
    for name, pattern in named_routes(registry_urls.urlpatterns, "registry:"):
        assert getattr(pattern.callback, "permission_protected", False), name
        assert not routes.ROUTES[name].public, name


# Only the aandachtsfunctionaris reads and answers the zorgcoördinator's information
# requests to the organisation (docs/design/coordination.md, access).
ANSWERING_ROUTES = {"registry:requests", "registry:request"}


def test_the_table_follows_the_access_rules_of_the_design():
    handling = {Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS}
    for name, permission in routes.ROUTES.items():
        if not name.startswith("registry:"):
            continue
        only_af = permission.action == Action.EXPORT or name in ANSWERING_ROUTES
        expected = {Role.AANDACHTSFUNCTIONARIS} if only_af else handling
        assert permission.roles == frozenset(expected), name
        # The requests are asked in their own scope, the records in the organisation's.
        scope = routes.REQUESTS if name in ANSWERING_ROUTES else routes.ORGANISATION
        assert permission.scope == scope, name
    for name in ("registry:refer", "registry:relation_new", "registry:relation_end"):
        assert routes.ROUTES[name].action == Action.CHANGE, name


def test_the_table_would_refuse_an_undeclared_route():
    with pytest.raises(ImproperlyConfigured, match=r"not in lens\.access\.routes\.ROUTES"):
        routes.permission_for("registry:no-such-page")


# --- the matrix ----------------------------------------------------------------------------

REGISTRY_PATTERNS = dict(named_routes(registry_urls.urlpatterns, "registry:"))
REGISTRY_ROUTES = sorted(REGISTRY_PATTERNS)
# A URL that names an object (a pseudonym, a request): the policy's lookup answers 404
# for another organisation's.
OBJECT_ROUTES = [n for n in REGISTRY_ROUTES if REGISTRY_PATTERNS[n].pattern.converters]
LIST_ROUTES = [n for n in REGISTRY_ROUTES if n not in OBJECT_ROUTES]
POST_ROUTES = {
    "registry:register",
    "registry:register_more",
    "registry:correct",
    "registry:withdraw",
    "registry:informed",
    "registry:reference",  # an empty POST removes no reference: 400
    "registry:search",  # a POST (no names in URLs); an empty search: 400
    "registry:reveal",
    "registry:refer",
    "registry:relation_new",
    "registry:relation_end",
    "registry:request",
}
# POST only (GET: 405); the POST needs no input, so for the own record it goes through.
POST_ONLY_ROUTES: set[str] = set()
WHO = [*(str(r) for r in ROLES), ANONYMOUS]


def cases():
    for name in REGISTRY_ROUTES:
        for who in WHO:
            yield pytest.param(name, who, id=f"{name}-{who}")


def targets(name: str) -> list[str]:
    return ["own", "other"] if name in OBJECT_ROUTES else ["none"]


def expected_status(name: str, who: str, target: str, method: str) -> int:
    permission = routes.ROUTES[name]
    if who == ANONYMOUS:
        return 302  # to the login page
    if who not in permission.roles:
        return 403  # the role may never: the same answer for every person
    if method == "post" and name not in POST_ROUTES:
        return 405
    if method == "get" and name in POST_ONLY_ROUTES:
        return 405
    if target == "other":
        return 404  # never 403: no existence leak
    if name in POST_ONLY_ROUTES:
        return 302  # done: back to the person's page
    return 400 if method == "post" else 200  # an empty POST is bad input


OTHER_QUESTION = "Vraag-aan-de-andere-organisatie"
OWN_QUESTION = "Vraag-aan-de-eigen-organisatie"


@dataclass
class Across:
    """Per organisation, an information request of the zorgcoördinator about its person
    and a relation of its person with a second record of the same organisation. The two
    organisations' persons are not linked: nothing of the other may show anywhere."""

    requests: dict[str, InformationRequest]  # "own" / "other"
    relations: dict[str, PersonRelation]
    other_second: Person  # the other end of the other organisation's relation


@pytest.fixture
def across(world) -> Across:
    coordinator = world.members[Role.ZORGCOORDINATOR].user
    own_actor = world.actor(Role.PROFESSIONAL)
    other_actor = factories.actor(world.other_professional)
    seconds = {"own": factories.person(own_actor), "other": factories.person(other_actor)}
    persons = {"own": world.own_person, "other": world.other_person}
    organisations = {"own": world.own, "other": world.other}
    questions = {"own": OWN_QUESTION, "other": OTHER_QUESTION}
    requests, relations = {}, {}
    for side in ("own", "other"):
        requests[side] = InformationRequest.objects.create(
            person=persons[side], question=questions[side], asked_by=coordinator
        )
        relations[side] = PersonRelation.objects.create(
            person_a=persons[side],
            person_b=seconds[side],
            kind=RelationKind.FAMILY,
            recorded_by=(own_actor if side == "own" else other_actor).author(),
            recorded_by_organisation=organisations[side],
        )
    return Across(requests=requests, relations=relations, other_second=seconds["other"])


def url_for(world, name: str, target: str, across: Across | None = None) -> str:
    kwargs = {}
    pattern = str(REGISTRY_PATTERNS[name].pattern)
    if target in ("own", "other"):
        person = world.own_person if target == "own" else world.other_person
        registration = world.own_registration if target == "own" else world.other_registration
        if "pseudonym" in pattern:
            kwargs["pseudonym"] = person.pseudonym
        if "registration_id" in pattern:
            kwargs["registration_id"] = registration.pk
        if "request_id" in pattern:
            kwargs["request_id"] = across.requests[target].pk
        if "relation_id" in pattern:
            kwargs["relation_id"] = across.relations[target].pk
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "who"), list(cases()))
def test_route_matrix(client, world, across, login, name, who):
    """One route, one role: GET and POST, for the own and the other organisation's person.
    (One test per route and role rather than per request keeps the suite fast; the
    failure message names every request that went wrong.)"""
    if who != ANONYMOUS:
        login(world.members[who])
    secrets = (
        OTHER_NOTE,
        OTHER_ORG_NAME,
        OTHER_QUESTION,
        world.other_person.pseudonym,
        across.other_second.pseudonym,
    )
    problems = []
    for target in targets(name):
        url = url_for(world, name, target, across)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            expected = expected_status(name, who, target, method)
            where = f"{method.upper()} {url} ({target})"
            if response.status_code != expected:
                problems.append(f"{where}: {response.status_code}, expected {expected}")
            if response.status_code == 302:
                if who == ANONYMOUS:
                    goal = reverse(settings.LOGIN_URL)
                else:  # a POST-only action done: back to the person's page
                    goal = url_for(world, "registry:person", target)
                if not response["Location"].startswith(goal):
                    problems.append(f"{where}: redirects to {response['Location']}")
            body = response.content.decode()
            for secret in secrets:
                if secret in body:
                    problems.append(f"{where}: shows {secret!r} to {who}")
            if response.status_code == 200 and name == "registry:person" and OWN_NOTE not in body:
                problems.append(f"{where}: the own registration is missing")
    assert not problems, "\n".join(problems)
