"""The access policy for the zorgcoördinator's work list (lens.access.policy explains the
answers). A line belongs to a region: another region's line is a 404, like an unknown
one. A line names its record only when the record is in the zorgcoördinator's
need-to-know scope, and a possible match only when the link is one they may see
(lens.access.policy_links); what a page shows of its lines is logged in one bulk write.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from lens.access import log
from lens.access.models import Action
from lens.access.policy_links import LinkAccess, link_access, visible_links
from lens.access.policy_persons import coordinated_persons, may_coordinate
from lens.data.coordination import WorkItem, WorkKind

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from lens.access.actor import Actor


@dataclass(frozen=True)
class WorkLines:
    """What the lines of a page may show: the records named (in scope) and the possible
    matches shown (links the actor may see), by id."""

    named: frozenset[int] = frozenset()
    links: dict[int, LinkAccess] = field(default_factory=dict)


def work_items_for(actor: Actor) -> QuerySet[WorkItem]:
    """The lines of the actor's region (none for a role that coordinates nothing). Never
    logs: a page logs what it shows (`log_work_lines`)."""
    if not may_coordinate(actor, Action.LIST):
        return WorkItem.objects.none()
    return WorkItem.objects.filter(region=actor.region)


def find_work_items_for(
    actor: Actor, item_ids: Iterable[int], *, action: Action | str = Action.CHANGE, lock=False
) -> list[WorkItem]:
    """The lines with these ids, each checked: 403 when the role may not do `action`,
    404 when one of them is another region's line or none at all (nothing is returned
    then). `lock` selects them for update (inside the caller's transaction). No log
    entry: marking a line handled reads no person data."""
    if not may_coordinate(actor, action):
        raise PermissionDenied
    wanted = set(item_ids)
    if any(not 0 < pk < 2**63 for pk in wanted):
        raise Http404  # no such line (and a database refuses such a number)
    found = WorkItem.objects.filter(region=actor.region, pk__in=wanted).order_by("pk")
    if lock:
        found = found.select_for_update()
    items = list(found)
    if len(items) != len(wanted):
        raise Http404
    return items


def log_work_lines(actor: Actor, items: list[WorkItem], *, purpose: str) -> WorkLines:
    """Decide what each line may show and record a LIST entry for it, in one bulk write:
    the records in the actor's scope (by pseudonym) and, of a possible match the actor
    may see, its records in the actor's region. 403 for a role that coordinates nothing;
    404 if a line is another region's. The lines' `person` and `link` (with their
    records and organisations) should be selected with them."""
    if not may_coordinate(actor, Action.LIST):
        raise PermissionDenied
    if any(item.region != actor.region for item in items):
        raise Http404
    with transaction.atomic(savepoint=False):
        pks = {item.person_id for item in items}
        named = frozenset(
            coordinated_persons(actor).filter(pk__in=pks).values_list("pk", flat=True)
        )
        candidates = {
            item.link_id: item.link
            for item in items
            if item.kind == WorkKind.CANDIDATE and item.link_id is not None
        }
        visible = set(
            visible_links(actor).filter(pk__in=list(candidates)).values_list("pk", flat=True)
        )
        links = {pk: link_access(actor, link) for pk, link in candidates.items() if pk in visible}
        persons = {item.person_id: item.person for item in items if item.person_id in named}
        reads = [(persons[pk], "person", "") for pk in sorted(persons)]
        reads += [(p, "link", pk) for pk, access in sorted(links.items()) for p in access.own]
        log.write_many(actor, Action.LIST, reads, purpose=purpose)
    return WorkLines(named=named, links=links)
