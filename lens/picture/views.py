"""The analist's local picture: only published counts (lens.insight.disclosure), never a
person. The filters are GET parameters (lens.picture.controls), so a view can be shared."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lens.access.actor import actor_from_request
from lens.access.routes import protected
from lens.catalogue import services
from lens.insight.areas import areas
from lens.web import pages, pdf, throttle
from lens.web.head import is_head
from lens.web.places import DISTRICT_NOTE, place_label

from . import blind_spots, chart, controls, cooccurrence, selectors, tables

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def fields_within_limit(view):
    """More query parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS: a Dutch 400 with the reason
    (Django's own answer was "Bad Request (400)" in English, a 500 page under DEBUG).
    Nothing is read or logged: the filters could not be read at all."""

    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            request.GET  # noqa: B018 (parsing the query string is the check)
        except TooManyFieldsSent:
            return HttpResponse(
                _(
                    "This address has too many parameters (more than %(limit)d). The local "
                    "picture takes only its filters: choose them on the page."
                )
                % {"limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return view(request, *args, **kwargs)

    return checked


@protected
@fields_within_limit
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    catalogue, _ruleset = services.active()
    language = pages.language()
    scope = selectors.scope_of(request.membership)
    chosen = controls.read(request, scope, catalogue, language)
    found = selectors.logged_picture(
        actor_from_request(request),
        scope,
        chosen.filters,
        catalogue,
        query=asked(request, chosen),
    )
    return pages.render(
        request,
        "picture/overview.html",
        {
            **_shown(scope, chosen.filters, found, catalogue, language),
            "controls": chosen.controls,
            "unknown_filters": chosen.unknown,
            "query": request.GET.urlencode(),
        },
        status=400 if chosen.unknown else 200,
    )


def _shown(scope, filters, found, catalogue, language: str) -> dict:
    """What the page shows of a picture (and the PDF report, lens.picture.views.report)."""
    area_rows = [
        {
            "label": place_label(code),
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
            "share": tables.about_share(found.level_shares[level]),
        }
        for level in selectors.LEVELS
    ]
    region = catalogue.regions.get(scope.region)
    scope_label = region.label.get(language) if region else scope.region
    if scope.municipality:
        scope_label = place_label(scope.municipality)
    return {
        "withheld": tables.withheld(found),
        "method": tables.SUPPRESSION,  # the exports' note too: one text
        "scope_label": scope_label,
        "columns": found.columns,
        "area_rows": area_rows,
        # The rows are districts: say why they show a code (lens.web.places).
        "district_note": DISTRICT_NOTE
        if any(code in areas().districts for code in found.area_rows)
        else "",
        "column_totals": [found.by_area.column_totals[c] for c in found.columns],
        "total": found.by_area.total,
        "signals_total": found.signals_total,
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
        "together_shown": found.together.shown,
        "phenomena": []
        if found.small_selection
        else cooccurrence.phenomenon_rows(
            found.together, label_of(catalogue.phenomena), label_of(catalogue.indicators)
        ),
        "trend": chart.bars(found.columns, [found.by_area.column_totals[c] for c in found.columns]),
        "blind_spots": blind_spots.of(scope, filters, catalogue, language, found)
        if scope.municipality or filters.area.startswith("GM")
        else None,
    }


@protected
@fields_within_limit
@never_cache
@require_safe
def download(request: HttpRequest, format: str) -> HttpResponse:
    """The page's tables for the same filters as CSV or XLSX (lens.picture.tables), from
    the same selector, checked and logged as the page (as an export)."""
    if format not in CONTENT_TYPES:
        raise Http404
    catalogue, _ruleset = services.active()
    language = pages.language()
    scope = selectors.scope_of(request.membership)
    chosen = controls.read(request, scope, catalogue, language)
    if chosen.unknown:
        return refused(request, scope, chosen, export=format)
    response = HttpResponse(content_type=CONTENT_TYPES[format])
    name = file_name(scope, chosen.filters, format)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if is_head(request):
        return response  # the headers only: nothing made, nothing exported, nothing logged
    found = selectors.logged_picture(
        actor_from_request(request), scope, chosen.filters, catalogue, export=format
    )
    made = tables.tables(found, catalogue, language)
    if format == "csv":
        response.write("\ufeff")  # a BOM, so that spreadsheet programs read UTF-8
        response.write(tables.as_csv(made))
    else:
        response.write(tables.as_xlsx(made))
    return response


def file_name(scope, filters, format: str) -> str:
    """The download's file name: what it holds (area, period, every filter chosen) and the
    day it was made, in ASCII letters, digits and hyphens (e.g.
    lokaal-beeld-tilburg-2026-09-indicator-finances-2026-12-07.csv)."""
    area = filters.area or scope.municipality
    parts = [
        place_label(area) if area else scope.region,
        filters.period.code or "alle-perioden",
        *(
            f"{name}-{value}"
            for name, value in (
                ("type", filters.organisation_type),
                ("indicator", filters.indicator),
                ("leefgebied", filters.life_domain),
                ("fenomeen", filters.phenomenon),
            )
            if value
        ),
        timezone.localdate().isoformat(),
    ]
    slug = "-".join(slugify(part.replace("_", "-")) for part in parts)
    return f"lokaal-beeld-{slug}.{format}"


def asked(request: HttpRequest, chosen) -> str:
    """The request's own query string when the picture does not know one of its values,
    for the access log: what was asked, beside what was shown (or refused)."""
    return request.GET.urlencode()[:300] if chosen.unknown else ""


def refused(request: HttpRequest, scope, chosen, *, export: str) -> HttpResponse:
    """A download of other figures than asked for would mislead: refuse it (400). The
    refused query is logged as the page logs one (selectors.log_query): asking a
    municipality analist's download for another municipality leaves its trace too."""
    selectors.log_query(
        actor_from_request(request),
        scope,
        chosen.filters,
        export=export,
        query=asked(request, chosen),
        refused=True,
    )
    values = "; ".join(str(item) for item in chosen.unknown)
    return HttpResponse(
        _("We do not know this filter value: %(values)s") % {"values": values},
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@protected
@fields_within_limit
@never_cache
@require_safe
def report(request: HttpRequest) -> HttpResponse:
    """The "lokaal beeld" report as PDF (lens.web.pdf): the page's tables, trend chart,
    blind spots and method for the same filters, from the same selector, logged as an
    export. Made on request, not stored."""
    catalogue, _ruleset = services.active()
    language = pages.language()
    scope = selectors.scope_of(request.membership)
    chosen = controls.read(request, scope, catalogue, language)
    if chosen.unknown:
        return refused(request, scope, chosen, export="pdf")
    filename = file_name(scope, chosen.filters, "pdf")
    if is_head(request):
        return pdf.pdf_response(b"", filename)  # the headers only: nothing made or logged
    # 2-3 s of CPU each: a budget per user (lens.web.throttle).
    if too_many := throttle.page_budget(request, "picture_report", who=str(request.user.pk)):
        return too_many
    found = selectors.logged_picture(
        actor_from_request(request), scope, chosen.filters, catalogue, export="pdf"
    )
    context = {
        **_shown(scope, chosen.filters, found, catalogue, language),
        "chosen": [
            {"label": control.label, "value": dict(control.options)[control.chosen]}
            for control in chosen.controls
        ],
        "made_on": timezone.localtime(),
    }
    content = pdf.render_pdf("picture/report.html", context, request)
    return pdf.pdf_response(content, filename)
