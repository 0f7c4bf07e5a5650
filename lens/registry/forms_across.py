"""The forms of the registry's pages across organisations (lens.registry.views_across):
a referral to the care coordinator, a relation between two records, an answer to an
information request. Limits are the coordination actions' own (they check again)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lens.coordination.actions import TEXT_MAX
from lens.coordination.forms import RelationFields
from lens.data.coordination import RelationKind
from lens.data.registry import Person
from lens.web.forms import PageForm

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


class OwnRelationForm(RelationFields):
    """A relation between the page's record and another record of the own organisation.
    Whether the pseudonym is a record of the organisation is the access policy's question:
    the view passes `find_own` (pseudonym -> Person, or None when it is not one of the
    organisation's records, whether it exists elsewhere or not at all)."""

    other_help = _("A person your organisation registered, for example P-7K3F.")
    note_help = _("Facts only: no names, no diagnoses, no guesses.")

    def __init__(self, *args, find_own: Callable[[str], Person | None], **kwargs):
        super().__init__(*args, **kwargs)
        self.find_own = find_own

    def kind_choices(self):
        return relation_choices()

    def not_found(self):
        return _("No person with this pseudonym in your organisation.")

    def clean_other(self) -> Person:
        value = self.typed_pseudonym()
        if not value:
            raise ValidationError(_("Fill in the pseudonym of the other person."), code="required")
        other = self.find_own(value)
        if other is None:
            raise ValidationError(self.not_found(), code="unknown")
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
