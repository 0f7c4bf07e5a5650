"""The outcome as plain data (the stable `lens assess --json` format) and in words.

The JSON keys are a public interface: other systems integrate through them (README,
"lens assess"). Add keys when needed; never rename or remove one.
"""

from __future__ import annotations

from typing import Any

from .engine import BlindSpot, CountedSignal, Outcome, RuleCheck, deciding_rule
from .model import Catalogue, Contact, Item, Ruleset, Text
from .phrases import PARENT_PHRASES, PHRASES  # PHRASES: callers read them here too


def _lang(language: str) -> str:
    return "en" if language.startswith("en") else "nl"


def phrases(language: str, *, parent: bool = False) -> dict[str, str]:
    """The sentence templates for a language, in a parent's words when `parent`."""
    lang = _lang(language)
    return PHRASES[lang] | PARENT_PHRASES[lang] if parent else PHRASES[lang]


NOUNS = {
    "nl": {"signal": ("signaal", "signalen"), "risk_factor": ("risicofactor", "risicofactoren")},
    "en": {"signal": ("signal", "signals"), "risk_factor": ("risk factor", "risk factors")},
}


def count(n: int, noun: str, lang: str) -> str:
    """'1 signaal', '3 signalen': a number with its noun in the right form."""
    one, many = NOUNS[lang][noun]
    return f"{n} {one if n == 1 else many}"


def spoken(value: float, lang: str) -> str:
    """A number for a sentence: '1,5' in Dutch, '1.5' in English."""
    text = str(number(value))
    return text.replace(".", ",") if lang == "nl" else text


def number(value: float) -> float | int:
    """Whole numbers as int, others rounded to two decimals (stable JSON)."""
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def conditions(check: RuleCheck, language: str, *, parent: bool = False) -> str:
    """What a rule asks and what was found, in words: "signaalwaarde 7 (nodig: 6 of
    meer)"."""
    lang = _lang(language)
    words = phrases(lang, parent=parent)
    return ", ".join(
        words["condition"].format(
            metric=words["metric." + m], found=spoken(found, lang), needed=spoken(needed, lang)
        )
        for m, (found, needed) in check.measured.items()
    )


def missing(check: RuleCheck, language: str, *, parent: bool = False) -> str:
    """What the next level still needs: "signaalwaarde 6 of meer (nu 3)"."""
    lang = _lang(language)
    words = phrases(lang, parent=parent)
    return ", ".join(
        words["missing"].format(
            metric=words["metric." + m], found=spoken(found, lang), needed=spoken(needed, lang)
        )
        for m, (found, needed) in check.missing.items()
    )


def explanation_lines(
    outcome: Outcome,
    ruleset: Ruleset,
    language: str,
    *,
    parent: bool = False,
    catalogue: Catalogue | None = None,
) -> list[str]:
    """The outcome explained in sentences a professional understands; with `parent`, in
    a parent's or carer's words (PARENT_PHRASES, the rules' `parent_description`). The
    `catalogue` gives the names of themes counted for less (codes without it)."""
    lang = _lang(language)
    words = phrases(lang, parent=parent)
    n_risk = len(outcome.risk_factors)
    risk_factors = count(n_risk, "risk_factor", lang)
    bonus = spoken(outcome.risk_factor_bonus, lang)
    lines: list[str] = []
    if any(q.acute for q in outcome.questions):
        lines.append(words["danger_now"])  # first: 112 comes before anything counted
    if outcome.signals:
        total = spoken(outcome.total_before_risk_factors, lang)
        lines.append(
            words["counted"].format(
                signals=count(len(outcome.signals), "signal", lang), total=total
            )
        )
    else:
        lines.append(words["no_signals"])
    for theme in outcome.repeated:
        indicator = catalogue.indicators.get(theme.indicator) if catalogue else None
        domain = catalogue.life_domains.get(theme.life_domain) if catalogue else None
        lines.append(
            words["repeated"].format(
                signals=count(len(theme.signals), "signal", lang),
                indicator=_label(indicator, theme.indicator, lang),
                life_domain=_label(domain, theme.life_domain, lang),
                counted=spoken(theme.counted, lang),
                value=spoken(theme.value, lang),
            )
        )
    # The risk bonus right after the signals' value, with their sum: the value the rule
    # lines below compare, so the numbers a reader sees add up.
    with_bonus = spoken(outcome.total_before_risk_factors + outcome.risk_factor_bonus, lang)
    one = "risk_ticked_one" if n_risk == 1 and "risk_ticked_one" in words else "risk_ticked"
    ticked = words[one].format(risk_factors=risk_factors, bonus=bonus)
    if not n_risk:
        risk_line = words["risk_none"]
    elif not outcome.signals:
        alert = n_risk >= ruleset.risk_alert_min
        risk_line = words["risk_alert"].format(risk_factors=risk_factors) if alert else ""
    elif outcome.level.number > outcome.level_without_risk_factors:
        risk_line = words["risk_raised"].format(
            ticked=ticked,
            total=with_bonus,
            level=outcome.level.number,
            without=outcome.level_without_risk_factors,
        )
    else:
        risk_line = words["risk_bonus"].format(ticked=ticked, total=with_bonus)
    bonus_line = bool(n_risk and outcome.signals)  # risk_raised or risk_bonus
    if bonus_line:
        lines.append(risk_line)
    # One rule sentence: the rule that decided the level (engine.deciding_rule). The
    # JSON's "rules" still lists every rule that holds at the level.
    check = deciding_rule(outcome)
    if check:
        lines.append(
            words["rule"].format(
                level=outcome.level.number,
                rule=check.rule.description_for(parent=parent).get(lang),
                conditions=conditions(check, lang, parent=parent),
            )
        )
    elif outcome.level.number == 0:
        lines.append(words["no_rule"])
    if risk_line and not bonus_line:
        lines.append(risk_line)
    if outcome.old_signals:
        lines.append(
            words["old"].format(
                signals=count(len(outcome.old_signals), "signal", lang),
                days=ruleset.recent_days,
                factor=f"{int(ruleset.old_weight * 100)}%",
            )
        )
    corroborated = [s for s in outcome.signals if s.corroborated]
    if corroborated:
        lines.append(words["corroborated"].format(signals=count(len(corroborated), "signal", lang)))
    if outcome.next_level_rule:
        lines.append(
            words["next"].format(
                level=outcome.next_level_rule.level,
                missing=missing(outcome.next_level_rule, lang, parent=parent),
            )
        )
    lines.append(words["caveat"])
    return lines


def _label(item: Item | None, code: str, lang: str) -> str:
    return item.label.get(lang) if item else code


def _text(text: Text | None, lang: str) -> str:
    return text.get(lang) if text else ""


def _signal_dict(s: CountedSignal, catalogue: Catalogue, lang: str) -> dict[str, Any]:
    return {
        "code": s.code,
        "label": _label(catalogue.signals.get(s.code), s.code, lang),
        "strength": s.strength,
        "weight": number(s.weight),
        "current": s.current,
        "acute": s.acute,
        "reports": s.reports,
        "organisation_types": list(s.organisation_types),
        "corroborated": s.corroborated,
        "last_observed": s.last_observed.isoformat() if s.last_observed else None,
        "indicators": list(s.indicators),
        "life_domains": list(s.life_domains),
    }


def _blind_spot_dict(b: BlindSpot, catalogue: Catalogue, lang: str) -> dict[str, Any]:
    areas = catalogue.life_domains if b.kind == "life_domain" else catalogue.indicators
    return {
        "kind": b.kind,
        "code": b.code,
        "label": _label(areas.get(b.code), b.code, lang),
        "status": b.status,
        "unknown_signals": list(b.unknown_signals),
        "seen_by": [
            {"code": c, "label": _label(catalogue.organisation_types.get(c), c, lang)}
            for c in b.seen_by
        ],
    }


def contact_dict(c: Contact, lang: str) -> dict[str, Any]:
    return {
        "code": c.code,
        "role": c.role,
        "label": c.label.get(lang),
        "explanation": c.explanation.get(lang),
        "region": c.region or None,
        "phone": c.phone or None,
        "url": c.url or None,
        "email": c.email or None,
        "hours": _text(c.hours, lang) or None,
        "always_available": c.always_available,
    }


def outcome_to_dict(
    outcome: Outcome, catalogue: Catalogue, ruleset: Ruleset, language: str = "nl"
) -> dict[str, Any]:
    lang = _lang(language)

    def areas(values, items) -> dict[str, Any]:
        return {
            v.code: {
                "label": _label(items.get(v.code), v.code, lang),
                "value": number(v.value),
                "signals": list(v.signals),
            }
            for v in values
        }

    def rule(check: RuleCheck) -> dict[str, Any]:
        return {
            "level": check.level,
            "code": check.rule.code,
            "description": check.rule.description.get(lang),
            "measured": {m: number(f) for m, (f, _) in check.measured.items()},
            "minimum": {m: number(n) for m, (_, n) in check.measured.items()},
        }

    return {
        "level": outcome.level.number,
        "label": outcome.level.label.get(lang),
        "meaning": outcome.level.meaning.get(lang),
        "values": {
            "total": number(outcome.total),
            "total_before_risk_factors": number(outcome.total_before_risk_factors),
            "risk_factor_bonus": number(outcome.risk_factor_bonus),
            "indicators": areas(outcome.indicator_values, catalogue.indicators),
            "life_domains": areas(outcome.life_domain_values, catalogue.life_domains),
        },
        "explanation": {
            "summary": explanation_lines(outcome, ruleset, lang, catalogue=catalogue),
            "rules": [rule(c) for c in outcome.decisive_rules],
            "next_level": rule(outcome.next_level_rule) if outcome.next_level_rule else None,
            "metrics": {k: number(v) for k, v in outcome.metrics.items()},
            "signals": [_signal_dict(s, catalogue, lang) for s in outcome.current_signals],
            "old_signals": [_signal_dict(s, catalogue, lang) for s in outcome.old_signals],
            "risk_factors": [
                {"code": c, "label": _label(catalogue.risk_factors.get(c), c, lang)}
                for c in outcome.risk_factors
            ],
            "level_without_risk_factors": outcome.level_without_risk_factors,
            # soft signals of one theme in one leefgebied counted for less (theme_cap)
            "repeated": [
                {
                    "life_domain": t.life_domain,
                    "indicator": t.indicator,
                    "signals": list(t.signals),
                    "value": number(t.value),
                    "counted": number(t.counted),
                }
                for t in outcome.repeated
            ],
            "unknown": list(outcome.unknown),
            # check-only questions answered yes ("is there direct danger now?"): counted
            # for acute danger (metrics.acute) only, never as a signal
            "questions": [
                {"code": q.code, "label": _label(catalogue.signals.get(q.code), q.code, lang)}
                for q in outcome.questions
            ],
        },
        "blind_spots": [_blind_spot_dict(b, catalogue, lang) for b in outcome.blind_spots],
        "next_steps": {
            "steps": [
                {
                    "code": s.code,
                    "route": s.route,
                    "number": s.number,
                    "label": s.label.get(lang),
                    "explanation": s.explanation.get(lang),
                }
                for s in outcome.steps
            ],
            "contacts": [contact_dict(c, lang) for c in outcome.contacts],
        },
        "region": outcome.region or None,
        "as_of": outcome.as_of.isoformat(),
        "catalogue_version": outcome.catalogue_version,
        "ruleset_version": outcome.ruleset_version,
    }
