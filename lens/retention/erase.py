"""Deleting a person's record with everything it holds, leaving tombstones.

One function for both reasons a record goes: its retention period ended (lens.retention
.run) or the person asked for erasure (AVG art. 17, `lens retention erase`). Every model
that points at a person is named in `person_data` (tests/retention fail when a new one is
not), deleted in an order the PROTECT foreign keys allow, with one tombstone per record
and one access-log entry per person, in the caller's transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.access import log
from lens.access.actor import Actor
from lens.access.models import AccessLogEntry, Action
from lens.accounts import audit
from lens.accounts.models import AuditKind
from lens.catalogue import services
from lens.coordination import clusters, combined
from lens.data import aggregates, pseudonyms
from lens.data.cases import Case, CaseReferral, Consultation, HandOver, Step
from lens.data.coordination import (
    CombinedOutcome,
    InformationRequest,
    LeadAssignment,
    LinkDecision,
    PersonLink,
    PersonRelation,
    Referral,
    WorkItem,
)
from lens.data.registry import InformedNotice, Person, PersonOutcome, Registration, Withdrawal
from lens.retention import journal, rules
from lens.retention.models import Tombstone


@dataclass(frozen=True)
class SystemActor(Actor):
    """The application itself, as the access log's "who" for a deletion by rule."""

    name: str = "retention"

    @property
    def username(self) -> str:
        return f"lens:{self.name}"


def person_data(person_ids: Iterable[int]) -> dict[str, QuerySet]:
    """{kind: the records of that kind that go with these persons}, in an order in which
    they can be deleted (what points at a record goes before it)."""
    ids = list(person_ids)
    links = PersonLink.objects.filter(Q(person_a_id__in=ids) | Q(person_b_id__in=ids))
    return {
        "case_referral": CaseReferral.objects.filter(case__person_id__in=ids),
        "case_consultation": Consultation.objects.filter(step__case__person_id__in=ids),
        "case_step": Step.objects.filter(case__person_id__in=ids),
        "case_hand_over": HandOver.objects.filter(case__person_id__in=ids),
        "case": Case.objects.filter(person_id__in=ids),
        "work_item": WorkItem.objects.filter(Q(person_id__in=ids) | Q(link__in=links)),
        "link_decision": LinkDecision.objects.filter(link__in=links),
        "link": links,
        "lead_assignment": LeadAssignment.objects.filter(person_id__in=ids),
        "referral": Referral.objects.filter(person_id__in=ids),
        "information_request": InformationRequest.objects.filter(person_id__in=ids),
        "relation": PersonRelation.objects.filter(Q(person_a_id__in=ids) | Q(person_b_id__in=ids)),
        "combined_outcome": CombinedOutcome.objects.filter(cluster_id__in=ids),
        "outcome": PersonOutcome.objects.filter(person_id__in=ids),
        "informed_notice": InformedNotice.objects.filter(person_id__in=ids),
        "withdrawal": Withdrawal.objects.filter(registration__person_id__in=ids),
        "registration": Registration.objects.filter(person_id__in=ids),
        "person": Person.objects.filter(pk__in=ids),
    }


def count(person_ids: Iterable[int]) -> Counter:
    """What deleting these persons would delete, per kind (nothing is changed)."""
    return Counter({kind: n for kind, qs in person_data(person_ids).items() if (n := qs.count())})


def delete_persons(
    persons: list[Person], rule: str, actor: Actor | None = None, purpose: str = ""
) -> Counter:
    """Delete the persons and all they hold; call inside `transaction.atomic()`.

    Writes one access-log entry per person first (the entry keeps the pseudonym as text,
    so "wie heeft dit ingezien" still answers for it), then one tombstone per record. The
    records linked to them at other organisations stay; their clusters and combined
    outcomes are worked out again without the deleted ones."""
    if not persons:
        return Counter()
    ids = [p.pk for p in persons]
    log.write_many(
        actor or SystemActor(user=None, membership=None),
        Action.DELETE,
        [(p, "person", p.pk) for p in persons],
        purpose=purpose or f"retention: {rule}",
    )
    partners = _partners(ids)
    deleted: Counter = Counter()
    now = timezone.now()
    for kind, qs in person_data(ids).items():
        record_ids = list(qs.values_list("pk", flat=True))
        if not record_ids:
            continue
        journal.record(
            [Tombstone(kind=kind, record_id=pk, rule=rule, deleted_at=now) for pk in record_ids]
        )
        rows = qs.model.objects.filter(pk__in=record_ids)
        if kind == "registration":
            rows.update(supersedes=None)  # the versions of one record point at each other
        rows.delete()  # also append-only steps: retention is the one way they go
        deleted[kind] = len(record_ids)
    _recluster(partners)
    if services.is_loaded():
        # The local picture no longer counts them; its closed periods stay as published.
        aggregates.changed([*ids, *partners])
    return deleted


def _partners(ids: list[int]) -> set[int]:
    """The records at other organisations that a link joins to these."""
    pairs = PersonLink.objects.filter(Q(person_a_id__in=ids) | Q(person_b_id__in=ids)).values_list(
        "person_a_id", "person_b_id"
    )
    return {pk for pair in pairs for pk in pair} - set(ids)


def _recluster(partners: set[int]) -> None:
    """The clusters of the partners without the deleted records, and their combined
    outcomes computed again (when a catalogue is active: without one there are none)."""
    if not partners:
        return
    components = clusters.renumber(partners)
    if not services.is_loaded():
        return
    for component in components:
        combined.refresh(Person.objects.select_related("organisation").get(pk=component[0]))


# --- a person's request for erasure (AVG art. 17) ------------------------------------------


class ErasureRefused(Exception):
    """Why an erasure was not done, in the operator's language; `code` is the command's
    exit status (2: bad input, 1: no such record)."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def erasure_purpose(reason: str) -> str:
    """The access log's purpose of an erasure on request: the rule and the reason (a
    reference is enough), which must be given and fit the log's purpose column."""
    reason = reason.strip()
    if not reason:
        raise ErasureRefused(_("Say why: --reason may not be empty."), 2)
    purpose = f"{rules.ERASURE_REQUEST}: {reason}"
    longest = AccessLogEntry._meta.get_field("purpose").max_length
    if len(purpose) > longest:
        raise ErasureRefused(
            _("--reason is too long: at most %(n)d characters, a reference is enough.")
            % {"n": longest - len(purpose) + len(reason)},
            2,
        )
    return purpose


def erase_on_request(pseudonym: str, reason: str, operator: audit.Operator) -> tuple[str, int]:
    """Erase the record `pseudonym` (as typed over: pseudonyms.typed) on the person's
    request, with an access-log entry that says why and an audit record that says who, in
    one transaction. Returns the pseudonym and the number of records deleted;
    ErasureRefused for a missing or too long reason or an unknown pseudonym."""
    purpose = erasure_purpose(reason)
    pseudonym = pseudonyms.typed(pseudonym)
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pseudonym=pseudonym).first()
        if person is None:
            raise ErasureRefused(_("No person record %(pseudonym)r.") % {"pseudonym": pseudonym}, 1)
        person_id = person.pk  # kept: the deletion may clear it
        counts = delete_persons(
            [person],
            rules.ERASURE_REQUEST,
            SystemActor(user=None, membership=None, name="erasure"),
            purpose=purpose,
        )
        total = sum(counts.values())
        # Who erased it: the access log names the deletion, the audit the operator.
        # No reason here (it may say more than a reference): the access log has it.
        audit.record(
            operator,
            AuditKind.PERSON_ERASED,
            "person",
            person_id,
            f"{rules.ERASURE_REQUEST}: {total} records",
        )
    return pseudonym, total
