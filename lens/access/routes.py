"""The permission table: who may open each URL (and, later, each API operation).

Every named URL of the project is declared here (the REST API's operations are declared
in lens.api.permissions, see API_NAMESPACE below); tests/registry/test_routes.py walks
the URL resolver and fails when one is missing, and runs every registry route for every
role against the expected status. The roles of person-data routes are derived from the
access policy (`policy.roles_for`), so the table and the policy cannot disagree.

The table is enforced, not only documented: person-data views are wrapped in
`@protected`, and every API operation has `lens.api.permissions.OperationPermission`;
both look up their own entry and ask `Permission.allows`: the role (`admits`, the one
role predicate, which the main menu asks too) and the declared action in the declared
scope (the policy's `may` / `may_coordinate` / `may_answer_requests`). The object-level
decision (404 for another organisation's person, another region's record) is not in the
table: every view fetches its object through a `get_..._for` / `find_..._for` helper of
`lens.access.policy`, which answers it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from lens.access.actor import actor_from_request
from lens.access.models import Action
from lens.access.policy import (
    REQUEST_ANSWERERS,
    coordination_roles_for,
    may,
    may_answer_requests,
    may_coordinate,
    roles_for,
)
from lens.accounts.decorators import membership_required
from lens.accounts.session import is_verified
from lens.data.registry import Role

# Pseudo-roles: no login needed at all, or any logged-in user (both factors) whatever
# their membership (choosing a membership, logging out).
ANYONE = "anyone"
SIGNED_IN = "signed_in"


# The scopes an entry's action is asked in (`Permission.allows`).
ORGANISATION = "organisation"  # the records of the actor's organisation: policy.may
REGION = "region"  # the zorgcoördinator's need-to-know scope: policy.may_coordinate
REQUESTS = "requests"  # the information requests to the organisation: may_answer_requests
SCOPES = frozenset({ORGANISATION, REGION, REQUESTS})


@dataclass(frozen=True)
class Permission:
    roles: frozenset[str]  # role values, or {ANYONE} / {SIGNED_IN}
    action: Action | None = None  # the person-data action (lens.access.policy)
    scope: str = ORGANISATION  # one of SCOPES: where `action` is asked

    def __post_init__(self):
        if self.scope not in SCOPES:
            raise ImproperlyConfigured(f"Unknown scope {self.scope!r} in the permission table.")

    @property
    def public(self) -> bool:
        return ANYONE in self.roles

    def admits(self, role: str | None) -> bool:
        """THE role predicate: whether a user acting in `role` (None: no membership) may
        open this page or call this operation. Used by `protected`, the API's
        OperationPermission and the main menu (lens.core.context_processors)."""
        if self.public or SIGNED_IN in self.roles:
            return True
        return role is not None and str(role) in self.roles

    def allows(self, actor) -> bool:
        """`admits` for the actor's role, and the declared `action` in the declared
        `scope` by the access policy: a zorgcoördinator without a region, or a handler
        without an organisation, is refused before any object is looked up. Asked by
        `protected` (pages) and the API's OperationPermission alike."""
        if not self.admits(actor.role):
            return False
        if self.action is None:
            return True
        if self.scope == REGION:
            return may_coordinate(actor, self.action)
        if self.scope == REQUESTS:
            return may_answer_requests(actor)
        return may(actor, self.action)


PUBLIC = Permission(frozenset({ANYONE}))
LOGGED_IN = Permission(frozenset({SIGNED_IN}))
# Logged in with an active membership, whatever its role (LOGGED_IN needs no membership).
EVERY_ROLE = Permission(frozenset(str(role) for role in Role))


def person_data(action: Action) -> Permission:
    """A page or operation on the organisation's records: the roles from the policy's
    organisation table."""
    return Permission(roles_for(action), action=action)


def coordination(action: Action) -> Permission:
    """A zorgcoördinator page: the roles from the policy's region table."""
    return Permission(coordination_roles_for(action), action=action, scope=REGION)


# Answering information requests: the aandachtsfunctionaris of the organisation asked.
ANSWERING = Permission(
    frozenset(str(r) for r in REQUEST_ANSWERERS), action=Action.READ, scope=REQUESTS
)
ANSWERING_ONE = Permission(
    frozenset(str(r) for r in REQUEST_ANSWERERS), action=Action.CHANGE, scope=REQUESTS
)

# Every named URL (namespace:name). Keep in the order of the URLconfs.
ROUTES: dict[str, Permission] = {
    "healthz": PUBLIC,
    "readyz": PUBLIC,  # readiness: database and catalogue; no person data
    # The anonymous signal check.
    "check:start": PUBLIC,
    "check:form": PUBLIC,
    "check:outcome": PUBLIC,
    # The outcome's one-page PDF summary, from the posted answers (lens.check.summary).
    "check:summary_pdf": PUBLIC,
    "check:levels": PUBLIC,
    # Logging in and out, choosing a role (lens.accounts.urls).
    "accounts:login": PUBLIC,
    "accounts:verify": PUBLIC,  # the second step of the login: a pending session
    "accounts:logout": PUBLIC,  # logging out an anonymous visitor does nothing
    "accounts:logout-everywhere": LOGGED_IN,
    "accounts:choose-membership": LOGGED_IN,
    # The landing page after logging in (lens.core.urls): the registry's roles go on to
    # their persons, the others read what the application offers them.
    "core:home": EVERY_ROLE,
    # The public statements (lens.core.statement_urls): privacy and accessibility.
    "statements:privacy": PUBLIC,
    "statements:accessibility": PUBLIC,
    # The beheerder's pages (lens.core.beheer_urls): the audit record of their writes.
    "beheer:audit": Permission(frozenset({str(Role.BEHEERDER)})),
    # The registry (lens.registry.urls).
    "registry:persons": person_data(Action.LIST),
    "registry:search": person_data(Action.LIST),
    "registry:requests": ANSWERING,
    "registry:request": ANSWERING_ONE,
    "registry:register": person_data(Action.CREATE),
    "registry:person": person_data(Action.READ),
    "registry:register_more": person_data(Action.CREATE),
    "registry:correct": person_data(Action.CHANGE),
    "registry:withdraw": person_data(Action.WITHDRAW),
    "registry:informed": person_data(Action.CHANGE),
    "registry:reference": person_data(Action.CHANGE),
    "registry:reveal": person_data(Action.REVEAL),
    "registry:access_log": person_data(Action.EXPORT),
    "registry:access_log_csv": person_data(Action.EXPORT),
    # The access request (AVG art. 15, lens.retention.access_request): everything held
    # on the record, for the role that may export (the aandachtsfunctionaris).
    "retention:access_request": person_data(Action.EXPORT),
    "registry:refer": person_data(Action.CHANGE),
    "registry:relation_new": person_data(Action.CHANGE),
    "registry:relation_end": person_data(Action.CHANGE),
    # Meldcode cases (lens.cases.urls): the organisation's own, through the case policy
    # (policy.get_case_for: another organisation's case is a 404).
    "cases:work_list": person_data(Action.LIST),
    "cases:open": person_data(Action.CREATE),
    "cases:case": person_data(Action.READ),
    "cases:step": person_data(Action.CHANGE),
    "cases:hand_over": person_data(Action.CHANGE),
    # A late answer's work-list line marked read (the handler or the officer).
    "cases:late_read": person_data(Action.CHANGE),
    # The case's documents (lens.cases.views_documents): whoever may read the case. The
    # report's identity (a POST with a purpose) is the logged reveal, which asks REVEAL.
    "cases:conversation": person_data(Action.READ),
    "cases:conversation_pdf": person_data(Action.READ),
    "cases:report": person_data(Action.READ),
    # The zorgcoördinator's answer to a referral made from a case (lens.cases.referrals):
    # in the region scope; the answer becomes a step of the referring case.
    "cases:referrals": coordination(Action.LIST),
    "cases:referral_answer": coordination(Action.CHANGE),
    # The zorgcoördinator (lens.coordination.urls): the work list, the persons in their
    # need-to-know scope with the combined picture, links to decide, the network.
    "coordination:worklist": coordination(Action.LIST),
    # The lines to mark come in the form; actions.mark_done checks each (404 elsewhere).
    "coordination:work_done": coordination(Action.CHANGE),
    "coordination:persons": coordination(Action.LIST),
    "coordination:picture": coordination(Action.READ),
    "coordination:lead": coordination(Action.CHANGE),
    "coordination:ask": coordination(Action.CREATE),
    "coordination:relation_new": coordination(Action.CHANGE),
    "coordination:relation_end": coordination(Action.CHANGE),
    "coordination:links": coordination(Action.LIST),
    "coordination:link": coordination(Action.READ),
    "coordination:link_reveal": coordination(Action.REVEAL),
    "coordination:network": coordination(Action.LIST),
    # The analist's local picture (lens.picture.urls): aggregates only, never a person.
    "picture:overview": Permission(frozenset({str(Role.ANALIST)})),
    # Its tables as CSV or XLSX, for the same filters (lens.picture.tables).
    "picture:download": Permission(frozenset({str(Role.ANALIST)})),
    # The "lokaal beeld" report as PDF, for the same filters (lens.picture.views.report).
    "picture:report": Permission(frozenset({str(Role.ANALIST)})),
}

# The REST API (URL namespace "api") is declared per operation, not per URL: one URL
# serves several operations with different roles (GET lists, POST registers). Its table
# is lens.api.permissions.API_OPERATIONS (operation id -> Permission, built with
# `person_data` from here), enforced by its OperationPermission and checked against the
# OpenAPI schema by tests/api/test_permissions.py.
API_NAMESPACE = "api"


def permission_for(view_name: str) -> Permission:
    try:
        return ROUTES[view_name]
    except KeyError:
        raise ImproperlyConfigured(
            f"The URL {view_name!r} is not in lens.access.routes.ROUTES: declare who may open it."
        ) from None


def may_open(request, view_name: str) -> bool:
    """Whether `protected` would let this request through to `view_name`: logged in with
    both factors, an active membership, and the entry's `allows`. For a link or a button
    to a protected page on a page that is not (the check's outcome offers a new
    registration). A visitor without a session is refused before the session is read."""
    if getattr(request, "membership", None) is None:  # set by MembershipMiddleware
        return False
    if not is_verified(request.user):
        return False
    return permission_for(view_name).allows(actor_from_request(request))


def protected(view):
    """Enforce the view's entry in ROUTES, after lens.accounts' `membership_required`
    (anonymous or without the second factor -> the login page; no active membership ->
    choosing one): a role not in the entry -> 403."""

    @wraps(view)
    def check_role(request, *args, **kwargs):
        permission = permission_for(request.resolver_match.view_name)
        if not permission.allows(actor_from_request(request)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped = membership_required(check_role)
    wrapped.permission_protected = True  # the route tests check that every view has it
    return wrapped
