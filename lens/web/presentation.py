"""How a lens outcome looks on a page: plain functions from the engine's Outcome, the
Catalogue (and Ruleset) and a language to template context.

Two pages show an outcome: the anonymous check's result page (lens.check) and a person's
page in the registry (lens.registry). Both build their context here and draw it with the
same includes (lens/templates/includes/outcome/), so the level, the lens picture, the
blind spots and the contacts look and read the same on both.

No request, no database, no gettext here: what the functions return is data in the
language asked for (the catalogue's own texts and lens.rules.report's sentences); the
templates add the interface's translated words around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lens.rules import report
from lens.rules.engine import Outcome
from lens.rules.model import Catalogue, Contact, Ruleset

# Each bar in the lens picture is drawn with one of these width classes (CSS has no
# inline styles: the Content Security Policy forbids them): lens-bar__fill--0 .. --10.
BAR_STEPS = 10

# The emergency number is always shown first, by the contacts include itself; the
# catalogue's 112 entry is left out of the list so that it is not shown twice.
EMERGENCY_NUMBER = "112"


def page_language(language: str) -> str:
    """The catalogue language for a page language ("en-gb" -> "en"; else Dutch)."""
    return "en" if language.startswith("en") else "nl"


def tel_href(phone: str) -> str:
    """`tel:` URI of a phone number as written in the catalogue ("06 105 994 58")."""
    return "tel:" + re.sub(r"[^\d+]", "", phone)


@dataclass(frozen=True)
class Bar:
    value: float
    cap: float

    @property
    def shown(self) -> float | int:
        """The value as a number: the template localises it ("2,5" in Dutch)."""
        return report.number(self.value)

    @property
    def step(self) -> int:
        """Width in tenths of the full bar (0..10); at least 1 for any value above 0."""
        if self.value <= 0 or self.cap <= 0:
            return 0
        return max(1, min(BAR_STEPS, round(BAR_STEPS * self.value / self.cap)))


# --- the parts of an outcome ----------------------------------------------------------------


def level(result: Outcome, ruleset: Ruleset, language: str) -> dict[str, Any]:
    """The level reached, its meaning and the whole scale (includes/outcome/level.html)."""
    levels = sorted(ruleset.levels, key=lambda lv: lv.number)
    return {
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
    }


def explanation(
    result: Outcome,
    ruleset: Ruleset,
    language: str,
    *,
    parent: bool = False,
    catalogue: Catalogue | None = None,
) -> dict[str, Any]:
    """Why this level, in sentences (in a parent's or carer's words with `parent`); the
    caveat apart (it is shown as its own alert). The sentences are lens.rules.report's,
    the same as `lens assess` and the API give: one rule sentence, for the rule that
    decided the level (lens.rules.engine.deciding_rule)."""
    lang = page_language(language)
    caveat = report.PHRASES[lang]["caveat"]
    lines = report.explanation_lines(result, ruleset, lang, parent=parent, catalogue=catalogue)
    return {"caveat": caveat, "explanation": [line for line in lines if line != caveat]}


def lens_picture(
    catalogue: Catalogue, ruleset: Ruleset, result: Outcome, language: str
) -> dict[str, Any]:
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
            "cells": [report.number(cells.get((i.code, d.code), 0)) for d in domains],
            "total": report.number(indicator_totals.get(i.code, 0)),
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
        "domain_totals": [report.number(domain_totals.get(d.code, 0)) for d in domains],
        "cards": cards,
        # the ruleset's caps on the totals (the cells are not capped), said under the table
        "caps": {
            "indicator": report.number(ruleset.indicator_cap),
            "life_domain": report.number(ruleset.life_domain_cap),
            "theme": report.number(ruleset.theme_cap),
        },
    }


def blind_spots(catalogue: Catalogue, result: Outcome, language: str) -> dict[str, list]:
    """The parts of the lens without information, with who could see them."""
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


def contact(item: Contact, language: str) -> dict[str, Any]:
    return {
        "label": item.label.get(language),
        "explanation": item.explanation.get(language),
        "role": item.role,
        "phone": item.phone,
        "tel": tel_href(item.phone) if item.phone else "",
        "url": item.url,
        "email": item.email,
        "hours": item.hours.get(language) if item.hours else "",
        "always_available": item.always_available,
    }


def contacts(result: Outcome, language: str) -> list[dict[str, Any]]:
    """Whom to call for this outcome, after 112 (which the include always shows). A
    contact without a phone number, website or e-mail address is left out: a name alone
    (such as Sterk Huis, which seed 002 names without any detail) is no way to reach it."""
    return [
        contact(c, language)
        for c in result.contacts
        if c.phone != EMERGENCY_NUMBER and (c.phone or c.url or c.email)
    ]


def steps(result: Outcome, language: str) -> list[dict[str, Any]]:
    """The meldcode steps the level advises."""
    return [
        {
            "number": s.number,
            "label": s.label.get(language),
            "explanation": s.explanation.get(language),
        }
        for s in result.steps
    ]


def outcome(
    catalogue: Catalogue, ruleset: Ruleset, result: Outcome, language: str, *, parent: bool = False
) -> dict[str, Any]:
    """Everything both outcome pages show, in `language` (the page language); the
    explanation in a parent's or carer's words with `parent` (the check's parent path)."""
    lang = page_language(language)
    return {
        "result": result,
        **level(result, ruleset, lang),
        **explanation(result, ruleset, lang, parent=parent, catalogue=catalogue),
        "risk_factors": [
            catalogue.risk_factors[c].label.get(lang)
            for c in result.risk_factors
            if c in catalogue.risk_factors
        ],
        "lens": lens_picture(catalogue, ruleset, result, lang),
        "blind_spots": blind_spots(catalogue, result, lang),
        "steps": steps(result, lang),
        "contacts": contacts(result, lang),
    }


# --- the catalogue's guidance (the same for every outcome) ------------------------------------


def route(catalogue: Catalogue, language: str) -> list[dict[str, Any]]:
    """The route for a professional who still suspects exploitation (steps, route "route")."""
    return [
        {
            "code": s.code,
            "number": s.number,
            "label": s.label.get(language),
            "explanation": s.explanation.get(language),
        }
        for s in sorted(catalogue.steps.values(), key=lambda s: s.number)
        if s.route == "route"
    ]


def guidance(catalogue: Catalogue, language: str, *, parent: bool = False) -> dict[str, Any]:
    """The route, conversation tips, doubts with their answers, and the principles. For a
    parent or carer (`parent`): no route (an organisation's meldcode) and none of the
    guidance the catalogue marks `professional_only`."""
    lang = page_language(language)

    def shown(items):
        return [i for i in items if not (parent and i.professional_only)]

    tips = shown(catalogue.conversation_tips.values())
    # The non-punishment principle first: it matters most to someone who was exploited.
    principles = sorted(
        shown(catalogue.principles.values()), key=lambda p: 0 if "punish" in p.code else 1
    )
    return {
        "route": [] if parent else route(catalogue, lang),
        "tips_helps": [t.label.get(lang) for t in tips if t.kind == "helps"],
        "tips_hinders": [t.label.get(lang) for t in tips if t.kind == "hinders"],
        "tips_detail": [
            {"label": t.label.get(lang), "explanation": t.explanation.get(lang), "kind": t.kind}
            for t in tips
        ],
        "thresholds": [
            {"number": t.number, "doubt": t.label.get(lang), "answer": t.explanation.get(lang)}
            for t in sorted(shown(catalogue.thresholds.values()), key=lambda t: t.number)
        ],
        "principles": [
            {"label": p.label.get(lang), "explanation": p.explanation.get(lang)} for p in principles
        ],
    }
