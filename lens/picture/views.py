"""The analist's local picture: only published counts (lens.insight.disclosure), never a
person. The filters are GET parameters (lens.picture.controls), so a view can be shared."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from lens.access.actor import actor_from_request
from lens.access.routes import protected
from lens.catalogue import services
from lens.web import pages

from . import blind_spots, chart, controls, cooccurrence, selectors


@protected
@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    catalogue, _ruleset = services.active()
    language = pages.language()
    scope = selectors.scope_of(request.membership)
    area_label = controls.area_label
    chosen = controls.read(request, scope, catalogue, language)
    filters = chosen.filters
    found = selectors.logged_picture(actor_from_request(request), scope, filters, catalogue)
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

    def label_of(items):
        return lambda code: items[code].label.get(language)

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
            "controls": chosen.controls,
            "unknown_filters": chosen.unknown,
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
            "small_selection": found.small_selection,
            "pairs": []
            if found.small_selection
            else cooccurrence.pair_rows(found.together, label_of(catalogue.indicators)),
            "pairs_total": found.together.by_pair.total,
            "phenomena": []
            if found.small_selection
            else cooccurrence.phenomenon_rows(
                found.together, label_of(catalogue.phenomena), label_of(catalogue.indicators)
            ),
            "trend": chart.bars(
                found.columns, [found.by_area.column_totals[c] for c in found.columns]
            ),
            "blind_spots": blind_spots.of(scope, filters, catalogue, language)
            if scope.municipality or filters.area.startswith("GM")
            else None,
        },
        status=400 if chosen.unknown else 200,
    )
