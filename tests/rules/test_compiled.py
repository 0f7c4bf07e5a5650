"""The compiled ruleset (lens.rules.compiled, run in DuckDB) equals the lens engine.

A hypothesis property over random registries: several persons, each with signals
reported on dates spread over the recency and acute windows, by several kinds of
organisation (corroboration), with risk factors, and codes the catalogue does not know
(left out, as lens.data.queries.records_input leaves them out). For every person the
query's level, level without risk factors, totals, leefgebieden without information and
content (every counted signal with its flags, every capped indicator and leefgebied
value) must equal the engine's, value by value.
"""

import hashlib
from dataclasses import replace
from datetime import date, timedelta

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lens.registry import recompute_input
from lens.rules import compiled
from lens.rules.engine import Outcome, assess
from lens.rules.model import AssessmentInput, Catalogue, Observation, Rule, Ruleset, Text

from .conftest import COMPILED, TODAY
from .test_properties import CATALOGUE, RULESET

UNKNOWN_CODE = "not_in_this_catalogue"

# The registry never holds a check-only question (lens/registry/actions/observations.py
# refuses it): the compiled query reads registrations, so it is not generated here.
REGISTRABLE = sorted(c for c, s in CATALOGUE.signals.items() if not s.check_only)
signal_codes = st.sampled_from([*REGISTRABLE, UNKNOWN_CODE])
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


def engine_input(signals, risks, as_of: date, catalogue: Catalogue = CATALOGUE) -> AssessmentInput:
    """What lens.data.queries.records_input makes of the same registrations."""
    return AssessmentInput(
        signals=tuple(
            Observation(
                code,
                org if org in catalogue.organisation_types else "",
                min(as_of - timedelta(days=age), as_of),
            )
            for code, org, age in signals
            if code in catalogue.signals
        ),
        risk_factors=tuple(sorted({c for c in risks if c in catalogue.risk_factors})),
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
    recompute_input.prepare(connection, CATALOGUE)
    yield connection
    connection.close()


def run_compiled(
    db, registry, as_of: date, catalogue: Catalogue = CATALOGUE, ruleset: Ruleset = RULESET
) -> dict[int, tuple]:
    """The query's rows by group; `catalogue` and `ruleset` are written into the query
    (the catalogue tables in `db` are CATALOGUE's, the same signals)."""
    db.execute("CREATE OR REPLACE TABLE obs (grp BIGINT, code VARCHAR, org VARCHAR, day DATE)")
    db.execute("CREATE OR REPLACE TABLE rf (grp BIGINT, code VARCHAR)")
    db.execute("CREATE OR REPLACE TABLE grps (grp BIGINT)")
    recompute_input.insert(db, "grps", [(grp,) for grp in range(len(registry))])
    recompute_input.insert(
        db,
        "obs",
        [
            (grp, code, org, as_of - timedelta(days=age))
            for grp, (signals, _) in enumerate(registry)
            for code, org, age in signals
        ],
    )
    recompute_input.insert(
        db, "rf", [(grp, code) for grp, (_, risks) in enumerate(registry) for code in risks]
    )
    rows = db.execute(compiled.query(catalogue, ruleset, as_of, details=True)).fetchall()
    return {row[0]: row[1:] for row in rows}


def engine_row(outcome: Outcome) -> tuple:
    blind = sum(1 for b in outcome.blind_spots if b.kind == "life_domain")
    return (
        outcome.level.number,
        outcome.level_without_risk_factors,
        outcome.total_before_risk_factors,
        outcome.risk_factor_bonus,
        blind,
        compiled.acute_signal(outcome),
        compiled.content(outcome),
    )


def check(
    db, registry, as_of: date = TODAY, catalogue: Catalogue = CATALOGUE, ruleset: Ruleset = RULESET
) -> dict[int, tuple]:
    """The query equals the engine for every group of `registry`; the query's rows."""
    found = run_compiled(db, registry, as_of, catalogue, ruleset)
    assert sorted(found) == list(range(len(registry)))
    for grp, (signals, risks) in enumerate(registry):
        given = engine_input(signals, risks, as_of, catalogue)
        outcome = assess(catalogue, ruleset, given, as_of)
        expected = engine_row(outcome)
        assert found[grp][:7] == expected, (grp, signals, risks)
        # Spelled out: every counted signal with its flags, every capped area value.
        signal_details, indicator_details, domain_details = found[grp][7:]
        assert signal_details == ",".join(
            f"{s.code}:{int(s.current)}{int(s.acute)}{int(s.corroborated)}"
            for s in sorted(outcome.signals, key=lambda s: s.code)
        )
        assert indicator_details == spelled(outcome.indicator_values)
        assert domain_details == spelled(outcome.life_domain_values)
    return found


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
    acute = next(c for c in REGISTRABLE if CATALOGUE.signals[c].acute)
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


# --- examples, each written for what the property cannot reach (mutation testing) ----


def test_key_and_digest_are_md5():
    """RFC 1321's test vector: md5("abc") = 900150983cd24fb0d6963f7d28e17f72. A code's
    key is the number of its first ten hex digits; the stored digest is all of it."""
    assert compiled.key("abc") == 0x900150983C
    assert compiled.digest("abc") == "900150983cd24fb0d6963f7d28e17f72"


def test_md5_is_asked_for_no_security_purpose(monkeypatch):
    """Where OpenSSL runs in FIPS mode, hashlib refuses MD5 unless the caller says it is
    not used for security (`usedforsecurity` false); key and digest say so, and work."""
    md5 = hashlib.md5

    def fips_md5(data=b"", *, usedforsecurity=True):
        if usedforsecurity:  # what a FIPS build raises
            raise ValueError("[digital envelope routines] unsupported")
        return md5(data, usedforsecurity=False)

    monkeypatch.setattr(hashlib, "md5", fips_md5)
    assert compiled.key("abc") == 0x900150983C
    assert compiled.digest("abc") == "900150983cd24fb0d6963f7d28e17f72"


def _codes(strength: str) -> list[str]:
    return sorted(c for c, s in CATALOGUE.signals.items() if s.strength == strength and not s.acute)


def test_without_details_the_same_row_without_the_detail_columns(db):
    strong, orgs = _codes("sterk"), sorted(CATALOGUE.organisation_types)
    registry = [([(strong[0], orgs[0], 10), (strong[1], orgs[1], 400)], []), ([], [])]
    found = run_compiled(db, registry, TODAY)
    cursor = db.execute(compiled.query(CATALOGUE, RULESET, TODAY))
    # By these names lens.registry.recompute reads them (`r.content`).
    assert [column[0] for column in cursor.description] == [
        "grp",
        "level",
        "level_without_risk_factors",
        "total_before",
        "bonus",
        "blind_spots",
        "acute_signal",
        "content",
    ]
    plain = cursor.fetchall()
    # The spelled-out lists are for the tests: the bulk query does not build them.
    assert "string_agg" not in compiled.query(CATALOGUE, RULESET, TODAY)
    assert {row[0]: row[1:] for row in plain} == {grp: row[:7] for grp, row in found.items()}


def test_an_organisation_type_with_a_quote_is_known():
    """The organisation types are written into the query as SQL strings: a quote in a
    code is doubled, so that the type is recognised (and corroborates)."""
    school = next(iter(CATALOGUE.organisation_types.values()))
    catalogue = replace(
        CATALOGUE,
        organisation_types={**CATALOGUE.organisation_types, "o'brien": school},
    )
    strong, org = _codes("sterk")[0], sorted(CATALOGUE.organisation_types)[0]
    with duckdb.connect() as own:
        recompute_input.prepare(own, catalogue)
        found = check(own, [([(strong, "o'brien", 10), (strong, org, 20)], [])], TODAY, catalogue)
    # Recent (1), not acute (0), corroborated by two known types (1).
    assert found[0][7] == f"{strong}:101"


def test_no_organisation_types_means_no_corroboration(db):
    catalogue = replace(CATALOGUE, organisation_types={})
    strong, orgs = _codes("sterk")[0], sorted(CATALOGUE.organisation_types)
    found = check(db, [([(strong, orgs[0], 10), (strong, orgs[1], 20)], [])], TODAY, catalogue)
    assert found[0][7] == f"{strong}:100"


def _with_rule(ruleset: Ruleset, number: int, minimum: dict[str, float]) -> Ruleset:
    rule = Rule("extra", Text(nl="Extra", en="Extra"), minimum)
    return replace(
        ruleset,
        levels=tuple(
            replace(lv, rules=(*lv.rules, rule)) if lv.number == number else lv
            for lv in ruleset.levels
        ),
    )


def test_a_rule_on_the_number_of_indicators(db):
    """Three soft signals, each in its own indicator, two leefgebieden: total 3, so
    level 2 by the real rules; a level-3 rule of three indicators lifts it to 3."""
    registry = [([("school_delay", "", 10), ("two_phones", "", 10), ("street_slang", "", 10)], [])]
    assert [CATALOGUE.signals[c].indicators for c, _, _ in registry[0][0]] == [
        ("school_work",),
        ("communication",),
        ("norms_self_image",),
    ]
    assert check(db, registry)[0][0] == 2
    ruleset = _with_rule(RULESET, 3, {"signals": 1, "indicators": 3})
    assert check(db, registry, ruleset=ruleset)[0][0] == 3


def test_the_level_without_risk_factors_has_no_bonus(db):
    """Two soft signals in one leefgebied (total 2) and two risk factors (bonus 2 x 0.5):
    total 3 reaches level 2; without the risk factors the total is 2, level 1."""
    assert (RULESET.risk_bonus_per_factor, RULESET.risk_bonus_max) == (0.5, 1.5)
    assert [CATALOGUE.signals[c].life_domains for c in ("school_delay", "truancy")] == [
        ("zingeving_leren",),
        ("zingeving_leren",),
    ]
    risks = sorted(CATALOGUE.risk_factors)[:2]
    registry = [([("school_delay", "", 10), ("truancy", "", 10)], risks)]
    level, without, total, bonus = check(db, registry)[0][:4]
    assert (level, without, total, bonus) == (2, 1, 2.0, 1.0)


def test_a_rule_without_minimum_always_holds(db):
    """The loader refuses an empty minimum, but the query states it as the engine does:
    no minimum is met by everyone (level 1 here, for a person without anything)."""
    ruleset = _with_rule(RULESET, 1, {})
    assert check(db, [([], [])], ruleset=ruleset)[0][:2] == (1, 1)


def test_a_ruleset_without_rules_gives_level_0(db):
    """The loader refuses levels without rules, but the query, as the engine, then gives
    level 0 to everyone (also to an acute signal)."""
    ruleset = replace(RULESET, levels=tuple(replace(lv, rules=()) for lv in RULESET.levels))
    acute = next(c for c in REGISTRABLE if CATALOGUE.signals[c].acute)
    assert check(db, [([(acute, "", 1)], [])], ruleset=ruleset)[0][:2] == (0, 0)


def test_the_theme_cap_in_the_query(db):
    """Three soft signals of one theme (social_relations in werk_sociaal) count 2, a medium
    one of the same theme in full (2 more); without a cap (theme_cap 0) the plain sum."""
    assert RULESET.theme_cap == 2
    friends = ("many_new_contacts", "protective_of_new_friends", "breaks_with_own_network")
    assert {compiled.theme(CATALOGUE.signals[c]) for c in (*friends, "unequal_relationship")} == {
        "werk_sociaal social_relations"
    }
    soft = [(c, "", 10) for c in friends]
    registry = [(soft, []), ([*soft, ("unequal_relationship", "", 10)], [])]
    found = check(db, registry)
    assert [row[:3] for row in (found[0], found[1])] == [(1, 1, 2.0), (2, 2, 4.0)]
    uncapped = replace(RULESET, theme_cap=0)
    assert check(db, registry, ruleset=uncapped)[0][2] == 3.0
