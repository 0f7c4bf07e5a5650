"""Casework models (issue 13, docs/design/casework.md): a meldcode case per person per
organisation, its append-only steps, and the consultations a step records.

The workflow itself is plain Python (`lens.casework.workflow`); these rows store it.
A case's `state`, `next_action` and `next_due` are columns for the work list and the
constraint, always what `replay` of its steps gives: only `lens.cases.actions` writes
them, in the transaction that stores the step. A step is never changed or deleted: a
mistake is corrected by a later step. Foreign keys PROTECT.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from lens.data.registry import Organisation, Person

CLOSED = "closed"  # lens.casework.workflow.State.CLOSED, without importing it here


class AppendOnly(Exception):
    """A step or consultation is never changed or deleted: add a step instead."""


class Case(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    # Who handles the case now (the opener, until it is handed over): their work list.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # The result of replaying the steps (lens.casework.workflow.replay), kept as columns.
    state = models.CharField(max_length=32)
    next_action = models.CharField(max_length=32, blank=True)
    next_due = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=48, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "cases"
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"],
                condition=~Q(state=CLOSED),
                name="case_one_open_per_person_per_organisation",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "state", "next_due"], name="case_work_list"),
        ]

    def __str__(self) -> str:
        return f"case {self.pk} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state != CLOSED


class Step(models.Model):
    """One transition of the workflow with what it records (StepData). The transition's
    own fields, except the consultations, are in `fields` (JSON of codes)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="steps")
    number = models.PositiveIntegerField()  # 1, 2, ... in the order of the workflow
    transition = models.CharField(max_length=32)
    on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done = models.TextField()
    outcome = models.TextField(blank=True)
    next_due = models.DateField(null=True, blank=True)  # an own due date, else the default
    fields = models.JSONField(default=dict, blank=True)
    # The organisation's own outcome when the step was taken (the latest PersonOutcome),
    # so that each step shows the level and blind spots then, and what changed since.
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    blind_spots = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "cases"
        ordering = ["case_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="step_number_unique_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.number} {self.transition}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("A step is never changed: add a step instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("A step is never deleted.")


class Consultation(models.Model):
    """Whom a `consult` step asked. Anonymous: the person was not named to them, and the
    record holds the organisation only (never a consultee); there is no field for the
    person's identity at all."""

    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="consultations")
    role = models.CharField(max_length=32)  # lens.casework.workflow.CONSULT_ROLES
    organisation = models.CharField(max_length=200, blank=True)
    consultee = models.CharField(max_length=200, blank=True)
    anonymous = models.BooleanField(default=False)

    class Meta:
        app_label = "cases"
        ordering = ["step_id", "id"]
        constraints = [
            models.CheckConstraint(
                name="consultation_anonymous_records_organisation_only",
                condition=Q(anonymous=False) | Q(consultee="") & ~Q(organisation=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} ({self.step_id})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("A consultation is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("A consultation is never deleted.")


class CaseReferral(models.Model):
    """A referral to the zorgcoördinator made as a step of a case (the `refer` step), and
    the zorgcoördinator's answer, which comes back into the case as its
    `referral_answered` step (`answer_step`) while the case waits for it
    (lens.cases.referrals). An answer that comes after the case moved on (closed, the
    answer recorded by hand, a newer referral) has no step: it is a late answer, shown
    in the case's history from this row, and on a closed case a line of the handler's
    work list until read."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    referral = models.OneToOneField(
        "coordination.Referral", on_delete=models.PROTECT, related_name="case_referral"
    )
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=32, blank=True)  # workflow.REFERRAL_ANSWERS
    note = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_step = models.ForeignKey(
        Step, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A late answer is a line on its handler's work list until it is read: the case page
    # seen by the handler, or the line marked read (lens.cases.referrals.late_answers_read).
    late_read_at = models.DateTimeField(null=True, blank=True)
    late_read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        app_label = "cases"
        ordering = ["case_id", "id"]

    def __str__(self) -> str:
        return f"referral {self.referral_id} of case {self.case_id}"

    @property
    def is_late(self) -> bool:
        """Answered, but not as a step of the case: the case had moved on."""
        return self.answered_at is not None and self.answer_step_id is None


class HandOver(models.Model):
    """A hand-over of the case from one handler to another (lens.cases.actions.hand_over),
    kept with the case's history: who handed it over, from whom to whom, and when.
    Append-only like the steps; it is not a step of the workflow and changes no state."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="hand_overs")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "cases"
        ordering = ["case_id", "at", "id"]

    def __str__(self) -> str:
        return f"hand-over of case {self.case_id} to {self.to_user_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("A hand-over is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("A hand-over is never deleted.")
