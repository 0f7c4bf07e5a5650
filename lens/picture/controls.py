"""The filter controls above the local picture, read from the query string (lens.web.lists),
and the values asked for that are not among the options. Such a value is not silently
ignored: the page names it ("Dit filter kennen we niet") and shows that filter's default
(everything), with status 400 (issue 11, "Bad filters ... a clear message and status 400").
Parameters the picture does not know by name are left alone, as on every list."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.rules.model import Catalogue
from lens.web import lists
from lens.web.places import place_label

from .filters import Filters, Period, Scope, area_options, period_options
from .years import first_year


@dataclass(frozen=True)
class Unknown:
    label: str  # the filter's label, e.g. "Gebied"
    value: str  # what the URL asked for
    reason: str = ""  # why it is refused, when not an unknown value (e.g. repeated)

    def __str__(self) -> str:
        return f"{self.label}: {self.value}" + (f" ({self.reason})" if self.reason else "")


@dataclass(frozen=True)
class Chosen:
    filters: Filters
    controls: list[lists.Control]
    unknown: list[Unknown]


SHOWN_LENGTH = 100


def _printable(value: str) -> str:
    """A value named back as it was typed, with every character that would not show (a
    control character, a non-breaking or zero-width space) written as its escape (\\x00,
    \\u00a0), and cut with "…" after SHOWN_LENGTH characters; the template escapes the
    HTML. Dropping them instead named a cleaned value: "2026" for "2026\\x00", a value the
    picture does know (outside probe)."""
    shown = "".join(char if char.isprintable() else _escape(char) for char in value)
    return shown if len(shown) <= SHOWN_LENGTH else shown[:SHOWN_LENGTH] + "…"


def _escape(char: str) -> str:
    number = ord(char)
    if number < 0x100:
        return f"\\x{number:02x}"
    return f"\\u{number:04x}" if number < 0x10000 else f"\\U{number:08x}"


def read(request: HttpRequest, scope: Scope, catalogue: Catalogue, language: str) -> Chosen:
    def items(everything: str, found) -> list[tuple[str, str]]:
        return [("", everything)] + [(i.code, i.label.get(language)) for i in found.values()]

    everywhere = _("Everything in your scope")
    controls = [
        lists.control(
            request,
            "gebied",
            _("Area"),
            [(c, place_label(c) if c else everywhere) for c in area_options(scope)],
        ),
        lists.control(
            request,
            "periode",
            _("Period"),
            [
                (c, c or _("All periods"))
                for c in period_options(timezone.localdate(), first_year())
            ],
        ),
        lists.control(
            request,
            "type",
            _("Organisation type"),
            items(_("All organisation types"), catalogue.organisation_types),
        ),
        lists.control(
            request, "indicator", _("Indicator"), items(_("All indicators"), catalogue.indicators)
        ),
        lists.control(
            request,
            "leefgebied",
            _("Leefgebied"),
            items(_("All leefgebieden"), catalogue.life_domains),
        ),
        lists.control(
            request, "fenomeen", _("Phenomenon"), items(_("All phenomena"), catalogue.phenomena)
        ),
    ]
    if scope.municipality and request.GET.get("gebied") == scope.municipality:
        # The municipality's own code is its whole scope: a link the region's analist
        # shares (?gebied=GM0766) works for the municipality's analist too.
        controls[0] = dataclasses.replace(controls[0], chosen="", refused=False)
    unknown = []
    for control in controls:
        every = request.GET.getlist(control.name)
        if control.repeated:
            shown = _printable(", ".join(every))
            reason = _("given more than once; a filter takes one value")
            unknown.append(Unknown(control.label, shown, reason))
        elif every and every[-1] and control.refused:
            unknown.append(Unknown(control.label, _printable(every[-1])))
    area, period, organisation_type, indicator, life_domain, phenomenon = (
        c.chosen for c in controls
    )
    filters = Filters(
        area=area,
        period=Period(period),
        organisation_type=organisation_type,
        indicator=indicator,
        life_domain=life_domain,
        phenomenon=phenomenon,
    )
    return Chosen(filters=filters, controls=controls, unknown=unknown)
