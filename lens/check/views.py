"""The anonymous signal check: start page, the form and the outcome.

Nothing about the person being checked is stored, logged or tracked. The answers travel
only in the body of a POST (never in the URL, so never in server logs, browser history
or Referer headers), the outcome is computed and rendered in the same response, and no
cookie is set: no session, no CSRF cookie, no language cookie (the language is in the
URL: Dutch at /, English at /en/). Responses are marked `no-store` so a shared computer
does not keep the answers in its cache.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from lens.catalogue import services
from lens.rules import report
from lens.rules.engine import InputError, Outcome, assess
from lens.rules.model import Catalogue, Contact, Ruleset

from .forms import CheckForm, form_groups, signals_by_life_domain

# Each bar in the lens picture is drawn with one of these width classes (CSS has no
# inline styles: the Content Security Policy forbids them).
BAR_STEPS = 10


def _language() -> str:
    return translation.get_language() or "nl"


def _active_or_503(request: HttpRequest) -> tuple[Catalogue, Ruleset] | HttpResponse:
    try:
        return services.active()
    except services.NoCatalogueLoaded:
        return render(request, "check/unavailable.html", status=503)


def _other_languages(request: HttpRequest, url_name: str) -> list[dict[str, str]]:
    """The same page in the other languages, for the language switch."""
    current = _language()
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        with translation.override(code):
            links.append({"code": code, "name": name, "url": reverse(url_name)})
    return links


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    return render(
        request, "check/start.html", {"other_languages": _other_languages(request, "check:start")}
    )


def _render_form(request: HttpRequest, form: CheckForm, status: int = 200) -> HttpResponse:
    errors = []
    if form.is_bound and form.errors:
        for message in form.non_field_errors():
            errors.append({"message": message, "target": ""})
        for name, field_errors in form.errors.items():
            if name == "__all__":
                continue
            bound = form[name]
            target = bound.auto_id
            if name.startswith("signal_"):
                target = f"{bound.auto_id}_yes"  # the first radio of the group
            elif name == "risk_factors":
                target = f"{bound.auto_id}_0"
            for message in field_errors:
                errors.append({"message": f"{bound.label}: {message}", "target": target})
    context = {
        "form": form,
        "groups": form_groups(form),
        "errors": errors,
        "risk_factors": [
            (r, r.label.get(form.language), r.explanation.get(form.language))
            for r in form.catalogue.risk_factors.values()
        ],
        "selected_risk_factors": form.selected_risk_factors(),
        "selected_region": form.selected_region(),
        "hidden_answers": form.hidden_answers() if form.is_bound else [],
        "other_languages": _other_languages(request, "check:form"),
    }
    return render(request, "check/form.html", context, status=status)


# Why no CSRF protection on the two POST views: CSRF protects against a forged request
# that makes a change on behalf of a logged-in user. These views change nothing: no
# login, no session, nothing stored or sent on; they only compute a page from the posted
# answers and return it to whoever posted them. A forged cross-site POST would show its
# author's made-up answers to the person tricked into sending them, and the attacker
# cannot read that response (same-origin policy) or frame it (X-Frame-Options DENY,
# frame-ancestors 'none'). A CSRF token would need a cookie, which this check avoids.
# Keep it this way: a view that stores or sends anything must not be csrf_exempt.


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def check_form(request: HttpRequest) -> HttpResponse:
    """GET: an empty form. POST: the form filled in with the posted answers (from the
    outcome's "Antwoorden aanpassen" button)."""
    loaded = _active_or_503(request)
    if isinstance(loaded, HttpResponse):
        return loaded
    catalogue, _ruleset = loaded
    language = _language()
    if request.method != "POST":
        return _render_form(request, CheckForm(catalogue=catalogue, language=language))
    form = CheckForm(request.POST, catalogue=catalogue, language=language)
    return _render_form(request, form, status=200 if form.is_valid() else 400)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def outcome(request: HttpRequest) -> HttpResponse:
    """POST: assess the answers and show the outcome directly (no redirect, no session).
    GET: there is nothing to show (answers never travel in URLs): go to the form."""
    if request.method != "POST":
        return redirect("check:form")
    loaded = _active_or_503(request)
    if isinstance(loaded, HttpResponse):
        return loaded
    catalogue, ruleset = loaded
    language = _language()
    form = CheckForm(request.POST, catalogue=catalogue, language=language)
    if not form.is_valid():
        return _render_form(request, form, status=400)
    try:
        result = assess(catalogue, ruleset, form.assessment_input(), today=timezone.localdate())
    except InputError as exc:
        # The form checks every code against the same catalogue, so this means the two
        # disagree; show it as a form error rather than failing.
        for problem in exc.problems:
            form.add_error(
                None,
                _(
                    "The answer %(value)s does not match the list of signals. Check your "
                    "answers and send them again."
                )
                % {"value": problem.value},
            )
        return _render_form(request, form, status=400)
    context = outcome_context(catalogue, ruleset, result, form, language)
    context["other_languages"] = _other_languages(request, "check:outcome")
    return render(request, "check/outcome.html", context)


# --- the outcome page's content ----------------------------------------------------------


def tel_href(phone: str) -> str:
    """`tel:` URI of a phone number as written in the catalogue ("06 105 994 58")."""
    return "tel:" + re.sub(r"[^\d+]", "", phone)


@dataclass(frozen=True)
class Bar:
    value: float
    cap: float

    @property
    def shown(self) -> str:
        return str(report.number(self.value))

    @property
    def step(self) -> int:
        """Width in tenths of the full bar (0..10); at least 1 for any value above 0."""
        if self.value <= 0 or self.cap <= 0:
            return 0
        return max(1, min(BAR_STEPS, round(BAR_STEPS * self.value / self.cap)))


def _contact(contact: Contact, language: str) -> dict:
    return {
        "label": contact.label.get(language),
        "explanation": contact.explanation.get(language),
        "role": contact.role,
        "phone": contact.phone,
        "tel": tel_href(contact.phone) if contact.phone else "",
        "url": contact.url,
        "email": contact.email,
        "hours": contact.hours.get(language) if contact.hours else "",
        "always_available": contact.always_available,
    }


def _lens_picture(catalogue: Catalogue, ruleset: Ruleset, result: Outcome, language: str):
    """The lens as leefgebieden x indicatoren: per cell the value of the signals that
    fall under both (a signal under two indicators counts in both cells, but once in
    each total: the totals are the engine's own values)."""
    domains = sorted(catalogue.life_domains.values(), key=lambda d: (d.order, d.code))
    indicators = list(catalogue.indicators.values())
    cells: dict[tuple[str, str], float] = {}
    for counted in result.signals:
        for d in counted.life_domains:
            for i in counted.indicators:
                cells[(i, d)] = cells.get((i, d), 0.0) + counted.weight
    domain_totals = {v.code: v.value for v in result.life_domain_values}
    indicator_totals = {v.code: v.value for v in result.indicator_values}
    blind = {(b.kind, b.code): b.status for b in result.blind_spots}

    rows = [
        {
            "label": i.label.get(language),
            "cells": [str(report.number(cells.get((i.code, d.code), 0))) for d in domains],
            "total": str(report.number(indicator_totals.get(i.code, 0))),
        }
        for i in indicators
    ]
    cards = []
    for d in domains:
        parts = [
            {
                "label": i.label.get(language),
                "bar": Bar(cells[(i.code, d.code)], ruleset.indicator_cap),
            }
            for i in indicators
            if cells.get((i.code, d.code), 0) > 0
        ]
        cards.append(
            {
                "label": d.label.get(language),
                "bar": Bar(domain_totals.get(d.code, 0), ruleset.life_domain_cap),
                "status": blind.get(("life_domain", d.code), "seen"),
                "indicators": parts,
            }
        )
    return {
        "domains": [d.label.get(language) for d in domains],
        "rows": rows,
        "domain_totals": [str(report.number(domain_totals.get(d.code, 0))) for d in domains],
        "cards": cards,
    }


def _blind_spots(catalogue: Catalogue, result: Outcome, language: str) -> dict[str, list]:
    spots: dict[str, list] = {"life_domain": [], "indicator": []}
    for spot in result.blind_spots:
        areas = catalogue.life_domains if spot.kind == "life_domain" else catalogue.indicators
        area = areas.get(spot.code)
        spots[spot.kind].append(
            {
                "label": area.label.get(language) if area else spot.code,
                "status": spot.status,
                "unknown_signals": [
                    catalogue.signals[c].label.get(language)
                    for c in spot.unknown_signals
                    if c in catalogue.signals
                ],
                "seen_by": [
                    catalogue.organisation_types[c].label.get(language)
                    for c in spot.seen_by
                    if c in catalogue.organisation_types
                ],
            }
        )
    return spots


def outcome_context(
    catalogue: Catalogue, ruleset: Ruleset, result: Outcome, form: CheckForm, language: str
) -> dict:
    """Everything the outcome page shows, in the page language."""
    lines = report.explanation_lines(result, ruleset, language)
    caveat = report.PHRASES["en" if language.startswith("en") else "nl"]["caveat"]
    label = {
        "signal": lambda c: catalogue.signals[c].label.get(language),
        "risk": lambda c: catalogue.risk_factors[c].label.get(language),
    }
    answers = {code: form.answer(code) for code in catalogue.signals}
    by_domain = [
        {
            "label": domain.label.get(language),
            "yes": [s.label.get(language) for s in signals if answers[s.code] == "yes"],
        }
        for domain, signals in signals_by_life_domain(catalogue)
    ]
    tips = list(catalogue.conversation_tips.values())
    principles = sorted(catalogue.principles.values(), key=lambda p: 0 if "punish" in p.code else 1)
    region = catalogue.regions.get(result.region)
    levels = sorted(ruleset.levels, key=lambda lv: lv.number)
    return {
        "result": result,
        "level": result.level,
        "level_label": result.level.label.get(language),
        "level_meaning": result.level.meaning.get(language),
        "is_acute": result.level.number >= 4,
        "max_level": levels[-1].number if levels else 4,
        "levels": [
            {
                "number": lv.number,
                "label": lv.label.get(language),
                "current": lv.number == result.level.number,
            }
            for lv in levels
        ],
        "caveat": caveat,
        "explanation": [line for line in lines if line != caveat],
        "answered_by_domain": [d for d in by_domain if d["yes"]],
        "unknown_signals": [label["signal"](c) for c in result.unknown],
        "risk_factors": [label["risk"](c) for c in result.risk_factors],
        "region": region.label.get(language) if region else "",
        "lens": _lens_picture(catalogue, ruleset, result, language),
        "blind_spots": _blind_spots(catalogue, result, language),
        "steps": [
            {
                "number": s.number,
                "label": s.label.get(language),
                "explanation": s.explanation.get(language),
            }
            for s in result.steps
        ],
        "contacts": [_contact(c, language) for c in result.contacts if c.phone != "112"],
        "route": [
            {
                "number": s.number,
                "label": s.label.get(language),
                "explanation": s.explanation.get(language),
            }
            for s in sorted(catalogue.steps.values(), key=lambda s: s.number)
            if s.route == "route"
        ],
        "tips_helps": [t.label.get(language) for t in tips if t.kind == "helps"],
        "tips_hinders": [t.label.get(language) for t in tips if t.kind == "hinders"],
        "tips_detail": [
            {
                "label": t.label.get(language),
                "explanation": t.explanation.get(language),
                "kind": t.kind,
            }
            for t in tips
        ],
        "thresholds": [
            {
                "number": t.number,
                "doubt": t.label.get(language),
                "answer": t.explanation.get(language),
            }
            for t in sorted(catalogue.thresholds.values(), key=lambda t: t.number)
        ],
        "principles": [
            {"label": p.label.get(language), "explanation": p.explanation.get(language)}
            for p in principles
        ],
        "hidden_answers": form.hidden_answers(),
        "answered_count": sum(1 for a in answers.values() if a),
        "signal_count": len(catalogue.signals),
    }
