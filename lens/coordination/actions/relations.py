"""Relations between two records (family, same address, found together, a suspected
recruiter): recording and ending one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.access import log, policy, purposes
from lens.access.models import Action
from lens.data.coordination import (
    END_NOTE_MAX,
    PersonRelation,
    RelationEndReason,
    RelationKind,
)
from lens.data.registry import Person

from .common import NOTE_MAX, PURPOSE_RELATION, PURPOSE_RELATION_END, said

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from lens.access.actor import Actor

# Relations that read the same both ways; a suspected recruiter has a direction.
SYMMETRIC_KINDS = frozenset(
    {RelationKind.FAMILY, RelationKind.SAME_ADDRESS, RelationKind.FOUND_TOGETHER}
)


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
    note = said("note", note, NOTE_MAX, required=False)
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
        _log_both(actor, relation, PURPOSE_RELATION)
    return relation


def end_relation(
    actor: Actor, relation: PersonRelation, reason: str, note: str = ""
) -> PersonRelation:
    """End a relation, saying why (a RelationEndReason, with a short text; the text is
    required for OTHER); it stays in the history, marked ended with its reason."""
    if reason not in RelationEndReason.values:
        raise ValidationError({"reason": [_("Choose why the relation ends.")]}, code="reason")
    note = said("note", note, END_NOTE_MAX, required=False)
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
        _log_both(actor, relation, PURPOSE_RELATION_END)
    return relation


def lock_pair(a: Person, b: Person) -> None:
    """Lock both records until the transaction ends, in pk order (no deadlock with a
    second request that names them the other way round)."""
    pair = sorted((a.pk, b.pk))
    list(Person.objects.select_for_update().filter(pk__in=pair).order_by("pk").values("pk"))


def _log_both(actor: Actor, relation: PersonRelation, purpose: str) -> None:
    """A change of the relation, logged on each of its two records."""
    log.write_many(
        actor,
        Action.CHANGE,
        [(person, "relation", relation.pk) for person in (relation.person_a, relation.person_b)],
        purpose=purpose,
    )


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
