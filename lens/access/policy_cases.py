"""The access policy for meldcode cases (issue 13; lens.access.policy explains the
answers): a case belongs to one organisation, and only that organisation's
professionals and aandachtsfunctionarissen see it. Of them, the case's handler and the
aandachtsfunctionaris take its steps and hand it over (`may_work_on`); the other
professionals of the organisation may read it (a 403 for the step and hand-over
forms): one person answers for the case's next action, and the officer can always step
in, for example for a handler who left or is away. The case report with the identity
is theirs too (`may_reveal_case`: need to know; a colleague reads the pseudonymous
report). Another
organisation's case is a 404, like an unknown one (no existence leak); a role that
never handles person data gets 403 before any case is looked up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from lens.access import log
from lens.access.models import Action
from lens.access.policy_persons import may
from lens.data.cases import Case
from lens.data.registry import Role

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from lens.access.actor import Actor

OBJECT_TYPE = "case"


def cases_for(actor: Actor) -> QuerySet[Case]:
    """The cases of the actor's organisation (none for a role without person data).
    Never logs: a page logs what it shows (`log_cases`)."""
    if not may(actor, Action.LIST):
        return Case.objects.none()
    return Case.objects.filter(organisation_id=actor.organisation_id)


def find_case_for(actor: Actor, case_id: int, *, action: Action | str = Action.CHANGE) -> Case:
    """The case, with its person, if it is the actor's organisation's; no log entry (for
    the actions, which log their write). 403: the role may never `action`; 404: another
    organisation's case or none at all (the same answer)."""
    if not may(actor, action):
        raise PermissionDenied
    found = (
        Case.objects.filter(pk=case_id, organisation_id=actor.organisation_id)
        .select_related("person", "person__organisation")
        .first()
    )
    # The person must be the organisation's own too (an action never makes it otherwise).
    if found is None or found.person.organisation_id != actor.organisation_id:
        raise Http404
    return found


def log_cases(actor: Actor, cases: Iterable[Case], *, purpose: str) -> None:
    """A LIST entry for each case a page is about to show, in one bulk write; 403 for a
    role without person data, 404 if one is not the actor's organisation's."""
    if not may(actor, Action.LIST):
        raise PermissionDenied
    shown = list(cases)
    if any(case.organisation_id != actor.organisation_id for case in shown):
        raise Http404
    with transaction.atomic(savepoint=False):
        reads = [(case.person, OBJECT_TYPE, case.pk) for case in shown]
        log.write_many(actor, Action.LIST, reads, purpose=purpose)


def may_work_on(actor: Actor, case: Case) -> bool:
    """Whether the actor may take the case's steps and hand it over: its handler, or the
    organisation's aandachtsfunctionaris (the case is the actor's organisation's)."""
    return str(actor.role) == Role.AANDACHTSFUNCTIONARIS or (
        case.assigned_to_id is not None and case.assigned_to_id == actor.author().pk
    )


class NotTheHandler(PermissionDenied):
    """403: the case is the actor's organisation's (they may read it), but only its
    handler or the aandachtsfunctionaris may do this; `case` says which (for the page
    that says so and links back to it)."""

    def __init__(self, case: Case) -> None:
        super().__init__("not the case's handler")
        self.case = case


def may_act_for_person(actor: Actor, open_case: Case | None) -> bool:
    """Whether the actor may take a step for the person whose open case (in the own
    organisation) is `open_case`: any handler role when there is none (a case opened for
    it is theirs), else as `may_work_on` (the person page offers the referral only then)."""
    if not may(actor, Action.CHANGE):
        return False
    return open_case is None or may_work_on(actor, open_case)


def may_reveal_case(actor: Actor, case: Case) -> bool:
    """Whether the actor may open the case report with the identity: a role that may
    reveal, and need to know: the case's handler or the aandachtsfunctionaris
    (`may_work_on`). A colleague who only reads the case gets the pseudonymous report.
    The organisation's API client acts for its handlers (Actor.role): its dossier system
    files the report of whichever handler's case, the purpose logged with the reveal."""
    return may(actor, Action.REVEAL) and (actor.api_client is not None or may_work_on(actor, case))


def find_case_to_reveal(actor: Actor, case_id: int) -> Case:
    """As `find_case_for` with REVEAL (the report with the identity), and NotTheHandler
    (403) unless the actor `may_reveal_case`."""
    found = find_case_for(actor, case_id, action=Action.REVEAL)
    if not may_reveal_case(actor, found):
        raise NotTheHandler(found)
    return found


def find_case_to_work_on(actor: Actor, case_id: int) -> Case:
    """As `find_case_for` with Action.CHANGE (take a step, hand over), and NotTheHandler
    (403) unless the actor `may_work_on` it."""
    found = find_case_for(actor, case_id, action=Action.CHANGE)
    if not may_work_on(actor, found):
        raise NotTheHandler(found)
    return found
