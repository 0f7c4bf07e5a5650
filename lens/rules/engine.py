"""The lens engine: signals -> indicators and leefgebieden -> signal value, level, blind spots.

Pure Python. Every number the engine uses (weights, windows, caps, thresholds) comes
from the ruleset; every label from the catalogue. The engine gives signalling support,
never a verdict: its outcome names the signals and the rule behind the advice level.

Guarantees (each one a property test in tests/rules/test_properties.py):
- adding a signal never lowers the level or any value;
- the order of the input does not matter; equal input gives equal output;
- the same signal reported twice, or by two organisations, counts once (corroboration);
- risk factors alone give level 1 at most and never lower anything;
- a current signal marked acute gives level 4; no input gives level 0.

A "yes" to a check-only question (catalogue `check_only`: "Is er nu direct gevaar?") is
context, not a signal: it counts for acute danger (level 4, 112 first) and nowhere else:
not in the number of signals, the signal value, the leefgebieden or indicators (so every
number a reader sees agrees); the outcome lists it apart, in `questions`.

Spread, not repetition: soft signals of one theme (their first indicator) in one
leefgebied (their first) count together for at most the ruleset's `theme_cap` in the
total; medium and strong signals always count in full (catalogue/ruleset.yaml says why).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from .model import (
    AssessmentInput,
    BlindSpotStatus,
    Catalogue,
    Contact,
    Level,
    Observation,
    Rule,
    Ruleset,
    Signal,
    Step,
)
from .validation import (  # noqa: F401 (the engine's input errors, imported from here too)
    InputError,
    InputProblem,
    check_input,
    closest_codes,
    problem,
)


@dataclass(frozen=True)
class CountedSignal:
    """One distinct signal as the engine counted it, with all its reports folded in."""

    code: str
    strength: str
    weight: float
    current: bool  # at least one report within the ruleset's recent window (or undated)
    acute: bool  # marked acute in the catalogue and reported within the acute window
    reports: int
    organisation_types: tuple[str, ...]
    last_observed: date | None
    indicators: tuple[str, ...]
    life_domains: tuple[str, ...]
    question: bool = False  # a check-only question answered yes (catalogue `check_only`)

    @property
    def corroborated(self) -> bool:
        """Seen by two or more kinds of organisation: stronger evidence, same value."""
        return len(self.organisation_types) >= 2


@dataclass(frozen=True)
class AreaValue:
    code: str
    value: float  # capped as the ruleset says
    signals: tuple[str, ...]


@dataclass(frozen=True)
class ThemeValue:
    """Soft signals of one theme in one leefgebied whose weights add up to more than the
    ruleset's theme cap: together they count for `counted`, not `value`."""

    life_domain: str
    indicator: str
    signals: tuple[str, ...]
    value: float  # the sum of their weights
    counted: float  # what they add to the total: the cap


@dataclass(frozen=True)
class RuleCheck:
    """A rule with, per metric, the value found and the minimum it asks for."""

    level: int
    rule: Rule
    measured: dict[str, tuple[float, float]]

    @property
    def holds(self) -> bool:
        return all(found >= needed for found, needed in self.measured.values())

    @property
    def missing(self) -> dict[str, tuple[float, float]]:
        return {m: (f, n) for m, (f, n) in self.measured.items() if f < n}


@dataclass(frozen=True)
class BlindSpot:
    kind: str  # "life_domain" or "indicator"
    code: str
    status: BlindSpotStatus
    unknown_signals: tuple[str, ...]
    seen_by: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    level: Level
    level_without_risk_factors: int
    catalogue_version: str
    ruleset_version: str
    as_of: date
    region: str
    signals: tuple[CountedSignal, ...]
    metrics: dict[str, float]
    total: float
    total_before_risk_factors: float
    risk_factor_bonus: float
    risk_factors: tuple[str, ...]
    repeated: tuple[ThemeValue, ...]  # themes counted for less than their sum (theme_cap)
    indicator_values: tuple[AreaValue, ...]
    life_domain_values: tuple[AreaValue, ...]
    decisive_rules: tuple[RuleCheck, ...]
    next_level_rule: RuleCheck | None  # the rule one level up that is closest to holding
    blind_spots: tuple[BlindSpot, ...]
    unknown: tuple[str, ...]
    steps: tuple[Step, ...]
    contacts: tuple[Contact, ...]
    # check-only questions answered yes (danger now?): counted for acute danger only
    questions: tuple[CountedSignal, ...] = ()

    @property
    def current_signals(self) -> tuple[CountedSignal, ...]:
        return tuple(s for s in self.signals if s.current)

    @property
    def old_signals(self) -> tuple[CountedSignal, ...]:
        return tuple(s for s in self.signals if not s.current)


def deciding_rule(outcome: Outcome) -> RuleCheck | None:
    """The rule that decided the level: the first that holds at it, in the ruleset's
    order. Other rules that hold at the same level give the same level again; named side
    by side they read as reasons that add up (issue 12), so an explanation names this one
    only. (A function, not a property: mutation testing reaches it.)"""
    return outcome.decisive_rules[0] if outcome.decisive_rules else None


def _count(
    signal: Signal, reports: list[Observation], ruleset: Ruleset, as_of: date
) -> CountedSignal:
    def within(obs: Observation, days: int) -> bool:
        return obs.observed_on is None or (as_of - obs.observed_on).days <= days

    current = any(within(o, ruleset.recent_days) for o in reports)
    weight = ruleset.weights[signal.strength] * (1.0 if current else ruleset.old_weight)
    dates = [o.observed_on for o in reports if o.observed_on]
    return CountedSignal(
        code=signal.code,
        strength=signal.strength,
        weight=weight,
        current=current,
        acute=signal.acute and any(within(o, ruleset.acute_days) for o in reports),
        reports=len(reports),
        organisation_types=tuple(sorted({o.organisation_type for o in reports} - {""})),
        last_observed=max(dates) if dates else None,
        indicators=signal.indicators,
        life_domains=signal.life_domains,
        question=signal.check_only,
    )


def _area_values(
    codes: list[str], counted: list[CountedSignal], attribute: str, cap: float
) -> tuple[AreaValue, ...]:
    members: dict[str, list[CountedSignal]] = defaultdict(list)
    for signal in counted:
        for code in getattr(signal, attribute):
            members[code].append(signal)
    return tuple(
        AreaValue(
            code=code,
            value=min(cap, sum(s.weight for s in members[code])),
            signals=tuple(s.code for s in members[code]),
        )
        for code in codes
    )


def _themes(counted: list[CountedSignal], cap: float) -> tuple[ThemeValue, ...]:
    """The soft signals grouped by theme (first leefgebied, first indicator), each group
    whose weights add up to more than `cap` (no cap when 0)."""
    groups: dict[tuple[str, str], list[CountedSignal]] = defaultdict(list)
    for signal in counted:
        if signal.strength == "zacht":
            groups[(signal.life_domains[0], signal.indicators[0])].append(signal)
    themes = [
        ThemeValue(domain, indicator, tuple(s.code for s in members), value, cap)
        for (domain, indicator), members in sorted(groups.items())
        if cap and (value := sum(s.weight for s in members)) > cap
    ]
    return tuple(themes)


def _metrics(
    counted: list[CountedSignal], risk_factors: int, total: float, acute_answers: int = 0
) -> dict[str, float]:
    current = [s for s in counted if s.current]
    return {
        "signals": len(counted),
        "total": total,
        "life_domains": len({d for s in current for d in s.life_domains}),
        "indicators": len({i for s in current for i in s.indicators}),
        "strong": sum(1 for s in current if s.strength == "sterk"),
        "acute": sum(1 for s in counted if s.acute) + acute_answers,
        "risk_factors": risk_factors,
    }


def _checks(ruleset: Ruleset, metrics: dict[str, float]) -> list[RuleCheck]:
    return [
        RuleCheck(
            level=level.number,
            rule=rule,
            measured={m: (metrics[m], float(n)) for m, n in rule.minimum.items()},
        )
        for level in ruleset.levels
        for rule in level.rules
    ]


def _level_of(checks: list[RuleCheck]) -> int:
    return max((c.level for c in checks if c.holds), default=0)


def _closest(checks: list[RuleCheck], level: int) -> RuleCheck | None:
    """The rule of the next level up that needs the least to hold."""

    def gap(check: RuleCheck) -> float:
        return sum((n - f) / n for f, n in check.missing.values())

    # Acute danger is not something signals add up to, so it is never a "next level".
    candidates = [c for c in checks if c.level == level + 1 and "acute" not in c.rule.minimum]
    return min(candidates, key=gap) if candidates else None


def _blind_spots(catalogue: Catalogue, data: AssessmentInput, positive: set[str]):
    unknown = set(data.unknown) - positive
    absent = set(data.absent) - positive - unknown
    spots: list[BlindSpot] = []
    for kind, code, area, members, askable in catalogue.areas:
        if not positive.isdisjoint(members):
            continue
        # A "don't know" or "no" to a check-only question (is there danger now?) says
        # nothing others could complete: never a blind spot, never "who could see this".
        unknown_here = tuple(c for c in askable if c in unknown) if unknown else ()
        if unknown_here:
            status: BlindSpotStatus = "unknown"
        elif absent and not absent.isdisjoint(askable):
            continue  # looked at, nothing seen: not a blind spot
        else:
            status = "no_information"
        spots.append(BlindSpot(kind, code, status, unknown_here, area.seen_by))
    return tuple(spots)


def _next_steps(catalogue: Catalogue, level: Level, region: str):
    steps = tuple(catalogue.steps[c] for c in level.steps if c in catalogue.steps)
    available = catalogue.contacts_for(region or None)
    contacts = tuple(c for role in level.contact_roles for c in available if c.role == role)
    return steps, contacts


def assess(catalogue: Catalogue, ruleset: Ruleset, data: AssessmentInput, today: date) -> Outcome:
    """Assess the input against the catalogue and ruleset. Raises InputError on bad input."""
    as_of = data.as_of or today
    # Retired codes (an old registration, an older client) mean what replaced them.
    data = catalogue.current_input(data)
    problems = check_input(catalogue, data, as_of)
    if problems:
        raise InputError(problems)

    reports: dict[str, list[Observation]] = defaultdict(list)
    for obs in data.signals:
        reports[obs.code].append(obs)
    everything = sorted(
        (_count(catalogue.signals[c], obs, ruleset, as_of) for c, obs in reports.items()),
        key=lambda s: (-s.weight, s.code),
    )
    # A check-only question answered yes is context: acute danger, nothing else.
    counted = [s for s in everything if not s.question]
    questions = tuple(s for s in everything if s.question)
    acute_answers = sum(1 for s in questions if s.acute)
    risk_factors = tuple(sorted(set(data.risk_factors)))

    repeated = _themes(counted, ruleset.theme_cap)
    total_before = sum(s.weight for s in counted) - sum(t.value - t.counted for t in repeated)
    bonus = 0.0
    if counted:  # risk factors count with signals, not with an answer alone
        bonus = min(ruleset.risk_bonus_max, ruleset.risk_bonus_per_factor * len(risk_factors))
    metrics = _metrics(counted, len(risk_factors), total_before + bonus, acute_answers)
    checks = _checks(ruleset, metrics)
    number = _level_of(checks)
    without_risk = _level_of(
        _checks(ruleset, _metrics(counted, 0, total_before, acute_answers))
        if risk_factors
        else checks
    )
    level = next(lv for lv in ruleset.levels if lv.number == number)
    steps, contacts = _next_steps(catalogue, level, data.region)
    positive = {s.code for s in everything}

    return Outcome(
        level=level,
        level_without_risk_factors=without_risk,
        catalogue_version=catalogue.version,
        ruleset_version=ruleset.version,
        as_of=as_of,
        region=data.region,
        signals=tuple(counted),
        metrics=metrics,
        total=metrics["total"],
        total_before_risk_factors=total_before,
        risk_factor_bonus=bonus,
        risk_factors=risk_factors,
        repeated=repeated,
        indicator_values=_area_values(
            list(catalogue.indicators), counted, "indicators", ruleset.indicator_cap
        ),
        life_domain_values=_area_values(
            list(catalogue.life_domains), counted, "life_domains", ruleset.life_domain_cap
        ),
        decisive_rules=tuple(c for c in checks if c.level == number and c.holds),
        next_level_rule=_closest(checks, number),
        blind_spots=_blind_spots(catalogue, data, positive - {s.code for s in questions}),
        unknown=tuple(sorted(set(data.unknown) - positive)),
        steps=steps,
        contacts=contacts,
        questions=questions,
    )
