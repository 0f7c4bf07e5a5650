"""Request shapes of the REST API (responses: lens.api.serializers.responses).

Request serializers check types and form (DRF); the domain rules (catalogue codes, what a
correction may change, who was informed) stay with `lens.registry.actions`, which checks
everything again. Two checks are made here as well, because clients need them machine-
readable: unknown catalogue codes (with the closest known codes) and dates in the future.

Texts here are plain English, never translated: they end up in the committed OpenAPI
schema, which must not depend on the language active while generating it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import serializers

from lens.api.fields import (
    NOT_BLANK,
    DateField,
    PatternField,
    codes_field,
    has_a_letter,
    name_field,
    optional_text,
    required_text,
)
from lens.data.registry import HowLearned, InformedWho
from lens.registry import area_fields, rules
from lens.rules import validation
from lens.rules.limits import MAX_CODE_LENGTH, MAX_CODES, SUGGESTED_CODES
from lens.rules.model import Catalogue

SEX_VALUES = ["", "female", "male", "other"]
# Plain English labels (not the models' translated ones): see the module docstring.
HOW_LEARNED = [
    (HowLearned.SEEN.value, "Seen myself"),
    (HowLearned.TOLD_BY_PERSON.value, "Told by the person"),
    (HowLearned.TOLD_BY_OTHERS.value, "Told by others"),
]
INFORMED_WHO = [
    (InformedWho.PERSON.value, "The person"),
    (InformedWho.PARENTS.value, "The parents or guardians (under 16)"),
]


class Strict(serializers.Serializer):
    # Refuses keys it does not know: a misspelt field must not be silently ignored. (A
    # comment, not a docstring: the schema would show it for every subclass.)
    schema_extra: dict[str, Any] = {"additionalProperties": False}  # see lens.api.schema

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {
                        key: [serializers.ErrorDetail("Unknown field.", code="unknown_field")]
                        for key in unknown
                    }
                )
        return super().to_internal_value(data)


def not_in_future(value):
    if value is not None and value > timezone.localdate():
        raise serializers.ValidationError("This date lies in the future.", code="future_date")
    return value


def by_rule(check, value):
    """Apply a rule of lens.registry.rules; its refusal as DRF's error, code kept."""
    try:
        check(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(
            [serializers.ErrorDetail(m, code=error.code) for m in error.messages]
        ) from None
    return value


# --- requests ----------------------------------------------------------------------------


class IdentityInput(Strict):
    """Who the person is. Stored only encrypted; matched within the organisation by BSN,
    or without one by normalised name and birth date."""

    given_names = name_field(
        help_text="At least one letter, in any script (refused with code no_letter); no "
        "control or invisible formatting characters (code control_character)."
    )
    family_name = name_field(
        help_text="With prefixes such as van or de; at least one letter, in any script "
        "(refused with code no_letter); no control or invisible formatting characters (code "
        "control_character)."
    )
    birth_date = DateField(
        validators=[not_in_future],
        help_text=f"YYYY-MM-DD; from {rules.BIRTH_YEAR_MIN}, not in the future.",
    )
    bsn = PatternField(
        r"^[0-9 .]*$",
        "invalid_bsn",
        "Give the BSN as 9 digits (spaces and dots are left out).",
        max_length=rules.BSN_INPUT_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="Optional: 9 digits passing the 11-test (refused with code invalid_bsn). "
        "Only if known for sure.",
    )
    sex = serializers.ChoiceField(choices=SEX_VALUES, required=False, default="")

    validate_given_names = staticmethod(has_a_letter)
    validate_family_name = staticmethod(has_a_letter)

    def validate_bsn(self, value: str) -> str:
        return rules.normalise_bsn(value)

    def validate_birth_date(self, value):
        return by_rule(rules.check_birth_date, value)


class ObservationInput(Strict):
    """One observation: one or more catalogue signals, when, and how it was learned."""

    signals = codes_field("Catalogue signal codes; at least one.", min_length=1)
    observed_on = DateField(
        validators=[not_in_future], help_text="When the signals were observed; not in the future."
    )
    how_learned = serializers.ChoiceField(choices=HOW_LEARNED)
    context_note = optional_text(rules.CONTEXT_NOTE_MAX, default="")
    risk_factors = codes_field("Catalogue risk factor codes.", required=False, default=list)
    # Where the person lives and the linked phenomena, for the municipality's local
    # picture: checked by the actions layer's rule (lens.registry.area_fields), as the web
    # form's; here only their form and size.
    municipality_code = optional_text(
        MAX_CODE_LENGTH,
        default="",
        help_text="Optional: the CBS code of the municipality where the person lives, e.g. "
        "GM0855; one of the organisation's region (else code unknown_municipality).",
    )
    wijk_code = optional_text(
        MAX_CODE_LENGTH,
        default="",
        help_text="Optional: the CBS code of the district, e.g. WK085510; one of the "
        "municipality given (else code unknown_wijk). Without municipality_code, the "
        "district's municipality is recorded.",
    )
    pc4 = optional_text(
        area_fields.PC4_INPUT_MAX,
        default="",
        help_text="Optional: only the four digits of the postcode, e.g. 5038. A full "
        "postcode is refused (code full_postcode), never cut down; other input is refused "
        "with code invalid_postcode, a postcode outside the region with "
        "postcode_outside_region. Fills an empty municipality_code and wijk_code.",
    )
    phenomena = codes_field(
        "Optional: catalogue codes of the linked phenomena seen with it (else code "
        "unknown_code); stored in catalogue order, each once.",
        required=False,
        default=list,
        allow_blank_codes=True,  # "" is an unknown code to the rule, as any other
    )


class RegisterPersonInput(Strict):
    """A person to register, with an optional first observation."""

    identity = IdentityInput()
    registration = ObservationInput(
        required=False,
        help_text=(
            "Optional first observation, registered in the same transaction: when it is "
            "refused, the person is not registered either. For a person the organisation "
            "knows already, it is added to that person."
        ),
    )
    same_name_and_birth_date = serializers.ChoiceField(
        choices=[
            ("same_person", "The same person: return the known one and add to it"),
            ("different_person", "A different person: register a new one"),
        ],
        required=False,
        help_text=(
            "Only needed when the identity has no BSN and the organisation has a person "
            "without a BSN with the same name and birth date: two people can share both, so "
            "the client must say which it is. Without this field such a request answers 409 "
            "`possibly_same_person` and registers nothing."
        ),
    )


class CorrectionInput(Strict):
    """A new version of a registration: give the fields that change, at least one."""

    schema_extra = {"additionalProperties": False, "minProperties": 1}

    signals = codes_field("Catalogue signal codes; at least one.", min_length=1, required=False)
    observed_on = DateField(validators=[not_in_future], required=False)
    how_learned = serializers.ChoiceField(choices=HOW_LEARNED, required=False)
    context_note = optional_text(rules.CONTEXT_NOTE_MAX)
    risk_factors = codes_field("Catalogue risk factor codes.", required=False)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(
                "Give at least one field to change.", code="nothing_to_change"
            )
        return attrs


class WithdrawalInput(Strict):
    """Withdrawing a registration: it stays on record, but no longer counts."""

    reason = required_text(rules.REASON_MAX, help_text="Why the registration is withdrawn.")


class InformedInput(Strict):
    """Whether and when the person (under 16: the parents) was told, or why not."""

    schema_extra = {
        "additionalProperties": False,
        "oneOf": [
            {
                "description": "Informed: when (not in the future) and who.",
                "properties": {
                    # allOf around each enum: drf-spectacular would turn a bare enum here
                    # into a component of its own, named after the field's main one.
                    "informed": {"allOf": [{"type": "boolean", "enum": [True]}]},
                    "informed_on": {"type": "string", "format": "date"},
                    "who": {
                        "allOf": [{"type": "string", "enum": [value for value, _ in INFORMED_WHO]}]
                    },
                },
                "required": ["informed", "informed_on", "who"],
            },
            {
                "description": "Not informed: the reason why not.",
                "properties": {
                    "informed": {"allOf": [{"type": "boolean", "enum": [False]}]},
                    "reason_not": {"type": "string", "pattern": NOT_BLANK},
                },
                "required": ["informed", "reason_not"],
            },
        ],
    }

    informed = serializers.BooleanField(
        help_text="true: informed_on and who are required; false: reason_not is required."
    )
    informed_on = DateField(required=False, allow_null=True, validators=[not_in_future])
    who = serializers.ChoiceField(choices=INFORMED_WHO, required=False, allow_blank=True)
    reason_not = optional_text(rules.REASON_MAX)


class RevealInput(Strict):
    """Why the identity is needed."""

    purpose = required_text(
        rules.PURPOSE_MAX, help_text="Why the identity is needed; written to the access log."
    )


# --- catalogue codes ---------------------------------------------------------------------


def unknown_codes(
    catalogue: Catalogue, data: Any, prefix: str = ""
) -> dict[str, list[dict[str, Any]]]:
    """Unknown signal and risk factor codes in `data` (as sent), keyed like the other field
    errors ("signals[1]"); the first SUGGESTED_CODES with the closest known codes. A list
    longer than MAX_CODES is skipped: CodesField refuses it as a whole."""
    fields: dict[str, list[dict[str, Any]]] = {}
    if not isinstance(data, dict):
        return fields
    suggested = 0
    kinds = (
        ("signals", catalogue.signals, "signal"),
        ("risk_factors", catalogue.risk_factors, "risk factor"),
    )
    for name, known, noun in kinds:
        codes = data.get(name)
        if not isinstance(codes, list) or len(codes) > MAX_CODES:
            continue
        labels = {code: item.label.nl for code, item in known.items()}
        for index, code in enumerate(codes):
            if (
                isinstance(code, str)
                and len(code) <= MAX_CODE_LENGTH
                and code not in known
                # a retired signal code is read as what replaced it, not refused
                and not (name == "signals" and catalogue.resolve_signal(code))
            ):
                suggestions: list[str] = []
                if suggested < SUGGESTED_CODES:
                    suggested += 1
                    suggestions = list(validation.closest_codes(code, list(known), labels))
                fields[f"{prefix}{name}[{index}]"] = [
                    {
                        "code": "unknown_code",
                        "message": f"Unknown {noun} code {code!r}.",
                        "value": code,
                        "suggestions": suggestions,
                    }
                ]
    return fields
