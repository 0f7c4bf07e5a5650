"""Across organisations: links between persons, the zorgcoördinator's work list, the
lead organisation, referrals, information requests, relations and combined outcomes.

A person (lens.data.registry.Person) is always one organisation's record. Two records
of the same human being at two organisations are joined by a PersonLink; the records
joined by active links form a cluster ("the person" across organisations). Links are
pairs, not merged records, so undoing a fuzzy link is removing one edge.

History is append-only where it is a decision (LinkDecision, LeadAssignment, Referral);
PersonLink.state is the current state, written in the same transaction as the
decision that set it. Writes go through lens.coordination.actions; reads of person data
through lens.access.policy.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from lens.data.registry import Organisation, Person


class LinkBasis(models.TextChoices):
    BSN = "bsn", _("Same BSN")
    NAME = "name", _("Same names and birth date")
    FUZZY = "fuzzy", _("Similar names or birth date")


class LinkState(models.TextChoices):
    LINKED = "linked", _("Linked")  # exact match, or a candidate confirmed
    CANDIDATE = "candidate", _("Possible match")  # waits for the zorgcoördinator
    REJECTED = "rejected", _("Not the same person")


class PersonLink(models.Model):
    """Two records (of two organisations) that are, or may be, the same person.

    person_a has the lower primary key, so a pair is stored once.
    """

    person_a = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="links_as_a")
    person_b = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="links_as_b")
    basis = models.CharField(max_length=16, choices=LinkBasis.choices)
    state = models.CharField(max_length=16, choices=LinkState.choices, db_index=True)
    score = models.FloatField(null=True, blank=True)  # fuzzy only
    reasons = models.JSONField(default=list, blank=True)  # similarity reason codes
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "coordination"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="link_pair_unique"),
            models.CheckConstraint(
                name="link_ordered_pair", condition=Q(person_a__lt=models.F("person_b"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id}~{self.person_b_id} ({self.state})"

    @property
    def pair_pks(self) -> tuple[int, int]:
        return (self.person_a_id, self.person_b_id)


class LinkDecisionKind(models.TextChoices):
    CONFIRM = "confirm", _("Confirmed as the same person")
    REJECT = "reject", _("Rejected: not the same person")
    REOPEN = "reopen", _("Reopened for a new decision")


class LinkDecision(models.Model):
    """A zorgcoördinator's decision on a link; the newest one sets PersonLink.state."""

    link = models.ForeignKey(PersonLink, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=16, choices=LinkDecisionKind.choices)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "coordination"
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.link_id}: {self.decision}"


class WorkKind(models.TextChoices):
    NEW_LINK = "new_link", _("Also known at another organisation")
    CANDIDATE = "candidate", _("Possible match to review")
    REFERRAL = "referral", _("Referred by an organisation")
    ANSWER = "answer", _("Information request answered")
    THRESHOLD = "threshold", _("Combined level reached 2 or higher")


class WorkItem(models.Model):
    """One line of a region's zorgcoördinator work list."""

    region = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(max_length=16, choices=WorkKind.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    link = models.ForeignKey(
        PersonLink, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        app_label = "coordination"
        ordering = ["done_at", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region}: {self.kind} {self.person_id}"


class LeadAssignment(models.Model):
    """The zorgcoördinator names the organisation that has the lead (regie): the newest
    assignment whose record is in the cluster counts."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="lead_assignments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "coordination"
        ordering = ["-assigned_at", "-id"]

    def __str__(self) -> str:
        return f"lead {self.person_id}"


class Referral(models.Model):
    """An organisation asks the zorgcoördinator to look at a person (any level)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    reason = models.TextField(_("reason"))
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "coordination"
        ordering = ["-referred_at", "-id"]

    def __str__(self) -> str:
        return f"referral {self.person_id}"


class InformationRequest(models.Model):
    """The zorgcoördinator asks an involved organisation about its record of a person;
    that organisation's aandachtsfunctionaris answers in the application."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="information_requests"
    )
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "coordination"
        ordering = ["answered_at", "-asked_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="request_answer_complete",
                condition=Q(answered_at__isnull=True, answered_by__isnull=True, answer="")
                | Q(answered_at__isnull=False, answered_by__isnull=False) & ~Q(answer=""),
            ),
        ]

    def __str__(self) -> str:
        return f"request {self.pk} about {self.person_id}"


class RelationKind(models.TextChoices):
    FAMILY = "family", _("Family member")
    SAME_ADDRESS = "same_address", _("Same address")
    FOUND_TOGETHER = "found_together", _("Found together")
    SUSPECTED_RECRUITER = "suspected_recruiter", _("Suspected recruiter of")


class RelationEndReason(models.TextChoices):
    """Why a relation was ended (lens.coordination.actions.end_relation)."""

    RECORDED_IN_ERROR = "recorded_in_error", _("Recorded in error")
    NO_LONGER_THE_CASE = "no_longer_the_case", _("No longer the case")
    OTHER = "other", _("Another reason")


END_NOTE_MAX = 200  # the short text with an end reason


class PersonRelation(models.Model):
    """A relation between two person records, as someone recorded it. For a suspected
    recruiter, person_a is the suspected recruiter and person_b the young person."""

    person_a = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relations_as_a")
    person_b = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relations_as_b")
    kind = models.CharField(_("relation"), max_length=32, choices=RelationKind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Why it was ended: a reason from the list, with a short text (required for OTHER).
    end_reason = models.CharField(
        _("reason for ending"), max_length=32, choices=RelationEndReason.choices, blank=True
    )
    end_note = models.CharField(_("explanation"), max_length=END_NOTE_MAX, blank=True)

    class Meta:
        app_label = "coordination"
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="relation_two_persons", condition=~Q(person_a=models.F("person_b"))
            ),
            # An ended relation says why; a current one has no reason.
            models.CheckConstraint(
                name="relation_end_has_a_reason",
                condition=Q(ended_at__isnull=True, end_reason="", end_note="")
                | Q(ended_at__isnull=False) & ~Q(end_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} {self.kind} {self.person_b_id}"


class ClusterMember(models.Model):
    """The stored cluster of a record that is linked to at least one other: `cluster_id`
    is the smallest pk of the records joined to it by active links. A record without a
    row is linked to nobody: its cluster id is its own pk (`cluster_key`). Kept by
    lens.coordination.clusters.renumber whenever a link joins or parts records, so that
    every read ("ook betrokken", the region scope, the picture) is one indexed lookup
    instead of a walk over the links."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, primary_key=True, related_name="cluster"
    )
    cluster_id = models.BigIntegerField(db_index=True)

    class Meta:
        app_label = "coordination"

    def __str__(self) -> str:
        return f"{self.person_id} in cluster {self.cluster_id}"


def cluster_key(path: str = "") -> Coalesce:
    """The stored cluster id of a record, as an expression: `path` leads from the queried
    model to the Person ("" for a Person queryset, "person__" for a model with a person)."""
    return Coalesce(
        F(f"{path}cluster__cluster_id"), F(f"{path}pk"), output_field=models.BigIntegerField()
    )


def cluster_key_of(pk: int) -> RawSQL:
    """The stored cluster id of the record `pk` (`cluster_key`), as a one-row query to
    pass to `in_clusters` (written out: building it with the ORM cost more than running
    it)."""
    member = ClusterMember._meta.db_table
    return RawSQL(
        f"SELECT COALESCE((SELECT cluster_id FROM {member} WHERE person_id = %s), %s)",
        (int(pk), int(pk)),
    )


def in_clusters(keys: models.QuerySet | RawSQL | Iterable[int]) -> RawSQL:
    """The pks of the records whose stored cluster id (`cluster_key`) is one of `keys`
    (ids, a queryset of one column or `cluster_key_of`), to use in `pk__in=`: the same records as
    `annotate(k=cluster_key()).filter(k__in=keys)`, found through the indexes (the
    members' ClusterMember rows by cluster id, and the unlinked records by pk) instead of
    computing the key of every record."""
    if isinstance(keys, models.QuerySet):
        key_sql, key_params = keys.order_by().query.sql_with_params()
    elif isinstance(keys, RawSQL):
        key_sql, key_params = keys.sql, tuple(keys.params)
    else:
        given = sorted({int(k) for k in keys}) or [0]  # 0: no record has it
        key_sql, key_params = ", ".join(["%s"] * len(given)), tuple(given)
    member, person = ClusterMember._meta.db_table, Person._meta.db_table
    sql = (
        f"SELECT m.person_id FROM {member} m WHERE m.cluster_id IN ({key_sql}) "
        f"UNION SELECT p.id FROM {person} p WHERE p.id IN ({key_sql}) "
        f"AND NOT EXISTS (SELECT 1 FROM {member} x WHERE x.person_id = p.id)"
    )
    return RawSQL(sql, (*key_params, *key_params))


class CombinedOutcomeQuerySet(models.QuerySet):
    def latest_for(self, cluster_id: int, region: str) -> CombinedOutcome | None:
        """The stored combined outcome of the cluster in the region, or None."""
        return self.filter(cluster_id=cluster_id, region=region).first()

    def latest_value(self, field: str) -> Subquery:
        """`field` of the combined outcome of the outer Person's cluster in its
        organisation's region: for annotating a Person queryset in the same query."""
        key = Coalesce(
            OuterRef("cluster__cluster_id"), OuterRef("pk"), output_field=models.BigIntegerField()
        )
        of = self.filter(cluster_id=key, region=OuterRef("organisation__region"))
        return Subquery(of.values(field)[:1])


class CombinedOutcome(models.Model):
    """The lens engine's outcome over a cluster's records in one region: one row per
    cluster and region, replaced when it is recomputed (lens.coordination.combined), so
    that the zorgcoördinator's list, its need-to-know filter and the picture read the
    same stored level."""

    cluster_id = models.BigIntegerField()  # ClusterMember.cluster_id (or a lone record's pk)
    region = models.CharField(max_length=64)
    members = models.JSONField(default=list)  # person pks the outcome is computed over
    level = models.PositiveSmallIntegerField()
    # lens.rules.report.outcome_to_dict, in Dutch, in older rows only; NULL since issue 14
    # (nothing reads it back: the picture page draws the explanation again).
    outcome = models.JSONField(null=True)
    # Leefgebieden without information, as PersonOutcome.blind_spots: stored by both paths,
    # so that a list reads it without the document (the bulk recompute stores none).
    blind_spots = models.PositiveSmallIntegerField(null=True)
    digest = models.CharField(max_length=32, blank=True, default="")  # as PersonOutcome's
    catalogue_version = models.CharField(max_length=64)
    ruleset_version = models.CharField(max_length=64)
    computed_at = models.DateTimeField()

    objects = CombinedOutcomeQuerySet.as_manager()

    class Meta:
        app_label = "coordination"
        ordering = ["-computed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_id", "region"], name="combinedoutcome_one_per_cluster"
            ),
        ]

    def __str__(self) -> str:
        return f"cluster {self.cluster_id} in {self.region}: combined level {self.level}"
