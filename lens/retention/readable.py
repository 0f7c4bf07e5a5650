"""The access request's document (lens.retention.access_request) in words, for the
readable page: each field by its label (the model's verbose name where it has one, else
this module's), and each code by its label (a choice, a catalogue item, a casework code),
in the active language. The JSON export keeps the field names and codes."""

from __future__ import annotations

import json
from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lens.access import purposes
from lens.access.models import AccessLogEntry
from lens.cases import texts
from lens.catalogue import services
from lens.data.cases import Case, CaseReferral, Consultation, HandOver, Step
from lens.data.coordination import InformationRequest, LeadAssignment, PersonRelation, Referral
from lens.data.registry import InformedNotice, PersonOutcome, Registration, Role, Withdrawal
from lens.registry.access_rows import action_labels, object_labels
from lens.registry.forms import SEX_CHOICES

# The model of each part of the document ("." between a part and its nested part).
MODELS: dict[str, type[models.Model]] = {
    "registrations": Registration,
    "registrations.withdrawal": Withdrawal,
    "outcomes": PersonOutcome,
    "informed_notices": InformedNotice,
    "cases": Case,
    "cases.steps": Step,
    "cases.steps.consultations": Consultation,
    "cases.referrals": CaseReferral,
    "cases.hand_overs": HandOver,
    "referrals": Referral,
    "information_requests": InformationRequest,
    "lead_assignments": LeadAssignment,
    "relations": PersonRelation,
    "access_log": AccessLogEntry,
}

# Labels of the fields without a verbose name of their own.
LABELS = {
    "id": _("Number"),
    "reference": _("Reference of the request"),
    "made_at": _("Made at"),
    "made_by": _("Made by"),
    "identity_included": _("Identity included"),
    "format_version": _("Format version"),
    "pseudonym": _("Pseudonym"),
    "organisation": _("Organisation"),
    "organisation_name": _("Organisation"),
    "created_at": _("Created at"),
    "created_by": _("Created by"),
    "birth_year": _("Year of birth"),
    "given_names": _("Given names"),
    "family_name": _("Family name"),
    "birth_date": _("Date of birth"),
    "bsn": _("BSN"),
    "sex": _("Sex"),
    "author": _("Registered by"),
    "signals": _("Signals"),
    "risk_factors": _("Risk factors"),
    "phenomena": _("Phenomena"),
    "catalogue_version": _("Catalogue version"),
    "ruleset_version": _("Rule set version"),
    "areas_year": _("Year of the area division"),
    "version": _("Version"),
    "supersedes": _("Replaces registration"),
    "withdrawal": _("Withdrawal"),
    "withdrawn_by": _("Withdrawn by"),
    "withdrawn_at": _("Withdrawn at"),
    "level": _("Level"),
    "outcome": _("Outcome"),
    "blind_spots": _("Blind spots"),
    "computed_at": _("Computed at"),
    "recorded_by": _("Recorded by"),
    "recorded_at": _("Recorded at"),
    "opened_by": _("Opened by"),
    "opened_at": _("Opened at"),
    "assigned_to": _("Handled by"),
    "state": _("State"),
    "next_action": _("Next action"),
    "next_due": _("Due date of the next action"),
    "close_reason": _("Reason for closing"),
    "updated_at": _("Last change"),
    "steps": _("Steps"),
    "number": _("Number"),
    "transition": _("Step"),
    "on": _("Date of the step"),
    "by": _("By"),
    "done": _("What was done"),
    "fields": _("Details"),
    "consultations": _("Consultations"),
    "role": _("Role"),
    "consultee": _("Whom was consulted"),
    "anonymous": _("Anonymous"),
    "referrals": _("Referrals"),
    "hand_overs": _("Hand-overs"),
    "from_user": _("Handed over by the handler"),
    "to_user": _("Handed over to"),
    "referral": _("Referral"),
    "step": _("Step"),
    "answer": _("Answer"),
    "note": _("Note"),
    "answered_by": _("Answered by"),
    "answered_at": _("Answered at"),
    "referred_by": _("Referred by"),
    "referred_at": _("Referred at"),
    "asked_by": _("Asked by"),
    "asked_at": _("Asked at"),
    "assigned_by": _("Assigned by"),
    "assigned_at": _("Assigned at"),
    "recorded_by_organisation": _("Recorded by organisation"),
    "ended_at": _("Ended at"),
    "ended_by": _("Ended by"),
    "at": _("When"),
    "username": _("User"),
    "person_pseudonym": _("Pseudonym"),
    "action": _("What"),
    "object_type": _("Object"),
    "object_id": _("Object number"),
    "purpose": _("Purpose"),
    "api_client": _("API client"),
    "trigger": _("Opened"),
    "referral_answer": _("The care coordinator's answer"),
    "reason": _("Reason"),
    "report_grounds": _("Grounds of the report"),
    "emergency": _("Called or engaged"),
    "lasting_safety": texts.QUESTIONS["lasting"],
    "conversation": _("Conversation"),
    "held_with": _("Held with"),
    "not_held_reason": _("Not held, because"),
    "answers": _("Weighing"),
    **texts.QUESTIONS,
}


def _codes() -> dict[str, dict[str, Any]]:
    """Per field name, its codes in words (a free text that happens to be no code stays)."""
    try:
        catalogue = services.active()[0]
    except services.NoCatalogueLoaded:
        catalogue = None
    language = (get_language() or "nl")[:2]

    def items(table: dict) -> dict[str, str]:
        return {code: item.label.get(language) for code, item in table.items()}

    reasons = {**texts.CHOICES["close_reason"], **texts.CHOICES["reopen_reason"]}
    return {
        "sex": dict(SEX_CHOICES),
        "role": {**dict(Role.choices), **texts.CHOICES["role"]},
        "action": action_labels(),
        "object_type": object_labels(),
        "transition": texts.TRANSITIONS,
        "state": texts.STATES,
        "next_action": texts.NEXT_ACTIONS,
        "close_reason": texts.CHOICES["close_reason"],
        "trigger": texts.CHOICES["trigger"],
        "answer": texts.CHOICES["referral_answer"],
        "referral_answer": texts.CHOICES["referral_answer"],
        "reason": reasons,
        "report_grounds": texts.CHOICES["report_grounds"],
        "emergency": texts.CHOICES["emergency"],
        "held_with": texts.CHOICES["held_with"],
        "not_held_reason": texts.CHOICES["not_held_reason"],
        "signals": items(catalogue.signals) if catalogue else {},
        "risk_factors": items(catalogue.risk_factors) if catalogue else {},
        "phenomena": items(catalogue.phenomena) if catalogue else {},
    }


def records(key: str, value: Any) -> list[list[dict[str, Any]]]:
    """One part of the document as records of rows {label, text, records}: `records`
    holds a nested part (a case's steps), `text` everything else."""
    codes = _codes()
    items = value if isinstance(value, list) else [value]
    return [_record(key, item, codes) for item in items if isinstance(item, dict)]


def _record(path: str, row: dict[str, Any], codes: dict) -> list[dict[str, Any]]:
    model = MODELS.get(path)
    shown = []
    for key, value in row.items():
        nested = isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(v, dict) for v in value)
        )
        shown.append(
            {
                "label": _label(model, key),
                "text": "" if nested else _text(model, key, value, codes),
                "records": [
                    _record(f"{path}.{key}", v, codes)
                    for v in (value if isinstance(value, list) else [value])
                    if isinstance(v, dict)
                ]
                if nested and key != "outcome"
                else [],
            }
        )
        if nested and key == "outcome":  # the engine's explanation in words (JSON: all)
            shown[-1]["text"] = _summary(value)
    return shown


def _summary(outcome: dict[str, Any]) -> str:
    explanation = outcome.get("explanation")
    lines = explanation.get("summary") if isinstance(explanation, dict) else None
    if isinstance(lines, list) and lines:
        return "\n".join(str(line) for line in lines)
    return json.dumps(outcome, ensure_ascii=False, indent=2)


def _label(model: type[models.Model] | None, key: str) -> str:
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except Exception:
            field = None
        verbose = getattr(field, "verbose_name", None)  # a reverse relation has none
        if verbose is not None and verbose != key.replace("_", " "):
            name = str(verbose)
            return name[:1].upper() + name[1:]
    return str(LABELS.get(key, key.replace("_", " ")))


def _text(model: type[models.Model] | None, key: str, value: Any, codes: dict) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    table: dict = dict(codes.get(key, {}))
    if model is not None:
        try:
            choices = getattr(model._meta.get_field(key), "choices", None)
        except Exception:
            choices = None
        table.update(dict(choices or ()))
    if key == "purpose" and isinstance(value, str):
        return purposes.shown(value)
    if isinstance(value, list):
        return ", ".join(str(table.get(v, v)) for v in value)
    if isinstance(value, str):
        return str(table.get(value, value))
    return str(value)
