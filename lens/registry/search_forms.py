"""Forms of the search page and of the own reference (eigen kenmerk). They only carry
what was typed: the rules are lens.registry.search and lens.registry.references, whose
ValidationErrors land on these fields (`PageForm.apply`)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lens.web.forms import PageForm, date_field

# A guard against absurd input only; the rules (64 characters for a reference) are the
# actions layer's and come back as a Dutch message at the field.
_INPUT_MAX = 1000


def reference_field() -> forms.CharField:
    return forms.CharField(
        label=_("Own reference (optional)"),
        help_text=_(
            "Your organisation's own number for this person, such as a client or file "
            "number. Stored encrypted; you can search by it."
        ),
        required=False,
        max_length=_INPUT_MAX,
    )


class ReferenceForm(PageForm):
    reference = reference_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference"].label = _("Own reference")
        self.fields["reference"].help_text = _(
            "Your organisation's own number for this person, such as a client or file "
            "number. Leave empty to remove it."
        )


class SearchForm(PageForm):
    reference = forms.CharField(label=_("Own reference"), required=False, max_length=_INPUT_MAX)
    given_names = forms.CharField(label=_("Given names"), required=False, max_length=_INPUT_MAX)
    family_name = forms.CharField(
        label=_("Family name"),
        help_text=_("With prefixes such as van or de."),
        required=False,
        max_length=_INPUT_MAX,
    )
    birth_date = date_field(_("Birth date"), required=False)

    def terms(self) -> dict:
        """Keyword arguments for lens.registry.search.find."""
        data = self.cleaned_data
        return {
            "reference": data.get("reference", ""),
            "given_names": data.get("given_names", ""),
            "family_name": data.get("family_name", ""),
            "birth_date": data.get("birth_date"),
        }
