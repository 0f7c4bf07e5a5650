"""The analist's local picture: only published counts (lens.insight.disclosure), never a
person. The filters are GET parameters (lens.web.lists), so a view can be shared."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lens.access.routes import protected
from lens.catalogue import services
from lens.insight.areas import areas
from lens.web import lists, pages

from . import blind_spots, chart, selectors


@protected
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    catalogue, _ruleset = services.active()
    language = pages.language()
    scope = selectors.scope_of(request.membership)
    table = areas()

    def area_label(code: str) -> str:
        if not code:
            return _("Unknown")
        place = table.municipalities.get(code)
        return place.name if place else code

    area = lists.control(
        request,
        "gebied",
        _("Area"),
        [
            (c, area_label(c) if c else _("Everything in your scope"))
            for c in selectors.area_options(scope)
        ],
    )
    period = lists.control(
        request,
        "periode",
        _("Period"),
        [(c, c or _("All periods")) for c in selectors.period_options(timezone.localdate())],
    )
    organisation_types = [("", _("All organisation types"))] + [
        (t.code, t.label.get(language)) for t in catalogue.organisation_types.values()
    ]
    organisation_type = lists.control(request, "type", _("Organisation type"), organisation_types)
    filters = selectors.Filters(
        area=area.chosen,
        period=selectors.Period(period.chosen),
        organisation_type=organisation_type.chosen,
    )
    found = selectors.picture(scope, filters, catalogue)
    area_rows = [
        {
            "label": area_label(code),
            "cells": [found.by_area.cells[(code, c)] for c in found.columns],
            "total": found.by_area.row_totals[code],
            "signals": found.signals_by_area[code],
        }
        for code in found.area_rows
    ]

    def labelled(published, items):
        return [
            {"label": item.label.get(language), "value": published.cells[("all", item.code)]}
            for item in items
        ]

    levels = [
        {
            "label": level,
            "value": found.by_level.cells[("all", level)],
            "share": found.level_shares[level],
        }
        for level in selectors.LEVELS
    ]
    region = catalogue.regions.get(scope.region)
    scope_label = region.label.get(language) if region else scope.region
    if scope.municipality:
        scope_label = area_label(scope.municipality)
    return pages.render(
        request,
        "picture/overview.html",
        {
            "scope_label": scope_label,
            "controls": [area, period, organisation_type],
            "list_notices": lists.notices([area, period, organisation_type]),
            "columns": found.columns,
            "area_rows": area_rows,
            "column_totals": [found.by_area.column_totals[c] for c in found.columns],
            "total": found.by_area.total,
            "indicators": labelled(found.by_indicator, catalogue.indicators.values()),
            "life_domains": labelled(found.by_life_domain, catalogue.life_domains.values()),
            "organisation_types": labelled(
                found.by_organisation_type, catalogue.organisation_types.values()
            ),
            "levels": levels,
            "trend": chart.bars(
                found.columns, [found.by_area.column_totals[c] for c in found.columns]
            ),
            "blind_spots": blind_spots.of(scope, filters, catalogue, language)
            if scope.municipality or filters.area.startswith("GM")
            else None,
        },
    )
