"""The compiled ruleset (lens.rules.compiled, run in DuckDB) equals the lens engine.

A hypothesis property over random registries: several persons, each with signals
reported on dates spread over the recency and acute windows, by several kinds of
organisation (corroboration), with risk factors, and codes the catalogue does not know
(left out, as lens.data.queries.records_input leaves them out). For every person the
query's level, level without risk factors, totals, leefgebieden without information and
content (every counted signal with its flags, every capped indicator and leefgebied
value) must equal the engine's, value by value.
"""

from datetime import date, timedelta

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lens.registry import recompute
from lens.rules import compiled
from lens.rules.engine import Outcome, assess
from lens.rules.model import AssessmentInput, Observation

from .conftest import COMPILED, TODAY
from .test_properties import CATALOGUE, RULESET

UNKNOWN_CODE = "not_in_this_catalogue"

signal_codes = st.sampled_from([*sorted(CATALOGUE.signals), UNKNOWN_CODE])
org_types = st.sampled_from(["", "no_such_type", *sorted(CATALOGUE.organisation_types)])
risk_codes = st.sampled_from([*sorted(CATALOGUE.risk_factors), UNKNOWN_CODE])
# Around both windows (acute_days, recent_days) and far beyond; a date after the
# reference date is capped to it, as the registry caps a clock that moved back.
ages = st.one_of(
    st.integers(min_value=-3, max_value=2 * RULESET.recent_days),
    st.sampled_from(
        [days + k for days in (RULESET.acute_days, RULESET.recent_days) for k in (-1, 0, 1)]
    ),
)
reports = st.tuples(signal_codes, org_types, ages)
person = st.tuples(st.lists(reports, max_size=25), st.lists(risk_codes, max_size=4))
registries = st.lists(person, min_size=1, max_size=8)


def engine_input(signals, risks, as_of: date) -> AssessmentInput:
    """What lens.data.queries.records_input makes of the same registrations."""
    return AssessmentInput(
        signals=tuple(
            Observation(
                code,
                org if org in CATALOGUE.organisation_types else "",
                min(as_of - timedelta(days=age), as_of),
            )
            for code, org, age in signals
            if code in CATALOGUE.signals
        ),
        risk_factors=tuple(sorted({c for c in risks if c in CATALOGUE.risk_factors})),
        as_of=as_of,
    )


@pytest.fixture(scope="module")
def db():
    """One DuckDB with the catalogue tables for the module; each example brings its own
    input tables. A fixture, not a module global: mutation testing forks a process per
    mutant after running the tests once, and a connection kept in a global would be
    inherited (unusable across the fork, and `catalogue_rows` would never run under the
    mutant). A fixture opens it in each test session and closes it after."""
    connection = duckdb.connect()
    recompute.prepare(connection, CATALOGUE)
    yield connection
    connection.close()


def run_compiled(db, registry, as_of: date) -> dict[int, tuple]:
    db.execute("CREATE OR REPLACE TABLE obs (grp BIGINT, code VARCHAR, org VARCHAR, day DATE)")
    db.execute("CREATE OR REPLACE TABLE rf (grp BIGINT, code VARCHAR)")
    db.execute("CREATE OR REPLACE TABLE grps (grp BIGINT)")
    recompute.insert(db, "grps", [(grp,) for grp in range(len(registry))])
    recompute.insert(
        db,
        "obs",
        [
            (grp, code, org, as_of - timedelta(days=age))
            for grp, (signals, _) in enumerate(registry)
            for code, org, age in signals
        ],
    )
    recompute.insert(
        db, "rf", [(grp, code) for grp, (_, risks) in enumerate(registry) for code in risks]
    )
    rows = db.execute(compiled.query(CATALOGUE, RULESET, as_of, details=True)).fetchall()
    return {row[0]: row[1:] for row in rows}


def engine_row(outcome: Outcome) -> tuple:
    blind = sum(1 for b in outcome.blind_spots if b.kind == "life_domain")
    return (
        outcome.level.number,
        outcome.level_without_risk_factors,
        outcome.total_before_risk_factors,
        outcome.risk_factor_bonus,
        blind,
        compiled.content(outcome),
    )


def check(db, registry, as_of: date = TODAY) -> None:
    found = run_compiled(db, registry, as_of)
    assert sorted(found) == list(range(len(registry)))
    for grp, (signals, risks) in enumerate(registry):
        outcome = assess(CATALOGUE, RULESET, engine_input(signals, risks, as_of), as_of)
        expected = engine_row(outcome)
        assert found[grp][:6] == expected, (grp, signals, risks)
        # Spelled out: every counted signal with its flags, every capped area value.
        signal_details, indicator_details, domain_details = found[grp][6:]
        assert signal_details == ",".join(
            f"{s.code}:{int(s.current)}{int(s.acute)}{int(s.corroborated)}"
            for s in sorted(outcome.signals, key=lambda s: s.code)
        )
        assert indicator_details == spelled(outcome.indicator_values)
        assert domain_details == spelled(outcome.life_domain_values)


def spelled(values) -> str:
    return ",".join(
        f"{v.code}={round(v.value * 100)}"
        for v in sorted(values, key=lambda v: v.code)
        if v.signals
    )


@COMPILED
@given(registries)
def test_compiled_query_equals_the_engine(db, registry):
    check(db, registry)


def test_a_fixed_mixed_registry(db):
    """A registry with every case at once; each expected level written down by hand."""
    acute = sorted(c for c, s in CATALOGUE.signals.items() if s.acute)[0]
    strong = sorted(c for c, s in CATALOGUE.signals.items() if s.strength == "sterk")
    soft = sorted(c for c, s in CATALOGUE.signals.items() if s.strength == "zacht")
    risks = sorted(CATALOGUE.risk_factors)
    orgs = sorted(CATALOGUE.organisation_types)
    registry = [
        ([], []),  # nothing: level 0
        ([], risks[:2]),  # two risk factors alone: level 1
        ([(soft[0], orgs[0], 10)], []),  # one soft signal: level 1
        ([(strong[0], orgs[0], 10), (strong[0], orgs[1], 400)], []),  # strong, corroborated
        ([(strong[0], orgs[0], 10), (strong[1], orgs[1], 20)], risks[:1]),  # two strong: 3
        ([(acute, orgs[0], 5)], []),  # acute and recent: 4
        ([(acute, orgs[0], RULESET.acute_days + 1)], []),  # acute, too old for acute
        ([(soft[0], orgs[0], 800), (UNKNOWN_CODE, orgs[0], 1)], [UNKNOWN_CODE]),  # old only
    ]
    levels = [row[0] for _, row in sorted(run_compiled(db, registry, TODAY).items())]
    assert levels[:6] == [0, 1, 1, 2, 3, 4]
    assert levels[6] < 4
    check(db, registry)


@pytest.mark.parametrize("as_of", [TODAY, date(2024, 2, 29)])
def test_the_reference_date_moves_the_windows(db, as_of):
    soft = sorted(c for c, s in CATALOGUE.signals.items() if s.strength == "zacht")
    registry = [([(soft[0], "", RULESET.recent_days), (soft[1], "", RULESET.recent_days + 1)], [])]
    check(db, registry, as_of)
