"""The registry's forms. They parse and check input field by field (Dutch messages); the
actions layer checks again against the active catalogue and does the writing.

Every choice of signal or risk factor comes from the active catalogue. Templates draw
the fields by hand with NL Design System classes (registry/includes/field_*.html).
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lens.access.crypto import Identity, bsn_is_valid
from lens.check.forms import risk_factor_rows, risk_factors_field, signals_by_life_domain
from lens.data.coordination import RelationKind
from lens.data.registry import HowLearned, InformedWho, Person
from lens.registry import area_fields
from lens.rules.model import Catalogue
from lens.web.forms import PageForm, date_field, not_in_future

SEX_CHOICES = [
    ("", _("Not filled in")),
    ("female", _("Female")),
    ("male", _("Male")),
    ("other", _("Other")),
]


class IdentityForm(PageForm):
    given_names = forms.CharField(
        label=_("Given names"),
        max_length=200,
        error_messages={"required": _("Fill in the given names.")},
    )
    family_name = forms.CharField(
        label=_("Family name"),
        help_text=_("With prefixes such as van or de."),
        max_length=200,
        error_messages={"required": _("Fill in the family name.")},
    )
    birth_date = date_field(_("Birth date"))
    bsn = forms.CharField(
        label=_("BSN (optional)"),
        help_text=_("Only if you know it for sure: 9 digits."),
        required=False,
        max_length=20,
    )
    sex = forms.ChoiceField(
        label=_("Sex (optional)"),
        choices=SEX_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the options.")},
    )

    # Asked only when the organisation has a person without a BSN with the same name and
    # birth date (lens.registry.actions.PossiblySamePerson).
    name_match = forms.ChoiceField(
        label=_("Is this the same person?"),
        choices=[
            ("same", _("The same person: add the signals to the earlier registration")),
            (
                "different",
                _("A different person with the same name and birth date: register separately"),
            ),
        ],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the options.")},
    )

    def clean_birth_date(self):
        value = not_in_future(self.cleaned_data.get("birth_date"))
        if value and value.year < 1900:
            raise ValidationError(_("Fill in a birth date after 1900."), code="too_old")
        return value

    def clean_bsn(self):
        value = "".join(self.cleaned_data.get("bsn", "").split()).replace(".", "")
        if value and not bsn_is_valid(value):
            raise ValidationError(
                _("This is not a valid BSN: it must be 9 digits and pass the 11-test."),
                code="bsn",
            )
        return value

    def identity(self) -> Identity:
        data = self.cleaned_data
        return Identity(
            given_names=data["given_names"].strip(),
            family_name=data["family_name"].strip(),
            birth_date=data["birth_date"],
            bsn=data.get("bsn", ""),
            sex=data.get("sex", ""),
        )


class SignalsForm(PageForm):
    """One observation: signals (grouped by leefgebied), date, how learned, context, risk
    factors. Built with the active catalogue and the page language."""

    def __init__(self, *args, catalogue: Catalogue, language: str, region: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        self.language = language
        # With the organisation's region, a new registration also asks where the person
        # lives and the linked phenomena (lens.registry.area_fields); a correction does not.
        self.region = region
        if region:
            area_fields.add_fields(self, catalogue, language, region)
        self.fields["signals"] = forms.MultipleChoiceField(
            label=_("Signals"),
            choices=[(s.code, s.label.get(language)) for s in catalogue.signals.values()],
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Tick at least one signal."),
                "invalid_choice": _(
                    "The signal %(value)s is not on the list. Tick only the signals shown here."
                ),
                "invalid_list": _("Tick only the signals shown here."),
            },
        )
        self.fields["observed_on"] = date_field(
            _("Date observed"),
            help_text=_("When did you see or hear this? Roughly is fine."),
        )
        self.fields["how_learned"] = forms.ChoiceField(
            label=_("How do you know this?"),
            choices=HowLearned.choices,
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Choose how you learned this."),
                "invalid_choice": _("Choose one of the options."),
            },
        )
        self.fields["context_note"] = forms.CharField(
            label=_("Context (optional)"),
            help_text=_(
                "Facts that help a colleague understand the signals. No names of others, "
                "no diagnoses, no guesses."
            ),
            required=False,
            max_length=4000,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={
                "max_length": _("Keep the context to %(limit_value)d characters."),
            },
        )
        self.fields["risk_factors"] = risk_factors_field(
            catalogue, language, _("Risk factors (optional)")
        )

        self.style_widgets()

    def clean_observed_on(self):
        return not_in_future(self.cleaned_data.get("observed_on"))

    def clean(self):
        cleaned = super().clean()
        if self.region:
            area_fields.clean(self, self.region)
        return cleaned

    @property
    def records_area(self) -> bool:
        return bool(self.region)

    def phenomenon_rows(self):
        return area_fields.phenomenon_rows(self, self.language)

    def observation(self) -> dict:
        """Keyword arguments for actions.register_signals / correct_registration."""
        data = self.cleaned_data
        return {
            "signals": data["signals"],
            "observed_on": data["observed_on"],
            "how_learned": data["how_learned"],
            "context_note": data.get("context_note", ""),
            "risk_factors": data.get("risk_factors", []),
            **(area_fields.answers(self) if self.region else {}),
        }

    def _selected(self, name: str) -> list[str]:
        if self.is_bound:
            return self.data.getlist(name) if hasattr(self.data, "getlist") else []
        return list(self.initial.get(name, []))

    def signal_groups(self):
        """[(leefgebied label, [(code, label, help, checked, input id)])] for the page."""
        chosen = set(self._selected("signals"))
        groups = []
        counter = 0
        for domain, signals in signals_by_life_domain(self.catalogue):
            rows = []
            for signal in signals:
                rows.append(
                    {
                        "code": signal.code,
                        "label": signal.label.get(self.language),
                        "help": signal.explanation.get(self.language),
                        "checked": signal.code in chosen,
                        "id": f"id_signals_{counter}",
                    }
                )
                counter += 1
            groups.append({"code": domain.code, "label": domain.label.get(self.language)})
            groups[-1]["signals"] = rows
        return groups

    def risk_factor_rows(self):
        return risk_factor_rows(self.catalogue, self.language, set(self._selected("risk_factors")))


class WithdrawForm(PageForm):
    reason = forms.CharField(
        label=_("Reason for withdrawing"),
        help_text=_(
            "For example: registered for the wrong person, or the signal turned out wrong."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason for withdrawing.")},
    )

    def clean_reason(self):
        value = self.cleaned_data.get("reason", "").strip()
        if not value:
            raise ValidationError(_("Give the reason for withdrawing."), code="required")
        return value


class InformedForm(PageForm):
    informed = forms.TypedChoiceField(
        label=_("Has the person been informed of the registration?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    informed_on = date_field(_("Informed on"), required=False)
    who = forms.ChoiceField(
        label=_("Who was informed?"),
        help_text=_("Under 16: the parents or guardians."),
        choices=InformedWho.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the options.")},
    )
    reason_not = forms.CharField(
        label=_("Why not?"),
        help_text=_("For example: telling them would put the person in danger."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        informed = cleaned.get("informed")
        if informed is True:
            if not cleaned.get("informed_on") and "informed_on" not in self.errors:
                self.add_error("informed_on", _("Fill in when they were informed."))
            elif cleaned.get("informed_on"):
                try:
                    not_in_future(cleaned["informed_on"])
                except ValidationError as error:
                    self.add_error("informed_on", error)
            if not cleaned.get("who") and "who" not in self.errors:
                self.add_error("who", _("Choose who was informed."))
        elif informed is False and not (cleaned.get("reason_not") or "").strip():
            self.add_error("reason_not", _("Give the reason for not informing."))
        return cleaned


class RevealForm(PageForm):
    purpose = forms.CharField(
        label=_("Why do you need to see the identity?"),
        help_text=_(
            "This is written in the access log with your name. For example: to send the "
            "report to Veilig Thuis."
        ),
        max_length=500,
        error_messages={
            "required": _("Say why you need to see the identity."),
            "max_length": _("Keep this to %(limit_value)d characters."),
        },
    )

    def clean_purpose(self):
        value = self.cleaned_data.get("purpose", "").strip()
        if not value:
            raise ValidationError(_("Say why you need to see the identity."), code="required")
        return value


# --- across organisations (lens.registry.views_across) -------------------------------------

TEXT_MAX = 2000  # as lens.coordination.actions.TEXT_MAX
NOTE_MAX = 500  # as lens.coordination.actions.NOTE_MAX

# The relation form offers the suspected recruiter both ways round: the page is about one
# record, and either end may be the young person. This choice is stored as
# RelationKind.SUSPECTED_RECRUITER with the other record as person_a (the recruiter).
RECRUITED_BY = "recruited_by"


def relation_choices():
    return [
        (RelationKind.FAMILY, RelationKind.FAMILY.label),
        (RelationKind.SAME_ADDRESS, RelationKind.SAME_ADDRESS.label),
        (RelationKind.FOUND_TOGETHER, RelationKind.FOUND_TOGETHER.label),
        (
            RelationKind.SUSPECTED_RECRUITER,
            _("This person is a suspected recruiter of the other person"),
        ),
        (RECRUITED_BY, _("The other person is a suspected recruiter of this person")),
    ]


def _required_text(form: forms.Form, name: str, message) -> str:
    value = form.cleaned_data.get(name, "").strip()
    if not value:
        raise ValidationError(message, code="required")
    return value


class ReferForm(PageForm):
    reason = forms.CharField(
        label=_("Why do you refer this person to the care coordinator?"),
        help_text=_(
            "The care coordinator reads this. Facts only: no names of others, no diagnoses."
        ),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Give the reason for referring."),
            "max_length": _("Keep this to %(limit_value)d characters."),
        },
    )

    def clean_reason(self):
        return _required_text(self, "reason", _("Give the reason for referring."))


class RelationForm(PageForm):
    """A relation between the page's record and another record of the own organisation.
    Whether the pseudonym is a record of the organisation is the access policy's question:
    the view passes `find_own` (pseudonym -> Person, or None when it is not one of the
    organisation's records, whether it exists elsewhere or not at all)."""

    def __init__(self, *args, find_own: Callable[[str], Person | None], **kwargs):
        super().__init__(*args, **kwargs)
        self.find_own = find_own

    other = forms.CharField(
        label=_("Pseudonym of the other person"),
        help_text=_("A person your organisation registered, for example P-7K3F."),
        max_length=16,
        error_messages={
            "required": _("Fill in the pseudonym of the other person."),
            "max_length": _("No person with this pseudonym in your organisation."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Relation"),
        choices=relation_choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the kind of relation."),
            "invalid_choice": _("Choose one of the options."),
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        help_text=_("Facts only: no names, no diagnoses, no guesses."),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Keep this to %(limit_value)d characters.")},
    )

    def clean_other(self) -> Person:
        value = self.cleaned_data.get("other", "").strip().upper()
        if not value:
            raise ValidationError(_("Fill in the pseudonym of the other person."), code="required")
        other = self.find_own(value)
        if other is None:
            raise ValidationError(
                _("No person with this pseudonym in your organisation."), code="unknown"
            )
        return other

    def relation(self, this: Person) -> tuple[Person, Person, str]:
        """(person_a, person_b, kind) for lens.coordination.actions.record_relation."""
        other = self.cleaned_data["other"]
        kind = self.cleaned_data["kind"]
        if kind == RECRUITED_BY:
            return other, this, RelationKind.SUSPECTED_RECRUITER
        return this, other, kind


class AnswerForm(PageForm):
    answer = forms.CharField(
        label=_("Your answer"),
        help_text=_(
            "Only what the care coordinator needs to know for this question. The answer "
            "cannot be changed once sent."
        ),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Give an answer."),
            "max_length": _("Keep this to %(limit_value)d characters."),
        },
    )

    def clean_answer(self):
        return _required_text(self, "answer", _("Give an answer."))


class LevelFilterForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Level"),
        choices=[("", _("All levels"))] + [(str(n), str(n)) for n in range(5)],
        coerce=int,
        empty_value=None,
        required=False,
    )
