"""The zorgcoördinator's forms: a link decision, the purpose of revealing a link's
identities, a relation between two records in view. They translate the request into
the actions' arguments (lens.coordination.actions owns the rules) and say what is wrong
in Dutch at the field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lens.access.purposes import PURPOSE_MAX
from lens.coordination import actions
from lens.data import pseudonyms
from lens.data.coordination import (
    END_NOTE_MAX,
    LinkDecisionKind,
    LinkState,
    PersonLink,
    RelationEndReason,
    RelationKind,
)
from lens.web.forms import PageForm


def decision_labels() -> dict[str, str]:
    """The decisions as the form offers them."""
    return {
        LinkDecisionKind.CONFIRM: _("Confirm: the same person"),
        LinkDecisionKind.REJECT: _("Reject: not the same person"),
        LinkDecisionKind.REOPEN: _("Reopen: decide again later"),
    }


def decisions_possible(link: PersonLink) -> list[tuple[str, str]]:
    """The decisions the link's state allows (actions.decisions_allowed), as (value, label)."""
    labels = decision_labels()
    allowed = actions.decisions_allowed(link)
    return [(kind.value, label) for kind, label in labels.items() if kind in allowed]


class DecisionForm(PageForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("Your decision"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose a decision."),
            "invalid_choice": gettext_lazy("Choose one of the options."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        help_text=gettext_lazy(
            "Why you decided this, for whoever looks at this link later. No names."
        ),
        required=False,
        max_length=actions.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": gettext_lazy("Keep this to %(limit_value)d characters.")},
    )
    # The state the page showed (a hidden field): the action refuses a decision made on a
    # page that no longer shows the link as it is (actions.decide_link).
    shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any decision: which ones the link's state allows is the action's rule, checked
        # under its lock (a page may offer those of a state the link has left meanwhile).
        self.fields["decision"].choices = list(decision_labels().items())

    def clean(self):
        data = super().clean()
        if data.get("shown") not in LinkState.values:  # not a page of ours, or an old one
            raise ValidationError(
                _("The form did not say what the page showed. Open the link again and decide.")
            )
        return data


class PairRevealForm(PageForm):
    purpose = forms.CharField(
        label=gettext_lazy("Why do you need to see both identities?"),
        help_text=gettext_lazy(
            "This is written in the access log of both records, with your name. For "
            "example: to check whether the two records are the same person."
        ),
        max_length=PURPOSE_MAX,
        error_messages={
            "required": gettext_lazy("Say why you need to see the identities."),
            "max_length": gettext_lazy("Keep this to %(limit_value)d characters."),
        },
    )
    # What counts as a purpose is the action's rule (lens.access.purposes.given).


def not_in_view_message() -> str:
    return _("No person with this pseudonym in your view.")


class RelationFields(PageForm):
    """What every relation form asks: the other record's pseudonym, the kind of relation and
    a note. The organisation's form (lens.registry.forms_across.OwnRelationForm, between two
    of its own records) and the zorgcoördinator's (RelationForm, between two records in
    view) differ in the kinds they offer, their help texts and where the other record is
    looked up; the rules of a relation are lens.coordination.actions.record_relation's."""

    other_help = ""
    note_help = ""

    other = forms.CharField(
        label=gettext_lazy("Pseudonym of the other person"),
        max_length=20,
        error_messages={"required": gettext_lazy("Fill in the pseudonym of the other person.")},
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Relation"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose the kind of relation."),
            "invalid_choice": gettext_lazy("Choose one of the options."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=actions.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": gettext_lazy("Keep this to %(limit_value)d characters.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].help_text = self.other_help
        self.fields["note"].help_text = self.note_help
        self.fields["kind"].choices = self.kind_choices()
        # Longer than any pseudonym: the same answer as an unknown one.
        self.fields["other"].error_messages["max_length"] = self.not_found()

    def kind_choices(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def not_found(self) -> str:
        raise NotImplementedError

    def typed_pseudonym(self) -> str:
        """The pseudonym as typed, without spaces, in capitals (pseudonyms.typed)."""
        return pseudonyms.typed(self.cleaned_data.get("other", ""))


class RelationForm(RelationFields):
    """The zorgcoördinator's relation between two records in view."""

    other_help = gettext_lazy("For example P-AB2C. The other person must be in your view.")
    note_help = gettext_lazy("Facts only. No names of others.")

    def kind_choices(self):
        return RelationKind.choices

    def not_found(self):
        return not_in_view_message()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].help_text = gettext_lazy(
            "The relation reads from this person to the other one, for example: this "
            "person is the suspected recruiter of the other person. So record a suspected "
            "recruiter on the page of the suspected recruiter."
        )

    def clean_other(self) -> str:
        value = self.typed_pseudonym()
        if not pseudonyms.is_pseudonym(value):
            raise ValidationError(self.not_found(), code="unknown")
        return value


class RelationEndForm(PageForm):
    """Why a relation ends (lens.coordination.actions.end_relation checks the rules)."""

    reason = forms.ChoiceField(
        label=gettext_lazy("Why does the relation end?"),
        choices=RelationEndReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose why the relation ends."),
            "invalid_choice": gettext_lazy("Choose one of the options."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Explanation (optional; needed for another reason)"),
        help_text=gettext_lazy("A few words. Facts only, no names."),
        required=False,
        max_length=END_NOTE_MAX,
        error_messages={"max_length": gettext_lazy("Keep this to %(limit_value)d characters.")},
    )
