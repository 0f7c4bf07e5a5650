"""Response shapes of the REST API (and its error shape). Plain English texts: see
lens.api.serializers.requests."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lens.api.fields import (
    DateField,
)
from lens.rules.limits import MAX_CODE_LENGTH, MAX_CODES

# --- responses ---------------------------------------------------------------------------


class PersonSummary(serializers.Serializer):
    pseudonym = serializers.CharField()
    age_band = serializers.CharField(help_text="0-11, 12-15, 16-17, 18-22 or 23+.")
    level = serializers.IntegerField(
        allow_null=True, help_text="Advice level of the latest outcome; null without one."
    )
    last_signal_on = serializers.DateField(
        allow_null=True, help_text="Date of the latest current (not withdrawn) observation."
    )
    blind_spots = serializers.IntegerField(
        allow_null=True, help_text="Life domains without information in the latest outcome."
    )


class PersonPage(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = PersonSummary(many=True)


class RegistrationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    supersedes = serializers.IntegerField(
        allow_null=True, help_text="The id of the version this one corrects."
    )
    observed_on = serializers.DateField()
    how_learned = serializers.CharField()
    context_note = serializers.CharField()
    signals = serializers.ListField(child=serializers.CharField())
    risk_factors = serializers.ListField(child=serializers.CharField())
    catalogue_version = serializers.CharField()
    created_at = serializers.DateTimeField()
    municipality_code = serializers.CharField(
        help_text="CBS code of the municipality where the person lives; empty when not given."
    )
    wijk_code = serializers.CharField(help_text="CBS code of the district; empty when not known.")
    pc4 = serializers.CharField(help_text="The four digits of the postcode; empty when not given.")
    phenomena = serializers.ListField(
        child=serializers.CharField(), help_text="Catalogue codes of the linked phenomena."
    )


class InformedOutput(serializers.Serializer):
    informed = serializers.BooleanField()
    informed_on = serializers.DateField(allow_null=True)
    who = serializers.CharField(help_text="person, parents, or empty when not informed.")
    reason_not = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class OutcomeOutput(serializers.Serializer):
    level = serializers.IntegerField()
    catalogue_version = serializers.CharField()
    ruleset_version = serializers.CharField()
    computed_at = serializers.DateTimeField()
    outcome = serializers.JSONField(
        help_text="The stored outcome (in Dutch), in the format of `lens assess --json`."
    )


class InvolvedOrganisation(serializers.Serializer):
    organisation = serializers.CharField(help_text="The organisation's name.")
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.EmailField()


class PersonDetail(serializers.Serializer):
    pseudonym = serializers.CharField()
    age_band = serializers.CharField()
    created_at = serializers.DateTimeField()
    outcome = OutcomeOutput(allow_null=True)
    registrations = RegistrationOutput(
        many=True,
        help_text="The current registrations (not corrected since, not withdrawn): the page "
        "`registrations_page` of them counted from the newest observation, "
        "`registrations_page_size` a page (all of them when there are no more), listed "
        "oldest first.",
    )
    registrations_count = serializers.IntegerField(
        help_text="How many current registrations the person has (on every page)."
    )
    registrations_next = serializers.URLField(
        allow_null=True,
        help_text="This detail with the next page of older registrations; null on the last.",
    )
    informed = InformedOutput(allow_null=True, help_text="The latest record; null when none.")
    also_involved = InvolvedOrganisation(
        many=True,
        help_text="The other organisations in this application that registered the same "
        "person (as far as matching could tell), with their contact; never their pseudonym, "
        "signals or notes. Empty when none.",
    )
    lead = serializers.CharField(
        allow_null=True,
        help_text="The name of the organisation the care coordinator gave the lead; null "
        "when none was named.",
    )


class RegisterPersonOutput(serializers.Serializer):
    pseudonym = serializers.CharField()
    known = serializers.BooleanField(
        help_text="true: the organisation already knew this person (same BSN, or same name "
        "and birth date with `same_name_and_birth_date: same_person`); nothing new was "
        "registered for the person itself."
    )
    registration = RegistrationOutput(allow_null=True)


class WithdrawalOutput(serializers.Serializer):
    registration = serializers.IntegerField()
    reason = serializers.CharField()
    withdrawn_at = serializers.DateTimeField()


class IdentityOutput(serializers.Serializer):
    given_names = serializers.CharField()
    family_name = serializers.CharField()
    birth_date = serializers.DateField()
    bsn = serializers.CharField()
    sex = serializers.CharField()


# --- the anonymous lens engine ---------------------------------------------------------------


@extend_schema_field(
    {
        "type": "array",
        "maxItems": MAX_CODES,
        "items": {
            "oneOf": [
                {"type": "string", "maxLength": MAX_CODE_LENGTH},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "code": {"type": "string", "minLength": 1, "maxLength": MAX_CODE_LENGTH},
                        "organisation_type": {"type": "string", "maxLength": MAX_CODE_LENGTH},
                        "observed_on": {"type": "string", "format": "date", "nullable": True},
                    },
                    "required": ["code"],
                },
            ]
        },
    }
)
class AssessSignals(serializers.JSONField):
    """Observed signals: objects or bare code strings (documentation only)."""


def assess_codes(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=MAX_CODE_LENGTH, allow_blank=True),
        max_length=MAX_CODES,
        required=False,
        help_text=help_text,
    )


class AssessInput(serializers.Serializer):
    """Documentation of `lens assess`'s input; parsing is lens.rules.inputs.parse_input."""

    schema_extra = {"additionalProperties": False}

    signals = AssessSignals(
        help_text=f"Observed signals, at most {MAX_CODES}; an item may also be a bare code "
        "string. Unknown codes are refused; the first few are named with the closest known "
        "codes.",
    )
    unknown = assess_codes("Signal codes the professional could not judge.")
    absent = assess_codes("Signal codes known to be absent.")
    risk_factors = assess_codes("Catalogue risk factor codes.")
    region = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    as_of = DateField(required=False, allow_null=True, help_text="YYYY-MM-DD; default today.")


# --- errors --------------------------------------------------------------------------------


class FieldProblem(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    value = serializers.CharField(required=False, help_text="The value that was refused.")
    suggestions = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="The closest known codes."
    )


class ErrorDetail(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable; stable.")
    message = serializers.CharField(help_text="For people, in English.")
    fields = serializers.DictField(
        child=FieldProblem(many=True),
        help_text="Problems per field: dotted paths, [i] for list items, non_field_errors.",
    )


class Error(serializers.Serializer):
    error = ErrorDetail()
