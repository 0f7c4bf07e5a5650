"""Links between records of one person: what registering a new record links and
proposes, the zorgcoördinator's decisions on a link, and opening a pair's identities to
judge it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lens.access import log, policy, purposes
from lens.access.crypto import Identity
from lens.access.models import Action
from lens.coordination import clusters, combined, matching, notify
from lens.data import aggregates
from lens.data.coordination import LinkDecision, LinkDecisionKind, LinkState, PersonLink

from .common import NOTE_MAX, PURPOSE_DECISION, said

if TYPE_CHECKING:
    from lens.access.actor import Actor
    from lens.data.registry import Person

# The state a decision leaves a link in.
_STATE_AFTER = {
    LinkDecisionKind.CONFIRM: LinkState.LINKED,
    LinkDecisionKind.REJECT: LinkState.REJECTED,
    LinkDecisionKind.REOPEN: LinkState.CANDIDATE,
}


def after_new_person(person: Person, identity: Identity) -> matching.NewLinks:
    """Link the new record, propose candidates, refresh the combined outcome and put what
    is new on the zorgcoördinator's work list. Inside the registration's transaction."""
    found = matching.on_new_person(person, identity)
    if found.linked:
        linked = [person.pk, *(pk for link in found.linked for pk in link.pair_pks)]
        clusters.renumber(linked)
        combined.refresh(person)
        aggregates.changed(linked)  # the local picture counts the cluster once now
        for link in found.linked:
            notify.new_link(link)
    for link in found.candidates:
        notify.candidate(link)
    return found


def decisions_allowed(link: PersonLink) -> tuple[LinkDecisionKind, ...]:
    """The decisions the link's state allows, explicitly: a possible match is confirmed or
    rejected; a decided link (confirmed or rejected by a person) changes only through a
    reopen, so no decision is overturned in one step. A link made automatically (linked,
    never decided) may also be rejected directly: the same names and birth date can be
    two people."""
    if link.state == LinkState.CANDIDATE:
        return (LinkDecisionKind.CONFIRM, LinkDecisionKind.REJECT)
    if link.state == LinkState.LINKED and not link.decisions.exists():
        return (LinkDecisionKind.REJECT, LinkDecisionKind.REOPEN)
    return (LinkDecisionKind.REOPEN,)


def decide_link(
    actor: Actor,
    link: PersonLink,
    decision: str,
    note: str = "",
    *,
    shown: str | None = None,
) -> LinkDecision:
    """Confirm, reject or reopen a link (the zorgcoördinator). Every decision is kept; the
    newest sets the link's state. Which decision the state allows: `decisions_allowed`.
    Confirming or rejecting closes the open work-list lines about the link
    (notify.close_for_link); reopening puts the link back on the work list as a possible
    match to decide (notify.reopened).

    `shown` is the state the deciding page showed (the form carries it): when the link
    is in another state by now, someone decided meanwhile and nothing is decided. The
    link's row is locked first, so of decisions sent at the same time one goes through
    and the others find the state changed."""
    note = said("note", note, NOTE_MAX, required=False)
    try:
        kind = LinkDecisionKind(decision)
    except ValueError:
        raise ValidationError({"decision": [_("Choose a decision.")]}) from None
    with transaction.atomic():
        # 404 for a link the actor may not see, 403 when another region decides it.
        link = PersonLink.objects.select_for_update().get(
            pk=policy.find_link_for(actor, link.pk, action=Action.CHANGE).link.pk
        )
        if shown is not None and link.state != shown:
            raise ValidationError(
                _(
                    "This link was changed meanwhile; it is now: %(state)s. Nothing has "
                    "been decided: look at the link again and decide again."
                )
                % {"state": LinkState(link.state).label}
            )
        new_state = _STATE_AFTER[kind]
        if link.state == new_state:
            raise ValidationError({"decision": [_("The link is in this state already.")]})
        if kind not in decisions_allowed(link):
            raise ValidationError(
                {"decision": [_("This link has been decided: reopen it first to decide again.")]}
            )
        made = LinkDecision.objects.create(
            link=link, decision=kind, note=note, decided_by=actor.author()
        )
        link.state = new_state
        link.save(update_fields=["state"])
        if kind == LinkDecisionKind.REOPEN:  # a decision is asked for again: a work line
            notify.reopened(link)
        else:
            notify.close_for_link(link, made.decided_by, made.decided_at)
        log.write_many(
            actor,
            Action.CHANGE,
            [(person, "link", link.pk) for person in (link.person_a, link.person_b)],
            purpose=f"{PURPOSE_DECISION}: {kind.value}",
        )
        clusters.renumber(link.pair_pks)
        combined.refresh(link.person_a)
        if kind != LinkDecisionKind.CONFIRM:
            combined.refresh(link.person_b)  # the two may be apart again
        aggregates.changed(link.pair_pks)  # the local picture's cells of both clusters
    return made


def reveal_pair(
    actor: Actor, link: PersonLink, purpose: str
) -> tuple[Identity | None, Identity | None]:
    """Open the identities of a link's records for `purpose` (required), to judge whether
    the two records are one person: only those of the actor's own region (None for a
    record of another region); REVEAL is logged on each record opened, first."""
    purpose = purposes.given(purpose, required=_("Say why you need to see the identities."))
    with transaction.atomic():
        access = policy.find_link_for(actor, link.pk, action=Action.REVEAL)
        for person in access.own:
            log.record(actor, Action.REVEAL, person=person, object_type="identity", purpose=purpose)
        a, b = access.link.person_a, access.link.person_b
        return (
            matching.open_person(a) if access.shows(a) else None,
            matching.open_person(b) if access.shows(b) else None,
        )
