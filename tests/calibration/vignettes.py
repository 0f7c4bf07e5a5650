"""The calibration set (vignettes.yaml): reading it, checking it and running the engine
over it. Used by test_calibration.py and scripts/calibration.py; needs no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from lens.rules.engine import assess
from lens.rules.model import AssessmentInput, Catalogue, Observation, Ruleset

FILE = Path(__file__).with_name("vignettes.yaml")
# A fixed assessment date, so that `days_ago` gives the same outcome on every day.
AS_OF = date(2026, 11, 23)
LEVELS = range(5)


@dataclass(frozen=True)
class Case:
    id: str  # a vignette id, or "<pair id>/a" and "<pair id>/b"
    description: str
    signals: tuple[Observation, ...]
    risk_factors: tuple[str, ...]
    expected: tuple[int, int]
    source: str
    reasoning: str

    def input(self) -> AssessmentInput:
        return AssessmentInput(signals=self.signals, risk_factors=self.risk_factors, as_of=AS_OF)


@dataclass(frozen=True)
class Pair:
    id: str
    difference: str
    a: Case
    b: Case


def _observation(item: Any) -> Observation:
    if isinstance(item, str):
        return Observation(item, observed_on=AS_OF)
    days = int(item.get("days_ago", 0))
    return Observation(
        item["code"], item.get("organisation_type", ""), AS_OF - timedelta(days=days)
    )


def _case(case_id: str, data: dict, source: str = "", reasoning: str = "") -> Case:
    low, high = data["expected"]
    return Case(
        id=case_id,
        description=data["description"],
        signals=tuple(_observation(s) for s in data.get("signals") or ()),
        risk_factors=tuple(data.get("risk_factors") or ()),
        expected=(int(low), int(high)),
        source=data.get("source", source),
        reasoning=data.get("reasoning", reasoning),
    )


def load(path: Path = FILE) -> tuple[dict, list[Case], list[Pair]]:
    """The sources, the single vignettes and the pairs."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    vignettes = [_case(v["id"], v) for v in data["vignettes"]]
    pairs = [
        Pair(
            p["id"],
            p["difference"],
            _case(f"{p['id']}/a", p["a"], p["source"], p["reasoning"]),
            _case(f"{p['id']}/b", p["b"], p["source"], p["reasoning"]),
        )
        for p in data["pairs"]
    ]
    return data["sources"], vignettes, pairs


def all_cases(vignettes: list[Case], pairs: list[Pair]) -> list[Case]:
    return [*vignettes, *(c for p in pairs for c in (p.a, p.b))]


def problems(sources: dict, vignettes: list[Case], pairs: list[Pair], catalogue: Catalogue):
    """Everything wrong with the file: unknown codes, bad ranges, missing sources."""
    found: list[str] = []
    for code, source in sources.items():
        for field in ("url", "says", "verification"):
            if not str(source.get(field, "")).strip():
                found.append(f"source {code}: no {field}")
        if not str(source.get("url", "")).startswith("https://"):
            found.append(f"source {code}: the url is not https")
    ids = [c.id for c in all_cases(vignettes, pairs)] + [p.id for p in pairs]
    found += [f"{i}: id used twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for case in all_cases(vignettes, pairs):
        low, high = case.expected
        if not (low in LEVELS and high in LEVELS and low <= high):
            found.append(f"{case.id}: expected {list(case.expected)} is not a range of levels")
        if case.source not in sources:
            found.append(f"{case.id}: unknown source {case.source!r}")
        if not case.description.strip() or not case.reasoning.strip():
            found.append(f"{case.id}: a description and a reasoning are required")
        for obs in case.signals:
            # A retired code (catalogue/retired_signals.yaml) is read as what replaced it,
            # as the engine reads a stored registration: the vignettes keep the words
            # they were written with.
            if catalogue.resolve_signal(obs.code) is None:
                found.append(f"{case.id}: unknown signal {obs.code!r}")
            if obs.organisation_type and obs.organisation_type not in catalogue.organisation_types:
                found.append(f"{case.id}: unknown organisation type {obs.organisation_type!r}")
        for code in case.risk_factors:
            if code not in catalogue.risk_factors:
                found.append(f"{case.id}: unknown risk factor {code!r}")
    for pair in pairs:
        if pair.b.expected[1] <= pair.a.expected[0]:
            found.append(f"{pair.id}: b is expected higher than a, but its range says otherwise")
        if not pair.difference.strip():
            found.append(f"{pair.id}: the difference is not described")
    return found


def level(case: Case, catalogue: Catalogue, ruleset: Ruleset) -> int:
    return assess(catalogue, ruleset, case.input(), AS_OF).level.number


def agrees(case: Case, catalogue: Catalogue, ruleset: Ruleset) -> bool:
    low, high = case.expected
    return low <= level(case, catalogue, ruleset) <= high


def ordered(pair: Pair, catalogue: Catalogue, ruleset: Ruleset) -> bool:
    """The one difference raises the level, as the pair says it should."""
    return level(pair.b, catalogue, ruleset) > level(pair.a, catalogue, ruleset)


def agreement(catalogue: Catalogue, ruleset: Ruleset, path: Path = FILE) -> dict[str, int]:
    _, vignettes, pairs = load(path)
    cases = all_cases(vignettes, pairs)
    return {
        "cases": len(cases),
        "cases_in_range": sum(agrees(c, catalogue, ruleset) for c in cases),
        "pairs": len(pairs),
        "pairs_ordered": sum(ordered(p, catalogue, ruleset) for p in pairs),
    }
