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

import functools
import hashlib
from datetime import date

from .engine import Outcome
from .model import Catalogue, Ruleset, Signal

# The input tables the query reads (the caller creates them):
#   obs(grp BIGINT, code VARCHAR, org VARCHAR, day DATE)   one row per signal reported
#   rf(grp BIGINT, code VARCHAR)                            one row per risk factor
#   grps(grp BIGINT)                                        every group to assess
# and the catalogue tables that `catalogue_rows` fills:
CATALOGUE_TABLES = {
    "c_signal": "code VARCHAR, strength VARCHAR, acute BOOLEAN, key BIGINT, theme VARCHAR, "
    "theme_key BIGINT",
    "c_signal_indicator": "code VARCHAR, area VARCHAR, key BIGINT",
    "c_signal_domain": "code VARCHAR, area VARCHAR, key BIGINT",
    "c_org_type": "code VARCHAR",
    "c_risk_factor": "code VARCHAR",
}


def catalogue_rows(catalogue: Catalogue) -> dict[str, list[tuple]]:
    """The rows of CATALOGUE_TABLES for `catalogue`: what the query joins against."""
    signals = catalogue.signals.values()
    return {
        "c_signal": [
            (s.code, s.strength, s.acute, key(s.code), theme(s), key(theme(s))) for s in signals
        ],
        "c_signal_indicator": [
            (s.code, i, key(i))
            for s in signals
            for i in dict.fromkeys(s.indicators)
            if i in catalogue.indicators
        ],
        "c_signal_domain": [
            (s.code, d, key(d))
            for s in signals
            for d in dict.fromkeys(s.life_domains)
            if d in catalogue.life_domains
        ],
        "c_org_type": [(c,) for c in catalogue.organisation_types],
        "c_risk_factor": [(c,) for c in catalogue.risk_factors],
    }


# The content's lists (counted signals, area values) are folded into numbers without
# sorting: every item is a number (a code's key with its flags, or with its value in
# cents), mixed non-linearly modulo a prime and summed, so that the order does not matter
# and a value moving from one area to another changes the sum. Two folds with different
# multipliers, each in BIGINT arithmetic (HUGEINT and sorted string lists cost DuckDB
# four times as much), give about 62 bits. SQL and `content` compute the same numbers.
PRIME = 2**31 - 1
MULTIPLIERS = (48271, 1583458089)
VALUE_BITS = 20  # an area value in cents stays below 2**20 (caps are far lower)


def theme(signal: Signal) -> str:
    """A signal's theme for the ruleset's theme cap: its first leefgebied and indicator."""
    return f"{signal.life_domains[0]} {signal.indicators[0]}"


@functools.cache  # a few hundred codes; an MD5 each time was a tenth of the engine's run
def key(code: str) -> int:
    """A code's stable number, the same in every catalogue version."""
    return int(hashlib.md5(code.encode(), usedforsecurity=False).hexdigest()[:10], 16)


def mix(item: int, multiplier: int) -> int:
    m = item % PRIME * multiplier % PRIME
    return (m * m + m) % PRIME


def _fold(items) -> str:
    listed = list(items)
    return ":".join(str(sum(mix(i, a) for i in listed) % PRIME) for a in MULTIPLIERS)


def _mixed_sql(item: str) -> str:
    """The columns m0, m1, ...: the item times each multiplier, modulo the prime."""
    return ", ".join(
        f"({item}) % {PRIME} * {a} % {PRIME} AS m{n}" for n, a in enumerate(MULTIPLIERS)
    )


def _fold_sql() -> str:
    """The folds of the m columns of a group, joined by ':' (as `_fold` spells them)."""
    return " || ':' || ".join(
        f"CAST(sum((m{n} * m{n} + m{n}) % {PRIME}) % {PRIME} AS BIGINT)"
        for n in range(len(MULTIPLIERS))
    )


def _text(value: str) -> str:
    """A catalogue code as an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


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


def _area_item(cap: float) -> str:
    cents = f"CAST(round(least(value, {_number(cap)}) * 100) AS BIGINT)"
    return f"key * {2**VALUE_BITS} + {cents}"


def query(catalogue: Catalogue, ruleset: Ruleset, as_of: date, *, details: bool = False) -> str:
    """One SQL query (DuckDB dialect) with one row per group: grp, level,
    level_without_risk_factors, total_before, bonus, blind_spots, acute_signal (see
    `acute_signal`), content (see `digest`);
    with `details` also the counted signals and the area values spelled out (the
    property tests compare them value by value; too slow for a million persons)."""
    detail_signals = (
        ", string_agg(code || ':' || current::INTEGER || acute::INTEGER || corroborated::INTEGER,"
        " ',' ORDER BY code) AS details"
        if details
        else ""
    )

    details_columns = (
        ", coalesce(p.details, '') AS signal_details, coalesce(i.details, '') AS"
        " indicator_details, coalesce(d.details, '') AS domain_details"
        if details
        else ""
    )
    domain_cap = ruleset.life_domain_cap
    details_out = ", signal_details, indicator_details, domain_details" if details else ""

    def detail(cap: float) -> str:
        value = f"CAST(round(least(value, {_number(cap)}) * 100) AS BIGINT)"
        return (
            f", string_agg(area || '=' || {value}, ',' ORDER BY area) AS details" if details else ""
        )

    area = ", any_value(a.area) AS area" if details else ""  # its name: for the details only
    day = f"DATE '{as_of.isoformat()}'"
    # Soft signals of one theme count together for at most the theme cap (engine._themes);
    # the others count each (summed with the counts per signal: grouping every signal by
    # its theme cost a third of the query).
    capped = "strength = 'zacht'" if ruleset.theme_cap else "FALSE"
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
    # Written into the query: a semi-join per reported signal costs more than a list.
    # A known organisation type as its place in this list (NULL for another): the
    # aggregates compare numbers.
    known_orgs = ", ".join(_text(c) for c in sorted(catalogue.organisation_types))
    return f"""
WITH reported AS (
    SELECT o.grp, s.key, s.acute AS marked_acute,
           list_position([{known_orgs}], o.org) AS org,
           least(o.day, {day}) AS day
    FROM obs o JOIN c_signal s ON s.code = o.code
),
-- Grouped by the code's number, not its text (a third of the time), then joined back.
grouped AS (
    SELECT grp, key, max(day) AS day, bool_or(marked_acute) AS marked_acute,
           coalesce(min(org) < max(org), false) AS corroborated
    FROM reported GROUP BY grp, key
),
counted AS (
    SELECT g.grp, s.code, g.key, s.strength, s.theme_key,
           date_diff('day', g.day, {day}) <= {int(ruleset.recent_days)} AS current,
           g.marked_acute
               AND date_diff('day', g.day, {day}) <= {int(ruleset.acute_days)} AS acute,
           g.corroborated
    FROM grouped g JOIN c_signal s ON s.key = g.key
),
weighted AS (
    SELECT *, (CASE strength {weight} END)
              * (CASE WHEN current THEN 1.0 ELSE {_number(ruleset.old_weight)} END) AS weight
    FROM counted
),
per_theme AS (
    SELECT grp, least({_number(ruleset.theme_cap or 0)}, sum(weight)) AS value
    FROM weighted WHERE {capped} GROUP BY grp, theme_key
),
themes AS (
    SELECT grp, sum(value) AS capped FROM per_theme GROUP BY grp
),
per_signal AS (
    SELECT grp, count(*) AS signals,
           coalesce(sum(weight) FILTER (WHERE NOT ({capped})), 0.0) AS uncapped,
           count(*) FILTER (WHERE current AND strength = 'sterk') AS strong,
           count(*) FILTER (WHERE acute) AS acute,
           count(*) FILTER (WHERE current) || ':' || count(*) FILTER (WHERE corroborated)
               AS listed{detail_signals}
    FROM weighted GROUP BY grp
),
summed_indicator AS (
    SELECT w.grp, a.key{area}, sum(w.weight) AS value,
           bool_or(w.current) AS current
    FROM weighted w JOIN c_signal_indicator a ON a.code = w.code GROUP BY w.grp, a.key
),
per_indicator AS (
    SELECT *, {_mixed_sql(_area_item(ruleset.indicator_cap))} FROM summed_indicator
),
summed_domain AS (
    SELECT w.grp, a.key{area}, sum(w.weight) AS value,
           bool_or(w.current) AS current
    FROM weighted w JOIN c_signal_domain a ON a.code = w.code GROUP BY w.grp, a.key
),
per_domain AS (
    SELECT *, {_mixed_sql(_area_item(domain_cap))} FROM summed_domain
),
indicators AS (
    SELECT grp, count(*) FILTER (WHERE current) AS current,
           {_fold_sql()} AS listed{detail(ruleset.indicator_cap)}
    FROM per_indicator GROUP BY grp
),
domains AS (
    SELECT grp, count(*) FILTER (WHERE current) AS current, count(*) AS touched,
           {_fold_sql()} AS listed{detail(domain_cap)}
    FROM per_domain GROUP BY grp
),
risk AS (
    SELECT grp, count(DISTINCT code) AS n FROM rf
    WHERE code IN (SELECT code FROM c_risk_factor) GROUP BY grp
),
m AS (
    SELECT g.grp, coalesce(p.signals, 0) AS signals,
           coalesce(p.uncapped, 0.0) + coalesce(t.capped, 0.0) AS total_before,
           CASE WHEN coalesce(p.signals, 0) > 0
                THEN least({_number(ruleset.risk_bonus_max)},
                           {_number(ruleset.risk_bonus_per_factor)} * coalesce(r.n, 0))
                ELSE 0.0 END AS bonus,
           coalesce(d.current, 0) AS life_domains, coalesce(i.current, 0) AS indicators,
           coalesce(p.strong, 0) AS strong, coalesce(p.acute, 0) AS acute,
           coalesce(r.n, 0) AS risk_factors,
           {domains} - coalesce(d.touched, 0) AS blind_spots,
           coalesce(p.listed, '0:0') AS signal_list,
           coalesce(i.listed, '0:0') AS indicator_list,
           coalesce(d.listed, '0:0') AS domain_list{details_columns}
    FROM grps g
    LEFT JOIN per_signal p ON p.grp = g.grp
    LEFT JOIN themes t ON t.grp = g.grp
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
       acute > 0 AS acute_signal,
       level || '|' || level_without_risk_factors
       || '|' || CAST(round(total_before * 100) AS BIGINT)
       || '|' || CAST(round(bonus * 100) AS BIGINT) || '|' || blind_spots
       || '|' || signals || ':' || life_domains || ':' || indicators || ':' || strong
       || ':' || acute || ':' || risk_factors
       || '|' || signal_list || '|' || indicator_list || '|' || domain_list AS content{details_out}
FROM levelled
"""


def _cents(value: float) -> int:
    return round(value * 100)


def content(outcome: Outcome) -> str:
    """The comparable content of an outcome, as the query's `content` column spells it:
    the levels, the totals, the number of leefgebieden without information, the metrics
    the rules read, how many counted signals are recent and corroborated, and the folded
    capped value of each indicator and leefgebied with a signal. Not the versions, the
    date or the texts."""
    # The signals' flags by number: which ones are acute and strong is in the metrics.
    signals = (
        f"{sum(1 for s in outcome.signals if s.current)}:"
        f"{sum(1 for s in outcome.signals if s.corroborated)}"
    )
    metrics = ":".join(
        str(int(outcome.metrics[m]))
        for m in ("signals", "life_domains", "indicators", "strong", "acute", "risk_factors")
    )

    def areas(values) -> str:
        return _fold(key(v.code) * 2**VALUE_BITS + _cents(v.value) for v in values if v.signals)

    blind = blind_spots(outcome)
    return "|".join(
        str(part)
        for part in (
            outcome.level.number,
            outcome.level_without_risk_factors,
            _cents(outcome.total_before_risk_factors),
            _cents(outcome.risk_factor_bonus),
            blind,
            metrics,
            signals,
            areas(outcome.indicator_values),
            areas(outcome.life_domain_values),
        )
    )


def blind_spots(outcome: Outcome) -> int:
    """The leefgebieden without information (the stored `blind_spots` column)."""
    return sum(1 for b in outcome.blind_spots if b.kind == "life_domain")


def acute_signal(outcome: Outcome) -> bool:
    """Whether the outcome counts a current signal marked acute (the stored
    `acute_signal` column)."""
    return outcome.metrics["acute"] > 0


def digest(text: str) -> str:
    """The stored digest of a `content` string (hex MD5: a change detector, not a seal)."""
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
