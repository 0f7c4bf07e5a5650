"""The ruleset compiled to one SQL query: the lens engine's numbers for many groups at once.

`lens.rules.engine.assess` is the reference; this module states the same rules set-based,
for "recompute every outcome" after a catalogue or ruleset load (lens.registry.recompute,
which runs the query in DuckDB over an export of the current registrations). Only what
the engine computes from signals, dates, organisation types and risk factors is here:
the level (with and without the risk factors), the totals, the capped value per
indicator and leefgebied, the counted signals with their recency, acute and corroborated
flags, and the number of leefgebieden without information. Texts, steps and contacts
follow from those and the catalogue, and are drawn by the engine when a page shows them.

`digest` is the comparable content of one outcome, the same string the query builds as
`content`: the bulk path stores an outcome only when its digest differs from the
person's latest one. Property tests (tests/rules/test_compiled.py) check that the query
and the engine agree on every number, level and digest.

Pure Python, no Django and no DuckDB import: the caller brings the database.
"""

from __future__ import annotations

import hashlib
from datetime import date

from .engine import Outcome
from .model import Catalogue, Ruleset

# The input tables the query reads (the caller creates them):
#   obs(grp BIGINT, code VARCHAR, org VARCHAR, day DATE)   one row per signal reported
#   rf(grp BIGINT, code VARCHAR)                            one row per risk factor
#   grps(grp BIGINT)                                        every group to assess
# and the catalogue tables that `catalogue_rows` fills:
CATALOGUE_TABLES = {
    "c_signal": "code VARCHAR, strength VARCHAR, acute BOOLEAN",
    "c_signal_indicator": "code VARCHAR, area VARCHAR",
    "c_signal_domain": "code VARCHAR, area VARCHAR",
    "c_org_type": "code VARCHAR",
    "c_risk_factor": "code VARCHAR",
}


def catalogue_rows(catalogue: Catalogue) -> dict[str, list[tuple]]:
    """The rows of CATALOGUE_TABLES for `catalogue`: what the query joins against."""
    signals = catalogue.signals.values()
    return {
        "c_signal": [(s.code, s.strength, s.acute) for s in signals],
        "c_signal_indicator": [
            (s.code, i)
            for s in signals
            for i in dict.fromkeys(s.indicators)
            if i in catalogue.indicators
        ],
        "c_signal_domain": [
            (s.code, d)
            for s in signals
            for d in dict.fromkeys(s.life_domains)
            if d in catalogue.life_domains
        ],
        "c_org_type": [(c,) for c in catalogue.organisation_types],
        "c_risk_factor": [(c,) for c in catalogue.risk_factors],
    }


def _number(value: float) -> str:
    """A ruleset number as an SQL DOUBLE literal."""
    return f"CAST({float(value)!r} AS DOUBLE)"


def _holds(minimum: dict[str, float], metrics: dict[str, str]) -> str:
    return " AND ".join(f"{metrics[m]} >= {_number(n)}" for m, n in minimum.items()) or "TRUE"


def _level(ruleset: Ruleset, metrics: dict[str, str]) -> str:
    """The highest level with a rule that holds (the engine's `_level_of`), else 0."""
    cases = [
        f"WHEN {' OR '.join(f'({_holds(rule.minimum, metrics)})' for rule in level.rules)} "
        f"THEN {level.number}"
        for level in sorted(ruleset.levels, key=lambda lv: -lv.number)
        if level.rules
    ]
    return f"CASE {' '.join(cases)} ELSE 0 END" if cases else "0"


def query(catalogue: Catalogue, ruleset: Ruleset, as_of: date) -> str:
    """One SQL query (DuckDB dialect) with one row per group: grp, level,
    level_without_risk_factors, total_before, bonus, blind_spots, content (see `digest`)."""
    day = f"DATE '{as_of.isoformat()}'"
    weight = " ".join(f"WHEN '{s}' THEN {_number(w)}" for s, w in ruleset.weights.items())
    metrics = {
        "signals": "m.signals",
        "total": "(m.total_before + m.bonus)",
        "life_domains": "m.life_domains",
        "indicators": "m.indicators",
        "strong": "m.strong",
        "acute": "m.acute",
        "risk_factors": "m.risk_factors",
    }
    without = {**metrics, "total": "m.total_before", "risk_factors": "0"}
    domains = len(catalogue.life_domains)
    return f"""
WITH reported AS (
    SELECT o.grp, o.code, s.strength, s.acute AS marked_acute,
           CASE WHEN o.org IN (SELECT code FROM c_org_type) THEN o.org ELSE '' END AS org,
           least(o.day, {day}) AS day
    FROM obs o JOIN c_signal s ON s.code = o.code
),
counted AS (
    SELECT grp, code, any_value(strength) AS strength,
           date_diff('day', max(day), {day}) <= {int(ruleset.recent_days)} AS current,
           bool_or(marked_acute)
               AND date_diff('day', max(day), {day}) <= {int(ruleset.acute_days)} AS acute,
           count(DISTINCT nullif(org, '')) >= 2 AS corroborated
    FROM reported GROUP BY grp, code
),
weighted AS (
    SELECT *, (CASE strength {weight} END)
              * (CASE WHEN current THEN 1.0 ELSE {_number(ruleset.old_weight)} END) AS weight
    FROM counted
),
per_signal AS (
    SELECT grp, count(*) AS signals, sum(weight) AS total_before,
           count(*) FILTER (WHERE current AND strength = 'sterk') AS strong,
           count(*) FILTER (WHERE acute) AS acute,
           string_agg(code || ':' || current::INTEGER || acute::INTEGER
                      || corroborated::INTEGER, ',' ORDER BY code) AS listed
    FROM weighted GROUP BY grp
),
per_indicator AS (
    SELECT w.grp, a.area, sum(w.weight) AS value, bool_or(w.current) AS current
    FROM weighted w JOIN c_signal_indicator a ON a.code = w.code GROUP BY w.grp, a.area
),
per_domain AS (
    SELECT w.grp, a.area, sum(w.weight) AS value, bool_or(w.current) AS current
    FROM weighted w JOIN c_signal_domain a ON a.code = w.code GROUP BY w.grp, a.area
),
indicators AS (
    SELECT grp, count(*) FILTER (WHERE current) AS current,
           string_agg(area || '=' || CAST(round(least(value, {_number(ruleset.indicator_cap)})
                      * 100) AS BIGINT), ',' ORDER BY area) AS listed
    FROM per_indicator GROUP BY grp
),
domains AS (
    SELECT grp, count(*) FILTER (WHERE current) AS current, count(*) AS touched,
           string_agg(area || '=' || CAST(round(least(value, {_number(ruleset.life_domain_cap)})
                      * 100) AS BIGINT), ',' ORDER BY area) AS listed
    FROM per_domain GROUP BY grp
),
risk AS (
    SELECT grp, count(DISTINCT code) AS n FROM rf
    WHERE code IN (SELECT code FROM c_risk_factor) GROUP BY grp
),
m AS (
    SELECT g.grp, coalesce(p.signals, 0) AS signals,
           coalesce(p.total_before, 0.0) AS total_before,
           CASE WHEN coalesce(p.signals, 0) > 0
                THEN least({_number(ruleset.risk_bonus_max)},
                           {_number(ruleset.risk_bonus_per_factor)} * coalesce(r.n, 0))
                ELSE 0.0 END AS bonus,
           coalesce(d.current, 0) AS life_domains, coalesce(i.current, 0) AS indicators,
           coalesce(p.strong, 0) AS strong, coalesce(p.acute, 0) AS acute,
           coalesce(r.n, 0) AS risk_factors,
           {domains} - coalesce(d.touched, 0) AS blind_spots,
           coalesce(p.listed, '') AS signal_list, coalesce(i.listed, '') AS indicator_list,
           coalesce(d.listed, '') AS domain_list
    FROM grps g
    LEFT JOIN per_signal p ON p.grp = g.grp
    LEFT JOIN indicators i ON i.grp = g.grp
    LEFT JOIN domains d ON d.grp = g.grp
    LEFT JOIN risk r ON r.grp = g.grp
),
levelled AS (
    SELECT m.*, {_level(ruleset, metrics)} AS level,
           {_level(ruleset, without)} AS level_without_risk_factors
    FROM m
)
SELECT grp, level, level_without_risk_factors, total_before, bonus, blind_spots,
       level || '|' || level_without_risk_factors
       || '|' || CAST(round(total_before * 100) AS BIGINT)
       || '|' || CAST(round(bonus * 100) AS BIGINT) || '|' || blind_spots
       || '|' || signal_list || '|' || indicator_list || '|' || domain_list AS content
FROM levelled
"""


def _cents(value: float) -> int:
    return round(value * 100)


def content(outcome: Outcome) -> str:
    """The comparable content of an outcome, as the query's `content` column spells it:
    the levels, the totals, the leefgebieden without information, the counted signals
    (recent, acute, corroborated) and the capped value of each indicator and leefgebied
    with a signal. Not the versions, the date or the texts."""
    signals = ",".join(
        f"{s.code}:{int(s.current)}{int(s.acute)}{int(s.corroborated)}"
        for s in sorted(outcome.signals, key=lambda s: s.code)
    )

    def listed(values) -> str:
        return ",".join(
            f"{v.code}={_cents(v.value)}" for v in sorted(values, key=lambda v: v.code) if v.signals
        )

    blind = sum(1 for b in outcome.blind_spots if b.kind == "life_domain")
    return "|".join(
        str(part)
        for part in (
            outcome.level.number,
            outcome.level_without_risk_factors,
            _cents(outcome.total_before_risk_factors),
            _cents(outcome.risk_factor_bonus),
            blind,
            signals,
            listed(outcome.indicator_values),
            listed(outcome.life_domain_values),
        )
    )


def digest(text: str) -> str:
    """The stored digest of a `content` string (hex MD5: a change detector, not a seal)."""
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
