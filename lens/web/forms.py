"""The base of every page form, and the date fields they share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lens.access.purposes import PURPOSE_MAX


def date_field(label, *, required: bool = True, help_text="") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Fill in a date."),
            "invalid": _("Fill in a valid date, for example 2026-03-31."),
        },
    )


def not_in_future(value):
    if value and value > timezone.localdate():
        raise ValidationError(_("This date lies in the future."), code="future")
    return value


REPEATED = _("This field was sent more than once; fill it in once.")


class OneValueEach:
    """A form mixin: a single-valued field sent more than once (`?sex=male&sex=female`)
    is refused at the field, not taken as its last value (Django's default), as the API
    (`repeated`) and the local picture do. Multi-valued fields (checkboxes, multiple
    selects: `allow_multiple_selected`) take every value, as before."""

    def full_clean(self):
        super().full_clean()  # type: ignore[misc]
        data = self.data  # type: ignore[attr-defined]
        if not (self.is_bound and hasattr(data, "getlist")):  # type: ignore[attr-defined]
            return
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if getattr(field.widget, "allow_multiple_selected", False):
                continue
            if len(data.getlist(self.add_prefix(name))) > 1:  # type: ignore[attr-defined]
                self.add_error(name, ValidationError(REPEATED, code="repeated"))  # type: ignore[attr-defined]


class PageForm(OneValueEach, forms.Form):
    """A form of the pages: NL Design System classes on its widgets, each error tied to
    its field for screen readers, and `apply` for an actions-layer ValidationError."""

    # The NL Design System CSS styles `required` inputs as invalid before anyone typed;
    # errors come from the server instead, at the field, with aria-invalid.
    use_required_attribute = False

    # NL Design System classes per widget; the --html-* modifiers give focus and
    # [aria-invalid] styles (docs: /work/shared/reference/nl-design-system.md, pitfalls).
    WIDGET_CLASSES = {
        forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
        forms.Select: "utrecht-select utrecht-select--html-select lens-select",
        forms.TextInput: "utrecht-textbox utrecht-textbox--html-input",
        forms.DateInput: "utrecht-textbox utrecht-textbox--html-input",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        for field in self.fields.values():
            css = self.WIDGET_CLASSES.get(type(field.widget))
            if css:
                field.widget.attrs.setdefault("class", css)

    def full_clean(self):
        super().full_clean()
        self.describe_errors()

    def describe_errors(self) -> None:
        # Point fields with an error at their message (includes/field_error.html gives
        # it the id <field id>_error); Django adds aria-invalid itself.
        for name in self.errors:
            if name in self.fields:
                field = self.fields[name]
                ids = [f"{self[name].auto_id}_helptext"] if field.help_text else []
                ids.append(f"{self[name].auto_id}_error")
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def apply(self, error: ValidationError) -> None:
        """Put an actions-layer ValidationError on this form's fields (or on the form)."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)
        self.describe_errors()


class RevealForm(PageForm):
    """Why the identity is needed: the person page's "Identiteit tonen" and the case
    report with the identity (lens.cases.views_documents) ask it the same way."""

    purpose = forms.CharField(
        label=_("Why do you need to see the identity?"),
        help_text=_(
            "This is written in the access log with your name. For example: to send the "
            "report to Veilig Thuis."
        ),
        max_length=PURPOSE_MAX,
        error_messages={
            "required": _("Say why you need to see the identity."),
            "max_length": _("Keep this to %(limit_value)d characters."),
        },
    )
    # What counts as a purpose is the action's rule (lens.access.purposes.given).


QUOTED_LENGTH = 40  # characters of a refused value an error message names back


def quoted(value: object) -> str:
    """A refused value as an error message names it: its first QUOTED_LENGTH characters
    and "…" (a 2 MB value posted once came back whole in the 400 page; outside probe)."""
    text = str(value)
    return text if len(text) <= QUOTED_LENGTH else text[:QUOTED_LENGTH] + "…"


class MultipleChoiceField(forms.MultipleChoiceField):
    """Django's field, naming a value that is not a choice by `quoted(value)` only."""

    def validate(self, value) -> None:
        try:
            super().validate(value)
        except ValidationError as error:
            for item in error.error_list:
                if item.params and "value" in item.params:
                    item.params = {**item.params, "value": quoted(item.params["value"])}
            raise
