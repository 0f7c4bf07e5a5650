"""Every write across organisations, each in one transaction with its access-log record.

As lens.registry.actions: the access policy is checked again inside each function,
input is validated with Dutch messages (ValidationError per field), and if any part
fails nothing is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.access import log, policy, purposes
from lens.access.crypto import Identity
from lens.access.models import Action
from lens.coordination import clusters, combined, matching, notify
from lens.data import aggregates
from lens.data.coordination import (
    END_NOTE_MAX,
    InformationRequest,
    LeadAssignment,
    LinkDecision,
    LinkDecisionKind,
    LinkState,
    PersonLink,
    PersonRelation,
    Referral,
    RelationEndReason,
    RelationKind,
    WorkItem,
)
from lens.data.registry import Organisation, Person

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from lens.access.actor import Actor

TEXT_MAX = 2000
NOTE_MAX = 500
# Purposes the actions write to the access log (Dutch: the log is read in Dutch).
PURPOSE_DECISION = "besluit over mogelijke koppeling"
PURPOSE_LEAD = "regie toewijzen"
PURPOSE_REFERRAL = "doorverwijzing naar de zorgcoördinator"
PURPOSE_REQUEST = "informatieverzoek aan een betrokken organisatie"
PURPOSE_ANSWER = "informatieverzoek beantwoorden"
PURPOSE_RELATION = "relatie tussen personen vastleggen"
PURPOSE_RELATION_END = "relatie tussen personen beëindigen"
PURPOSE_REVEAL_PAIR = "identiteiten vergelijken voor een mogelijke koppeling"

# The state a decision leaves a link in.
_STATE_AFTER = {
    LinkDecisionKind.CONFIRM: LinkState.LINKED,
    LinkDecisionKind.REJECT: LinkState.REJECTED,
    LinkDecisionKind.REOPEN: LinkState.CANDIDATE,
}


# --- on registering a new person (called by lens.registry.actions) ------------------------


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


# --- links ---------------------------------------------------------------------------------


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
    note = _text("note", note, NOTE_MAX, required=False)
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
        for person in (link.person_a, link.person_b):
            log.record(
                actor,
                Action.CHANGE,
                person=person,
                object_type="link",
                object_id=link.pk,
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


# --- the lead ------------------------------------------------------------------------------


def assign_lead(actor: Actor, person: Person, organisation: Organisation) -> LeadAssignment:
    """Name one involved organisation (one with a record in the cluster, in the actor's
    region) as the lead. Closes the open work-list lines of the person's records in the
    region that ask who takes the person up (notify.close_for_lead)."""
    with transaction.atomic():
        policy.check_coordination(actor, person, Action.CHANGE)
        members = clusters.cluster_of(person, region=actor.region)
        record = next((m for m in members if m.organisation_id == organisation.pk), None)
        if record is None:
            raise ValidationError(
                {"organisation": [_("Choose one of the organisations involved.")]}
            )
        assignment = LeadAssignment.objects.create(person=record, assigned_by=actor.author())
        notify.close_for_lead(members, actor.region, assignment.assigned_by, assignment.assigned_at)
        log.record(
            actor,
            Action.CHANGE,
            person=record,
            object_type="lead",
            object_id=assignment.pk,
            purpose=PURPOSE_LEAD,
        )
    return assignment


# --- referral and information requests -------------------------------------------------------


def refer(actor: Actor, person: Person, reason: str) -> Referral:
    """An organisation refers its record of a person to the region's zorgcoördinator."""
    reason = _text("reason", reason, TEXT_MAX, required=True)
    with transaction.atomic():
        policy.check(actor, person, Action.CHANGE)
        referral = Referral.objects.create(person=person, reason=reason, referred_by=actor.author())
        log.record(
            actor,
            Action.CHANGE,
            person=person,
            object_type="referral",
            object_id=referral.pk,
            purpose=PURPOSE_REFERRAL,
        )
        notify.referral(referral)
    return referral


def ask_information(
    actor: Actor, person: Person, organisation: Organisation, question: str
) -> InformationRequest:
    """The zorgcoördinator asks an involved organisation about its record of the person."""
    question = _text("question", question, TEXT_MAX, required=True)
    with transaction.atomic():
        policy.check_coordination(actor, person, Action.CREATE)
        members = clusters.cluster_of(person, region=actor.region)
        record = next((m for m in members if m.organisation_id == organisation.pk), None)
        if record is None:
            raise ValidationError(
                {"organisation": [_("Choose one of the organisations involved.")]}
            )
        request = InformationRequest.objects.create(
            person=record, question=question, asked_by=actor.author()
        )
        log.record(
            actor,
            Action.CREATE,
            person=record,
            object_type="information_request",
            object_id=request.pk,
            purpose=PURPOSE_REQUEST,
        )
    return request


def answer_information(
    actor: Actor, request: InformationRequest, answer: str
) -> InformationRequest:
    """The aandachtsfunctionaris of the asked organisation answers (once)."""
    answer = _text("answer", answer, TEXT_MAX, required=True)
    with transaction.atomic():
        # 403 for a role that does not answer, 404 for another organisation's request.
        request = InformationRequest.objects.select_for_update().get(
            pk=policy.find_request_for(actor, request.pk).pk
        )
        if request.answered_at is not None:
            raise ValidationError(_("This request has been answered already."))
        request.answer = answer
        request.answered_by = actor.author()
        request.answered_at = timezone.now()
        request.save(update_fields=["answer", "answered_by", "answered_at"])
        log.record(
            actor,
            Action.CHANGE,
            person=request.person,
            object_type="information_request",
            object_id=request.pk,
            purpose=PURPOSE_ANSWER,
        )
        notify.answered(request)
    return request


# --- relations -----------------------------------------------------------------------------


def record_relation(
    actor: Actor, person_a: Person, person_b: Person, kind: str, note: str = ""
) -> PersonRelation:
    """A relation between two records, both in the actor's scope: of the actor's own
    organisation (professional, aandachtsfunctionaris) or the zorgcoördinator's.

    An identical active relation is refused with a message, not returned as if recorded
    now: the second form (a second tab, a page sent again) may carry a different note,
    and returning the existing relation would drop that note while saying "recorded".
    The message says the relation exists; a wrong one can be ended and recorded anew.
    Identical means the same two records and kind, in either order for the kinds that
    have no direction (SYMMETRIC_KINDS). Both records are locked first (in pk order, as
    lens.coordination.clusters locks them), so two requests at once also give one."""
    note = _text("note", note, NOTE_MAX, required=False)
    errors = {}
    if kind not in RelationKind.values:
        errors["kind"] = [_("Choose the kind of relation.")]
    if person_a.pk == person_b.pk:
        errors["other"] = [_("A person cannot be related to themselves.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _check_relation_scope(actor, person_a, person_b)
        lock_pair(person_a, person_b)
        if _active_relation(person_a, person_b, kind).exists():
            raise ValidationError(
                _("This relation is recorded already. End it first if it should be changed."),
                code="duplicate",
            )
        relation = PersonRelation.objects.create(
            person_a=person_a,
            person_b=person_b,
            kind=kind,
            note=note,
            recorded_by=actor.author(),
            recorded_by_organisation=actor.organisation,
        )
        for person in (person_a, person_b):
            log.record(
                actor,
                Action.CHANGE,
                person=person,
                object_type="relation",
                object_id=relation.pk,
                purpose=PURPOSE_RELATION,
            )
    return relation


def end_relation(
    actor: Actor, relation: PersonRelation, reason: str, note: str = ""
) -> PersonRelation:
    """End a relation, saying why (a RelationEndReason, with a short text; the text is
    required for OTHER); it stays in the history, marked ended with its reason."""
    if reason not in RelationEndReason.values:
        raise ValidationError({"reason": [_("Choose why the relation ends.")]}, code="reason")
    note = _text("note", note, END_NOTE_MAX, required=False)
    if reason == RelationEndReason.OTHER:
        note = purposes.said(
            note,
            field="note",
            limit=END_NOTE_MAX,
            required=_("Say in a few words why the relation ends."),
        )
    with transaction.atomic():
        # 404 unless both records are in the actor's scope; 403 for a role without one.
        relation = PersonRelation.objects.select_for_update().get(
            pk=policy.find_relation_for(actor, relation.pk).pk
        )
        if relation.ended_at is not None:
            raise ValidationError(_("This relation was ended already."))
        relation.ended_at = timezone.now()
        relation.ended_by = actor.author()
        relation.end_reason, relation.end_note = reason, note
        relation.save(update_fields=["ended_at", "ended_by", "end_reason", "end_note"])
        for person in (relation.person_a, relation.person_b):
            log.record(
                actor,
                Action.CHANGE,
                person=person,
                object_type="relation",
                object_id=relation.pk,
                purpose=PURPOSE_RELATION_END,
            )
    return relation


# Relations that read the same both ways; a suspected recruiter has a direction.
SYMMETRIC_KINDS = frozenset(
    {RelationKind.FAMILY, RelationKind.SAME_ADDRESS, RelationKind.FOUND_TOGETHER}
)


def lock_pair(a: Person, b: Person) -> None:
    """Lock both records until the transaction ends, in pk order (no deadlock with a
    second request that names them the other way round)."""
    pair = sorted((a.pk, b.pk))
    list(Person.objects.select_for_update().filter(pk__in=pair).order_by("pk").values("pk"))


def _active_relation(a: Person, b: Person, kind: str) -> QuerySet[PersonRelation]:
    """The active relations identical to (a, b, kind)."""
    same = Q(person_a=a, person_b=b)
    if kind in SYMMETRIC_KINDS:
        same |= Q(person_a=b, person_b=a)
    return PersonRelation.objects.filter(same, kind=kind, ended_at__isnull=True)


def _check_relation_scope(actor: Actor, a: Person, b: Person) -> None:
    if policy.may(actor, Action.CHANGE):
        policy.check(actor, a, Action.CHANGE)
        policy.check(actor, b, Action.CHANGE)
    else:
        policy.check_coordination(actor, a, Action.CHANGE)
        policy.check_coordination(actor, b, Action.CHANGE)


# --- the work list -------------------------------------------------------------------------


def mark_done(actor: Actor, item_ids: list[int]) -> list[WorkItem]:
    """Mark work-list lines handled (the zorgcoördinator of their region), several at
    once: each id is checked through the policy (403 for the role, 404 when one is another
    region's line or unknown: then none is marked). Lines handled already stay as they
    were; the others are marked in one update. Returns the lines marked now."""
    if not item_ids:
        raise ValidationError({"items": [_("Choose at least one line.")]})
    with transaction.atomic():
        items = policy.find_work_items_for(actor, item_ids, action=Action.CHANGE, lock=True)
        now, by = timezone.now(), actor.author()
        marked = [item for item in items if item.done_at is None]
        for item in marked:
            item.done_at, item.done_by = now, by
        WorkItem.objects.bulk_update(marked, ["done_at", "done_by"])
    return marked


# --- helpers -------------------------------------------------------------------------------


def _text(field: str, value: str, limit: int, *, required: bool) -> str:
    """A text the user gives, through the one rule for what a text says (lens.access.purposes)."""
    return purposes.said(
        value,
        field=field,
        limit=limit,
        required=_("This field is required.") if required else None,
        letters=2,  # an answer may be "Ja"
    )
