"""One policy for every read: find through the policy, build, log, in one transaction.

Every read of person data that a page or the API serves goes through `read_logged`:

1. `find` asks the policy for the object (403 for the role, 404 outside the scope; the
   `find_..._for` helpers of the policy_* modules);
2. `build` reads what is served of it (a selector's read model: the person overview, a
   case page, a combined picture), inside the same transaction;
3. the access-log entries of what was read are written, still in that transaction.

If the log write fails, the transaction rolls back and the exception propagates: nothing
that was read is returned, so nothing is served that the log does not record. The log is
written last so that its chain lock (lens.access.log) is held only from the write to the
commit, not while the page's data are read.

The `log_...` helpers of the lists check the scope first, then write in a transaction
without a savepoint (`atomic(savepoint=False)`): inside `read_shown` that costs no query,
and a failed write fails the whole read. `read_logged` keeps its savepoint, so that a 404
raised inside a caller's transaction leaves that transaction usable.

The `get_..._for` helpers (re-exported by lens.access.policy) are `read_logged` for one
object kind each; given no `build`, they return the object itself. `read_shown` is the
same for a list page: the rows of one page, their log entries in one bulk write, and what
is built of them. No view writes an access-log entry or opens the transaction itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction

from lens.access import log, scopes
from lens.access.models import Action
from lens.access.policy_cases import OBJECT_TYPE as CASE
from lens.access.policy_cases import find_case_for, find_case_to_work_on
from lens.access.policy_links import LinkAccess, find_link_for
from lens.access.policy_persons import find_coordinated, find_person, find_person_by_id
from lens.access.policy_relations import RelationSeen, find_relation_for
from lens.access.policy_requests import OBJECT_TYPE as REQUEST
from lens.access.policy_requests import find_request_for

if TYPE_CHECKING:
    from lens.access.actor import Actor
    from lens.data.cases import Case
    from lens.data.coordination import InformationRequest, PersonRelation
    from lens.data.registry import Person

# One access-log read: the person, the kind of object read of them, its id.
Read = tuple["Person | None", str, "str | int"]


def read_logged[Found, Built](
    actor: Actor,
    find: Callable[[], Found],
    reads: Callable[[Found], Iterable[Read]],
    *,
    purpose: str,
    action: Action | str = Action.READ,
    build: Callable[[Found], Built] | None = None,
    shown: Callable[[Built], Iterable[Read]] | None = None,
) -> Found | Built:
    """`find()` (the policy's check), `build(found)` (what is served; `found` itself when
    no `build` is given) and the log entries `reads(found)` for `purpose`, in one
    transaction. `shown(built)` adds the reads of what `build` shows besides (the other
    records a page names, such as the other ends of its relations), in the same bulk
    write. Raises what `find` raises (403, 404) before anything is read, and what the log
    write raises after: then the transaction rolls back and nothing is returned."""
    with transaction.atomic():
        found = find()
        built = found if build is None else build(found)
        also = [] if shown is None else list(shown(built))
        log.write_many(actor, action, [*reads(found), *also], purpose=purpose)
    return built


def read_shown[Found, Built](
    actor: Actor,
    shown: Callable[[], list[Found]],
    log_shown: Callable[[list[Found]], Any],
    build: Callable[[list[Found], Any], Built],
) -> Built:
    """A list page's read: `shown()` (the rows of one page, from a queryset the policy
    scoped), `build(rows, logged)` (what is served of them) and `log_shown(rows)` (the
    policy's `log_...` for the kind, one bulk write, whose answer `build` gets), in one
    transaction: if the log cannot be written, no row is served."""
    with transaction.atomic():
        rows = shown()
        logged = log_shown(rows)
        return build(rows, logged)


# --- one object kind each --------------------------------------------------------------------


def get_person[Built](
    actor: Actor,
    pseudonym: str,
    *,
    purpose: str,
    action: Action | str = Action.READ,
    build: Callable[[Person], Built] | None = None,
    shown: Callable[[Built], Iterable[Read]] | None = None,
) -> Person | Built:
    """The actor's person behind `pseudonym` (or `build` of it), the read logged for
    `purpose`: 403 when the role may never do `action`, 404 outside the actor's scope.
    `shown` as for `read_logged`: the other records `build` shows, logged with it."""
    return read_logged(
        actor,
        lambda: find_person(actor, pseudonym, action=action),
        _whole,
        purpose=purpose,
        action=action,
        build=build,
        shown=shown,
    )


def get_person_by_id[Built](
    actor: Actor,
    person_id: int,
    *,
    purpose: str,
    action: Action | str = Action.READ,
    build: Callable[[Person], Built] | None = None,
) -> Person | Built:
    """As `get_person`, by id (an API reply replayed from what a write stored)."""
    return read_logged(
        actor,
        lambda: find_person_by_id(actor, person_id, action=action),
        _whole,
        purpose=purpose,
        action=action,
        build=build,
    )


def get_coordinated[Built](
    actor: Actor,
    pseudonym: str,
    *,
    purpose: str,
    action: Action | str = Action.READ,
    build: Callable[[tuple[Person, list[Person]]], Built] | None = None,
) -> tuple[Person, list[Person]] | Built:
    """The record behind `pseudonym` in the zorgcoördinator's scope and the records of
    its cluster in the actor's region (the combined picture), or `build` of the two;
    each record's read logged with `purpose`."""

    def find() -> tuple[Person, list[Person]]:
        person = find_coordinated(actor, pseudonym, action=action)
        return person, scopes.region_scope().cluster_of(person, region=actor.region)

    return read_logged(
        actor,
        find,
        lambda found: _whole(found[1]),
        purpose=purpose,
        action=action,
        build=build,
    )


def get_case_for[Built](
    actor: Actor,
    case_id: int,
    *,
    purpose: str,
    action: Action | str = Action.READ,
    build: Callable[[Case], Built] | None = None,
) -> Case | Built:
    """The actor's organisation's case (or `build` of it), the read logged on its person."""
    return read_logged(
        actor,
        lambda: find_case_for(actor, case_id, action=action),
        _case,
        purpose=purpose,
        action=action,
        build=build,
    )


def get_case_to_work_on[Built](
    actor: Actor,
    case_id: int,
    *,
    purpose: str,
    build: Callable[[Case], Built] | None = None,
) -> Case | Built:
    """As `find_case_to_work_on` (the step and hand-over forms), the read logged; a
    colleague who may only read gets 403 and no entry: nothing was shown."""
    return read_logged(
        actor, lambda: find_case_to_work_on(actor, case_id), _case, purpose=purpose, build=build
    )


def get_link_for(
    actor: Actor, link_id: int, *, purpose: str, action: Action | str = Action.READ
) -> LinkAccess:
    """A link the actor may see; its read logged on its records in the actor's region
    (the only ones shown)."""
    return read_logged(
        actor,
        lambda: find_link_for(actor, link_id, action=action),
        lambda access: [(person, "link", access.link.pk) for person in access.own],
        purpose=purpose,
        action=action,
    )


def get_relation_for(
    actor: Actor, relation_id: int, *, purpose: str, person: Person | None = None
) -> PersonRelation:
    """A relation as `find_relation_for` finds it (for ending it), its read logged on
    both its records, in one bulk write."""
    return read_logged(
        actor,
        lambda: find_relation_for(actor, relation_id, person=person),
        lambda relation: [(p, "relation", relation.pk) for p in relation_ends(relation)],
        purpose=purpose,
    )


def get_request_for(actor: Actor, request_id: int, *, purpose: str) -> InformationRequest:
    """An information request to the actor's organisation, the read of its record logged."""
    return read_logged(
        actor,
        lambda: find_request_for(actor, request_id),
        lambda asked: [(asked.person, REQUEST, asked.pk)],
        purpose=purpose,
    )


def _whole(persons: Person | list[Person]) -> list[Read]:
    """The reads of persons as a whole."""
    if not isinstance(persons, list):
        persons = [persons]
    return [(person, "person", "") for person in persons]


def relations_shown(seen: Iterable[RelationSeen]) -> list[Read]:
    """The reads of the other ends of relations a page names (`policy.relations_of`: an
    other end is named only when it is an own record): one per record and relation."""
    return [(s.other, "relation", s.relation.pk) for s in seen if s.other is not None]


def relation_ends(relation: PersonRelation) -> tuple[Person, Person]:
    return relation.person_a, relation.person_b


def _case(case: Case) -> list[Read]:
    return [(case.person, CASE, case.pk)]
