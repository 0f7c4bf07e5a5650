"""What a registration records for the local picture: where the person lives (municipality,
optionally wijk, optionally the four digits of the postcode) and the linked phenomena.

One rule, used by the actions layer (lens.registry.actions.register_signals) and by the
registration form for its field errors: `where()` checks and completes the answers, and
raises a ValidationError keyed by field name. Only PC4 is ever kept: a full postcode is
refused ("alleen de vier cijfers"), never cut down silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lens.insight.areas import DATA_YEAR, InvalidPostcode, area_region, areas, normalise_pc4
from lens.rules.model import Catalogue
from lens.web.places import DISTRICT_NOTE, district_label

FIELDS = ("municipality_code", "wijk_code", "pc4", "phenomena")


FULL_POSTCODE = re.compile(r"[1-9][0-9]{3}\s*[A-Za-z]{2}")
PC4_INPUT_MAX = 8  # characters typed for the PC4 (the form's field and the API's)
# The code of each refusal (the API shows it beside the message, lens.api.errors).
FULL_POSTCODE_CODE = "full_postcode"
INVALID_POSTCODE = "invalid_postcode"
POSTCODE_OUTSIDE_REGION = "postcode_outside_region"
UNKNOWN_MUNICIPALITY = "unknown_municipality"
UNKNOWN_WIJK = "unknown_wijk"
UNKNOWN_PHENOMENON = "unknown_code"
CODES = (
    FULL_POSTCODE_CODE,
    INVALID_POSTCODE,
    POSTCODE_OUTSIDE_REGION,
    UNKNOWN_MUNICIPALITY,
    UNKNOWN_WIJK,
    UNKNOWN_PHENOMENON,
)


@dataclass(frozen=True)
class Where:
    """The validated answers, as Registration stores them."""

    municipality_code: str = ""
    wijk_code: str = ""
    pc4: str = ""
    areas_year: int | None = None
    phenomena: list[str] = field(default_factory=list)

    def fields(self) -> dict:
        return asdict(self)


# The keyword arguments of `where` (and of register_signals beside the observation).
ANSWERS = ("municipality_code", "wijk_code", "pc4", "phenomena")


def where(
    catalogue: Catalogue,
    *,
    region: str,
    municipality_code: str = "",
    wijk_code: str = "",
    pc4: str = "",
    phenomena: Iterable[str] = (),
) -> Where:
    """Check the answers against the area table (the municipality must lie in `region`,
    the wijk in the municipality) and the catalogue's phenomena. A PC4 fills an empty
    municipality and wijk from the table (the area holding most of its addresses)."""
    table = areas()
    region = area_region(region)
    errors: dict[str, list[ValidationError]] = {}

    def refuse(name: str, message: str, code: str) -> None:
        errors[name] = [ValidationError(message, code=code)]

    municipality_code = (municipality_code or "").strip()
    wijk_code = (wijk_code or "").strip()
    pc4 = (pc4 or "").strip()
    if pc4:
        if FULL_POSTCODE.fullmatch(pc4):
            refuse(
                "pc4",
                _("Only the four digits of the postcode, e.g. 5038; no letters."),
                FULL_POSTCODE_CODE,
            )
        else:
            try:
                pc4 = normalise_pc4(pc4)
            except InvalidPostcode:
                refuse(
                    "pc4", _("Enter the four digits of a postcode, e.g. 5038."), INVALID_POSTCODE
                )
            else:
                found = table.lookup(pc4)
                in_region = found and found.municipality and found.municipality.region == region
                if not in_region:
                    refuse(
                        "pc4",
                        _("This postcode is not in a municipality of your region; choose one."),
                        POSTCODE_OUTSIDE_REGION,
                    )
                elif not municipality_code or municipality_code == found.municipality_code:
                    municipality_code = found.municipality_code
                    wijk_code = wijk_code or found.district_code
    if wijk_code and not municipality_code and wijk_code in table.districts:
        municipality_code = table.districts[wijk_code].municipality_code
    if municipality_code:
        municipality = table.municipalities.get(municipality_code)
        if municipality is None or municipality.region != region:
            refuse(
                "municipality_code",
                _("Choose a municipality of your region."),
                UNKNOWN_MUNICIPALITY,
            )
    if wijk_code:
        district = table.districts.get(wijk_code)
        if district is None or district.municipality_code != municipality_code:
            refuse("wijk_code", _("Choose a district of the municipality chosen."), UNKNOWN_WIJK)
    codes = list(dict.fromkeys(phenomena or ()))
    unknown = [c for c in codes if c not in catalogue.phenomena]
    if unknown:
        refuse(
            "phenomena",
            _("These phenomena are not in the catalogue: %(codes)s.")
            % {"codes": ", ".join(unknown)},
            UNKNOWN_PHENOMENON,
        )
    if errors:
        raise ValidationError(errors)
    return Where(
        municipality_code=municipality_code,
        wijk_code=wijk_code,
        pc4=pc4,
        areas_year=DATA_YEAR if municipality_code else None,
        phenomena=[c for c in catalogue.phenomena if c in codes],
    )


def kept(registration) -> Where:
    """The answers of a registration as stored (a correction carries them over)."""
    return Where(
        municipality_code=registration.municipality_code,
        wijk_code=registration.wijk_code,
        pc4=registration.pc4,
        areas_year=registration.areas_year,
        phenomena=list(registration.phenomena or []),
    )


# --- the form's fields ---------------------------------------------------------------------


def municipality_choices(region: str) -> list[tuple[str, str]]:
    region = area_region(region)
    return [("", _("Not known"))] + [(m.code, m.name) for m in areas().municipalities_in(region)]


def wijk_choices(region: str) -> list[tuple[str, list[tuple[str, str]]] | tuple[str, str]]:
    """Districts grouped by municipality, named as lens.web.places names them (the
    source has no district names)."""
    choices: list = [("", _("Not known"))]
    region = area_region(region)
    for municipality in areas().municipalities_in(region):
        districts = areas().districts_of(municipality.code)
        choices.append((municipality.name, [(d.code, district_label(d.code)) for d in districts]))
    return choices


def add_fields(form, catalogue: Catalogue, language: str, region: str) -> None:
    """Add the area and phenomenon fields to a registration form (lens.registry.forms)."""
    from django import forms

    form.fields["municipality_code"] = forms.ChoiceField(
        label=_("Municipality where the person lives (optional)"),
        choices=municipality_choices(region),
        required=False,
    )
    form.fields["wijk_code"] = forms.ChoiceField(
        label=_("District (optional)"),
        help_text=" ".join((_("Leave empty when you do not know it."), str(DISTRICT_NOTE))),
        choices=wijk_choices(region),
        required=False,
    )
    form.fields["pc4"] = forms.CharField(
        label=_("Or the four digits of the postcode (optional)"),
        help_text=_("Only the four digits, e.g. 5038: the municipality and district follow."),
        required=False,
        max_length=PC4_INPUT_MAX,
    )
    form.fields["phenomena"] = forms.MultipleChoiceField(
        label=_("Linked phenomena you see with it (optional)"),
        choices=[(p.code, p.label.get(language)) for p in catalogue.phenomena.values()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def clean(form, region: str) -> None:
    """The form's clean(): the same rule as the action, its errors on the fields."""
    data = form.cleaned_data
    try:
        found = where(
            form.catalogue, region=region, **{name: data.get(name) or "" for name in FIELDS[:3]}
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name in form.fields:
                for message in messages:
                    form.add_error(name, message)
        return
    data["municipality_code"], data["wijk_code"], data["pc4"] = (
        found.municipality_code,
        found.wijk_code,
        found.pc4,
    )


def answers(form) -> dict:
    """Keyword arguments for register_signals from a form with these fields."""
    data = form.cleaned_data
    return {
        "municipality_code": data.get("municipality_code", ""),
        "wijk_code": data.get("wijk_code", ""),
        "pc4": data.get("pc4", ""),
        "phenomena": data.get("phenomena", []),
    }


def phenomenon_rows(form, language: str) -> list[dict]:
    chosen = set(form._selected("phenomena"))
    return [
        {
            "code": p.code,
            "label": p.label.get(language),
            "help": p.explanation.get(language),
            "checked": p.code in chosen,
            "id": f"id_phenomena_{i}",
        }
        for i, p in enumerate(form.catalogue.phenomena.values())
    ]
