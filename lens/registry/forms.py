"""The registry's forms. They parse and check input field by field (Dutch messages); the
actions layer checks again against the active catalogue and does the writing.

Every choice of signal or risk factor comes from the active catalogue. Templates draw
the fields by hand with NL Design System classes (web/includes/field.html).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lens.access.crypto import Identity
from lens.access.matchkeys import bsn_is_valid
from lens.check.forms import risk_factor_rows, risk_factors_field, signals_by_life_domain
from lens.data.registry import HowLearned, InformedWho
from lens.registry import area_fields, rules
from lens.registry.search_forms import reference_field
from lens.rules.model import Catalogue
from lens.web.forms import PageForm, RevealForm, date_field, not_in_future  # noqa: F401 - RevealForm re-exported

SEX_CHOICES = [
    ("", _("Not filled in")),
    ("female", _("Female")),
    ("male", _("Male")),
    ("other", _("Other")),
]


class IdentityForm(PageForm):
    given_names = forms.CharField(
        label=_("Given names"),
        max_length=rules.NAME_MAX,
        error_messages={"required": _("Fill in the given names.")},
    )
    family_name = forms.CharField(
        label=_("Family name"),
        help_text=_("With prefixes such as van or de."),
        max_length=rules.NAME_MAX,
        error_messages={"required": _("Fill in the family name.")},
    )
    birth_date = date_field(_("Birth date"))
    bsn = forms.CharField(
        label=_("BSN (optional)"),
        help_text=_("Only if you know it for sure: 9 digits."),
        required=False,
        max_length=rules.BSN_INPUT_MAX,
    )
    sex = forms.ChoiceField(
        label=_("Sex (optional)"),
        choices=SEX_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the options.")},
    )
    reference = reference_field()  # the organisation's own (lens.registry.references)

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
        if value:
            rules.check_birth_date(value)
        return value

    def clean_bsn(self):
        value = rules.normalise_bsn(self.cleaned_data.get("bsn", ""))
        if value and not bsn_is_valid(value):
            raise ValidationError(
                _("This is not a valid BSN: it must be 9 digits and pass the 11-test."),
                code="bsn",
            )
        return value

    def identity(self) -> Identity:
        data = self.cleaned_data
        return rules.normalised_identity(
            Identity(
                given_names=data["given_names"],
                family_name=data["family_name"],
                birth_date=data["birth_date"],
                bsn=data.get("bsn", ""),
                sex=data.get("sex", ""),
            )
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
            max_length=rules.CONTEXT_NOTE_MAX,
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
                if signal.check_only:  # a question of the check (danger now?): not stored
                    continue
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
        max_length=rules.REASON_MAX,
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
        max_length=rules.REASON_MAX,
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
