"""The forms of the case pages: one step form per transition, with the fields the
workflow asks for that transition (lens.casework.workflow.TRANSITIONS), and its data as
the workflow's StepData. The rules themselves are the workflow's: a refusal comes back
from the actions layer at the field it belongs to."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from lens.cases import texts
from lens.casework.closing import close_options
from lens.casework.decided import case_decision
from lens.casework.free_text import NAME_MAX, TEXT_MAX
from lens.casework.periods import working_days
from lens.casework.weighing import QUESTIONS, Answers
from lens.casework.workflow import (
    CLOSE_REASONS,
    CONSULT_ROLES,
    CONVERSATION_WITH,
    EMERGENCY,
    NOT_HELD_REASONS,
    REFERRAL_ANSWERS,
    REOPEN_REASONS,
    REPORT_GROUND_CODES,
    Consultation,
    Conversation,
    StepData,
    default_next,
)
from lens.casework.workflow import Case as Flow
from lens.web import submissions
from lens.web.forms import PageForm, date_field, not_in_future

CONSULTATION_ROWS = 2  # the first is required; a second for a second person asked
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _choices(table: dict, codes, *, blank: bool = False) -> list[tuple[str, str]]:
    rows = [(code, texts.label(table, code)) for code in codes]
    return [("", "—"), *rows] if blank else rows


# Where the workflow's field names are the form's: problems with a compound field go to
# its first part.
PROBLEM_FIELDS = {"consultations": "role_1", "conversation": "held_with", "answers": "suspicion"}


# A hidden field the page itself fills (what the form showed), sent back changed.
TAMPERED = {
    "invalid": _("The form came back changed: open it again from the case page."),
    "min_value": _("The form came back changed: open it again from the case page."),
}


class StepForm(PageForm):
    """What every step records (date, what was done, the outcome, an own due date), plus
    the fields of `transition`."""

    on = date_field(_("Date of the step"))
    done = forms.CharField(label=_("What was done"), max_length=TEXT_MAX, widget=forms.Textarea)
    outcome = forms.CharField(
        label=_("Outcome"), max_length=TEXT_MAX, required=False, widget=forms.Textarea
    )
    next_due = date_field(
        _("Own due date of the next action"),
        required=False,
        help_text=_("Leave empty for the default period."),
    )

    # How many steps the case had when the form was shown: a refusal then says which
    # steps were recorded since (lens.cases.views.step).
    seen = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        label=_("Steps on the form"),
        error_messages=TAMPERED,
    )

    def __init__(
        self, *args, transition: str, flow: Flow | None = None, trigger: str = "", **kwargs
    ):
        kwargs["initial"] = {"on": timezone.localdate(), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.transition = transition
        if transition == "close":
            del self.fields["next_due"]
        else:
            self._propose_due(flow or Flow(), trigger)
        for name, field in self.extra_fields(transition).items():
            self.fields[name] = field
        if transition == "report" and flow is not None:
            # The grounds the case's steps give for the report (a weighing, acute danger,
            # help without lasting safety) ticked already; the report step records them.
            self.fields["report_grounds"].initial = list(case_decision(flow).report_grounds)
        # Closing: the reasons that fit the case; the others listed with why not
        # (lens.casework.closing, the one table the workflow checks too).
        self.unfit: list[tuple[str, str]] = []
        if transition == "close":
            options = close_options(flow or Flow())
            table = texts.CHOICES["close_reason"]
            self.fields["reason"].choices = _choices(
                table, [code for code, why in options if not why], blank=True
            )
            self.unfit = [
                (texts.label(table, code), texts.label(texts.WHY_NOT, why))
                for code, why in options
                if why
            ]
        self.style_widgets()

    def _propose_due(self, flow: Flow, trigger: str = "") -> None:
        """The due date the step sets when the field is left empty, from the workflow's
        own rule (`default_next`: a due report keeps its date) and the step's date (the
        date sent, else today): the date the case page and the work list will show."""
        today = timezone.localdate()
        on = today
        if self.is_bound:
            try:
                on = min(self.fields["on"].clean(self.data.get(self.add_prefix("on"))), today)
            except ValidationError:
                on = today
        _action, due = default_next(flow, self.transition, on, trigger=trigger)
        if due is None:
            return
        when = {"date": date_format(due, "j F Y"), "days": working_days(on, due)}
        if due == today:
            text = _("Leave empty for the default period: today, %(date)s.")
        elif due < today:
            text = _(
                "Leave empty for the default period: %(date)s, counted from the date of the "
                "step: that has passed, the next action is overdue at once."
            )
        elif on == today:
            text = _("Leave empty for the default period: %(date)s (%(days)d working days).")
        else:
            text = _(
                "Leave empty for the default period: %(date)s, counted from the date of the step."
            )
        self.fields["next_due"].help_text = text % when

    @staticmethod
    def extra_fields(transition: str) -> dict[str, forms.Field]:
        choice = forms.ChoiceField
        # open: no field, the trigger is the stored outcome's (lens.cases.actions.trigger_of)
        if transition == "consult":
            fields: dict[str, forms.Field] = {}
            for i in range(1, CONSULTATION_ROWS + 1):
                fields[f"role_{i}"] = choice(
                    label=_("Whom did you consult?"),
                    choices=_choices(texts.CHOICES["role"], CONSULT_ROLES, blank=True),
                    required=i == 1,
                )
                fields[f"organisation_{i}"] = forms.CharField(
                    label=_("Organisation"), max_length=NAME_MAX, required=False
                )
                fields[f"consultee_{i}"] = forms.CharField(
                    label=_("Name or function of whom you spoke to"),
                    max_length=NAME_MAX,
                    required=False,
                )
                fields[f"anonymous_{i}"] = forms.BooleanField(
                    label=_(
                        "Anonymous: the person was not named (only the organisation is recorded)"
                    ),
                    required=False,
                )
            return fields
        # refer: no field, the referral goes to the region's zorgcoördinator
        # (lens.cases.referrals.take_step records which).
        if transition == "referral_answered":
            return {
                "referral_answer": choice(
                    label=_("The care coordinator's answer"),
                    choices=_choices(
                        texts.CHOICES["referral_answer"], REFERRAL_ANSWERS, blank=True
                    ),
                )
            }
        if transition == "converse":
            return {
                "held_with": choice(
                    label=_("Held with"),
                    choices=_choices(texts.CHOICES["held_with"], CONVERSATION_WITH, blank=True),
                    required=False,
                ),
                "not_held_reason": choice(
                    label=_("Or: not held, because"),
                    choices=_choices(
                        texts.CHOICES["not_held_reason"], NOT_HELD_REASONS, blank=True
                    ),
                    required=False,
                ),
            }
        if transition == "weigh":
            return {
                q: choice(label=texts.QUESTIONS[q], choices=YES_NO, widget=forms.RadioSelect)
                for q in QUESTIONS
            }
        if transition == "review_help":
            return {
                "lasting_safety": choice(
                    label=texts.QUESTIONS["lasting"], choices=YES_NO, widget=forms.RadioSelect
                )
            }
        if transition == "report":
            return {
                "organisation": forms.CharField(label=_("Which Veilig Thuis"), max_length=NAME_MAX),
                "report_grounds": forms.MultipleChoiceField(
                    label=_("Grounds of the report"),
                    choices=_choices(texts.CHOICES["report_grounds"], REPORT_GROUND_CODES),
                    widget=forms.CheckboxSelectMultiple,
                ),
            }
        if transition == "acute":
            return {
                "emergency": forms.MultipleChoiceField(
                    label=_("Called or engaged"),
                    choices=_choices(texts.CHOICES["emergency"], EMERGENCY),
                    widget=forms.CheckboxSelectMultiple,
                )
            }
        if transition in ("close", "reopen"):
            table, codes = (
                (texts.CHOICES["close_reason"], CLOSE_REASONS)
                if transition == "close"
                else (texts.CHOICES["reopen_reason"], REOPEN_REASONS)
            )
            return {"reason": choice(label=_("Reason"), choices=_choices(table, codes, blank=True))}
        return {}

    def clean_on(self):
        return not_in_future(self.cleaned_data["on"])

    def step_data(self) -> StepData:
        """The valid form as the workflow's StepData (`by` is set by the action)."""
        d = self.cleaned_data
        extra: dict = {}
        if self.transition == "consult":
            # The filled rows, in order; the workflow numbers them from 1 (`rows` maps its
            # numbers back to the form's rows for its messages).
            self.rows = [i for i in range(1, CONSULTATION_ROWS + 1) if d.get(f"role_{i}")]
            extra["consultations"] = tuple(
                Consultation(
                    d[f"role_{i}"],
                    d[f"organisation_{i}"].strip(),
                    d[f"consultee_{i}"].strip(),
                    d[f"anonymous_{i}"],
                )
                for i in self.rows
            )
        elif self.transition == "converse":
            extra["conversation"] = Conversation(d["held_with"], d["not_held_reason"])
        elif self.transition == "weigh":
            extra["answers"] = Answers.from_mapping({q: d[q] == "yes" for q in QUESTIONS})
        elif self.transition == "review_help":
            extra["lasting_safety"] = d["lasting_safety"] == "yes"
        elif self.transition == "report":
            extra["organisation"] = d["organisation"].strip()
            extra["report_grounds"] = tuple(d["report_grounds"])
        elif self.transition == "referral_answered":
            extra["referral_answer"] = d["referral_answer"]
        elif self.transition == "acute":
            extra["emergency"] = tuple(d["emergency"])
        elif self.transition in ("close", "reopen"):
            extra["reason"] = d["reason"]
        return StepData(
            on=d["on"],
            by="-",
            done=d["done"].strip(),
            outcome=d["outcome"].strip(),
            next_due=d.get("next_due"),
            **extra,
        )

    def clean(self):
        cleaned = super().clean()
        if not submissions.key_is_valid(self.data.get(submissions.FORM_FIELD, "")):
            # The double-submit guard's hidden field missing (or not a key): the form was
            # not the one the page showed. Refused, as other hidden fields changed.
            raise ValidationError(TAMPERED["invalid"], code="tampered")
        if self.transition == "consult":
            # A row with something in it but no role would be dropped without a word.
            for i in range(2, CONSULTATION_ROWS + 1):
                filled = any(cleaned.get(f"{n}_{i}") for n in ("organisation", "consultee"))
                if (filled or cleaned.get(f"anonymous_{i}")) and not cleaned.get(f"role_{i}"):
                    self.add_error(
                        f"role_{i}", _("Choose whom you consulted, or leave this row empty.")
                    )
        return cleaned

    def field_of(self, problem_field: str) -> str:
        """The form's field for a workflow problem's field: a consultation's problem
        ("consultations.<n>.<part>") at the row it came from, a compound field at its
        first part."""
        if problem_field.startswith("consultations."):
            _name, number, part = problem_field.split(".")
            rows = getattr(self, "rows", None) or list(range(1, CONSULTATION_ROWS + 1))
            index = int(number) - 1
            row = rows[index] if 0 <= index < len(rows) else rows[0]
            return f"{part}_{row}"
        return PROBLEM_FIELDS.get(problem_field, problem_field)

    def apply(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            merged: dict[str, list] = {}
            for key, errors in error.error_dict.items():
                merged.setdefault(self.field_of(key), []).extend(errors)
            error = ValidationError(merged)
        super().apply(error)


class HandOverForm(PageForm):
    """To whom the case is handed: a colleague of the organisation."""

    to = forms.TypedChoiceField(label=_("Hand over to"), coerce=int)
    # Who handled the case when the form was shown: the action refuses when it changed
    # hands since, or when this is missing (lens.cases.actions.hand_over).
    handler = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        label=_("Handler on the form"),
        error_messages=TAMPERED,
    )

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [("", "—")] + [
            (m.user_id, m.user.get_full_name().strip() or m.user.get_username()) for m in colleagues
        ]
        self.style_widgets()
