"""The access request's document (lens.retention.access_request) in words, for the
person it is about: each field by its label (the model's verbose name where it has one,
else this module's), each code by its label (a choice, a catalogue item, a casework code,
a municipality or district), times in local time written out, staff as role and
organisation, versions as their month, in the active language. Database numbers and
fields without a value are left out. The JSON export keeps the field names and codes."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lens.access import purposes
from lens.access.models import AccessLogEntry, Action
from lens.cases import texts
from lens.catalogue import services
from lens.data.cases import Case, CaseReferral, Consultation, HandOver, Step
from lens.data.coordination import InformationRequest, LeadAssignment, PersonRelation, Referral
from lens.data.registry import InformedNotice, PersonOutcome, Registration, Role, Withdrawal
from lens.insight.areas import areas
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

# Fields that mean nothing to the person: database numbers (of the row, of the row it
# points to), the step's sequence number (the steps are listed in order), the format's
# version, the data year of the area codes, and the pseudonym on every log entry.
HIDDEN = frozenset(
    {
        "id",
        "object_id",
        "number",
        "supersedes",
        "referral",
        "step",
        "answer_step",
        "format_version",
        "areas_year",
        "person_pseudonym",
        "username",
        "digest",
    }
)
VERSIONS = ("catalogue_version", "ruleset_version")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
VERSION = re.compile(r"^(\d{4})\.(\d{1,2})\b")
# A step's "what was done" written by the casework when nothing else was said.
DONE = re.compile(r"^Gedaan: ([a-z_]+)$")

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
    "catalogue_version": _("Signal list used"),
    "ruleset_version": _("Calculation rules used"),
    "municipality_code": _("Municipality"),
    "wijk_code": _("District"),
    "as_of": _("Outcome as of"),
    "late_read_at": _("Answer read late at"),
    "late_read_by": _("Answer read late by"),
    "region": _("Region"),
    "areas_year": _("Year of the area division"),
    "version": _("Version"),
    "supersedes": _("Replaces registration"),
    "withdrawal": _("Withdrawal"),
    "withdrawn_by": _("Withdrawn by"),
    "withdrawn_at": _("Withdrawn at"),
    "level": _("Level"),
    "outcome": _("Outcome"),
    "blind_spots": _("Life domains without information"),
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
    language = _language()

    def items(table: dict) -> dict[str, str]:
        return {code: item.label.get(language) for code, item in table.items()}

    reasons = {**texts.CHOICES["close_reason"], **texts.CHOICES["reopen_reason"]}
    return {
        "sex": dict(SEX_CHOICES),
        # A member of staff's role as a role (no article); a consultation's roles that are
        # no account role keep theirs ("A colleague", "Veilig Thuis").
        "role": {**texts.CHOICES["role"], **dict(Role.choices)},
        "action": {**action_labels(), Action.EXPORT: _("exported"), Action.DELETE: _("deleted")},
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
        if key in HIDDEN:
            continue
        if key == "outcome" and isinstance(value, dict):  # the engine's explanation in words
            shown.append({"label": _label(model, key), "text": _summary(value), "records": []})
            continue
        if _is_staff(value):
            value = _staff(value)
        nested = isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(v, dict) for v in value)
        )
        if nested:
            nested_records = [
                _record(f"{path}.{key}", v, codes)
                for v in (value if isinstance(value, list) else [value])
                if isinstance(v, dict)
            ]
            nested_records = [r for r in nested_records if r]
            if nested_records:
                shown.append({"label": _label(model, key), "text": "", "records": nested_records})
            continue
        text = _text(model, key, value, codes)
        if text:
            shown.append({"label": _label(model, key), "text": text, "records": []})
    return shown


def _is_staff(value: Any) -> bool:
    """A member of staff as the export names them (access_request._staff_of)."""
    return isinstance(value, dict) and "role" in value and set(value) <= STAFF_KEYS


STAFF_KEYS = {"role", "organisation", "region"}


def _staff(value: dict[str, Any]) -> str:
    role = str(dict(Role.choices).get(value.get("role"), value.get("role") or ""))
    where = value.get("organisation") or (
        services.region_label(value["region"], _language()) if value.get("region") else ""
    )
    if role and where:
        return str(_("%(role)s at %(organisation)s") % {"role": role, "organisation": where})
    return role or where


def _language() -> str:
    return (get_language() or "nl")[:2]


def _summary(outcome: dict[str, Any]) -> str:
    """The stored outcome for the person: the level's name, the signals and risk factors
    it counted, and that it is no verdict; not the engine's rules and numbers (those are
    in the JSON export)."""
    explanation = outcome.get("explanation")
    explanation = explanation if isinstance(explanation, dict) else {}
    lines = [str(outcome.get("label") or "")]
    for key, text in (
        ("signals", _("Signals counted: %(items)s.")),
        ("risk_factors", _("Risk factors counted: %(items)s.")),
    ):
        items = [i.get("label") or "" for i in explanation.get(key) or [] if isinstance(i, dict)]
        if any(items):
            lines.append(str(text) % {"items": ", ".join(i for i in items if i)})
    lines.append(str(_("The outcome is signalling support, not a verdict.")))
    return "\n".join(line for line in lines if line)


def _label(model: type[models.Model] | None, key: str) -> str:
    if key in LABELS:
        return str(LABELS[key])
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except Exception:
            field = None
        verbose = getattr(field, "verbose_name", None)  # a reverse relation has none
        if verbose is not None and verbose != key.replace("_", " "):
            name = str(verbose)
            return name[:1].upper() + name[1:]
    return str(_("Other details"))


def when(value: str) -> str:
    """An ISO time (or date) of the export written out in local time: "7 december 2026
    om 13:31"; anything else as it is."""
    if DATETIME.match(value):
        try:
            moment = timezone.localtime(datetime.fromisoformat(value))
        except ValueError:
            return value
        return str(
            _("%(date)s at %(time)s")
            % {"date": date_format(moment, "j F Y"), "time": date_format(moment, "H:i")}
        )
    if DATE.match(value):
        try:
            return date_format(date.fromisoformat(value), "j F Y")
        except ValueError:
            return value
    return value


def version_text(value: str) -> str:
    """A catalogue or ruleset version ("2026.12-f1b6fb22") as its month: "version of
    december 2026"; the content digest after the dash is left out."""
    found = VERSION.match(value)
    if found is None:
        return value.split("-")[0]
    year, month = int(found.group(1)), int(found.group(2))
    if not 1 <= month <= 12:
        return value.split("-")[0]
    return str(_("version of %(month)s") % {"month": date_format(date(year, month, 1), "F Y")})


def place_text(key: str, code: str) -> str:
    """A CBS municipality code as its name, a district code as "district 1 of Tilburg"
    (the source names no districts)."""
    known = areas()
    if key == "municipality_code":
        found = known.municipalities.get(code)
        return found.name if found else code
    district = known.districts.get(code)
    municipality = known.municipalities.get(district.municipality_code if district else "")
    if municipality is None or len(code) != 8:
        return code
    return str(
        _("district %(number)d of %(municipality)s")
        % {"number": int(code[6:]), "municipality": municipality.name}
    )


def _text(model: type[models.Model] | None, key: str, value: Any, codes: dict) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if key in VERSIONS and isinstance(value, str):
        return version_text(value)
    if key in ("municipality_code", "wijk_code") and isinstance(value, str):
        return place_text(key, value)
    if key == "purpose" and isinstance(value, str):
        return purposes.shown(value)
    table: dict = {}
    if model is not None:
        try:
            choices = getattr(model._meta.get_field(key), "choices", None)
        except Exception:
            choices = None
        table.update(dict(choices or ()))
    table.update(codes.get(key, {}))  # this module's words before a model's bare choices
    if isinstance(value, list):
        return ", ".join(str(table.get(v, v)) for v in value)
    if isinstance(value, str):
        done = DONE.match(value)
        if done and done.group(1) in texts.TRANSITIONS:
            return str(_("Done: %(step)s") % {"step": texts.TRANSITIONS[done.group(1)]})
        return when(str(table.get(value, value)))
    return str(value)
