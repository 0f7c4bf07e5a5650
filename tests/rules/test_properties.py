"""The engine's guarantees as property tests over the real catalogue and ruleset.

Each property runs on 500 generated inputs (the "rules" profile in conftest.py; the
"rules-mutation" profile runs fewer, for mutation testing).
"""

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from lens.rules.engine import Outcome, assess
from lens.rules.model import AssessmentInput, Observation
from lens.rules.report import outcome_to_dict

from .conftest import PROPERTY, TODAY

# Strategies are built lazily from the real catalogue (session fixtures can't feed
# @given directly), once per module.
_CACHE: dict = {}


def _data():
    if not _CACHE:
        from django.conf import settings as dj

        from lens.catalogue.loader import load_catalogue, load_ruleset

        catalogue = load_catalogue(dj.CATALOGUE_DIR)
        _CACHE["catalogue"] = catalogue
        _CACHE["ruleset"] = load_ruleset(dj.CATALOGUE_DIR / "ruleset.yaml", catalogue)
    return _CACHE["catalogue"], _CACHE["ruleset"]


CATALOGUE, RULESET = _data()
signal_codes = st.sampled_from(sorted(CATALOGUE.signals))
acute_codes = st.sampled_from(sorted(c for c, s in CATALOGUE.signals.items() if s.acute))
org_types = st.sampled_from(["", *sorted(CATALOGUE.organisation_types)])
risk_codes = st.sampled_from(sorted(CATALOGUE.risk_factors))
dates = st.none() | st.integers(min_value=0, max_value=2000).map(lambda d: TODAY - timedelta(d))
observations = st.builds(
    Observation, code=signal_codes, organisation_type=org_types, observed_on=dates
)
inputs = st.builds(
    AssessmentInput,
    signals=st.lists(observations, max_size=12).map(tuple),
    unknown=st.lists(signal_codes, max_size=6).map(tuple),
    absent=st.lists(signal_codes, max_size=6).map(tuple),
    risk_factors=st.lists(risk_codes, max_size=4).map(tuple),
    region=st.sampled_from(["", *sorted(CATALOGUE.regions)]),
)


def run(data: AssessmentInput) -> Outcome:
    return assess(CATALOGUE, RULESET, data, TODAY)


def values(outcome: Outcome) -> dict[str, float]:
    result = {"total": outcome.total, "total_before": outcome.total_before_risk_factors}
    result.update({f"i:{v.code}": v.value for v in outcome.indicator_values})
    result.update({f"d:{v.code}": v.value for v in outcome.life_domain_values})
    return result


def assert_not_lower(before: Outcome, after: Outcome) -> None:
    assert after.level.number >= before.level.number
    low, high = values(before), values(after)
    lowered = {k: (low[k], high[k]) for k in low if high[k] < low[k]}
    assert not lowered, lowered


@PROPERTY
@given(inputs, observations)
def test_adding_a_signal_never_lowers_level_or_values(data, extra):
    before = run(data)
    after = run(AssessmentInput(**{**data.__dict__, "signals": (*data.signals, extra)}))
    assert_not_lower(before, after)


@PROPERTY
@given(inputs, st.randoms(use_true_random=False))
def test_input_order_does_not_matter(data, rnd):
    def shuffled(items):
        items = list(items)
        rnd.shuffle(items)
        return tuple(items)

    reordered = AssessmentInput(
        signals=shuffled(data.signals),
        unknown=shuffled(data.unknown),
        absent=shuffled(data.absent),
        risk_factors=shuffled(data.risk_factors),
        region=data.region,
    )
    assert run(reordered) == run(data)


@PROPERTY
@given(inputs, st.data())
def test_same_signal_twice_or_by_another_organisation_does_not_raise(data, draw):
    if not data.signals:
        data = AssessmentInput(**{**data.__dict__, "signals": (draw.draw(observations),)})
    again = draw.draw(st.sampled_from(data.signals))
    other_org = draw.draw(org_types)
    repeated = Observation(again.code, other_org, again.observed_on)
    before = run(data)
    after = run(AssessmentInput(**{**data.__dict__, "signals": (*data.signals, again, repeated)}))
    assert values(after) == values(before)
    assert after.level == before.level


@PROPERTY
@given(st.lists(risk_codes, max_size=len(CATALOGUE.risk_factors)), inputs)
def test_risk_factors_alone_give_level_one_at_most_and_never_lower(risks, data):
    alone = run(AssessmentInput(risk_factors=tuple(risks)))
    assert alone.level.number <= 1
    assert alone.total == 0
    without = run(AssessmentInput(**{**data.__dict__, "risk_factors": ()}))
    with_risks = run(AssessmentInput(**{**data.__dict__, "risk_factors": tuple(risks)}))
    assert_not_lower(without, with_risks)


@PROPERTY
@given(inputs, acute_codes, org_types, st.integers(min_value=0, max_value=RULESET.acute_days))
def test_a_current_acute_signal_gives_level_four(data, code, org, days_ago):
    acute = Observation(code, org, TODAY - timedelta(days=days_ago))
    outcome = run(AssessmentInput(**{**data.__dict__, "signals": (*data.signals, acute)}))
    assert outcome.level.number == 4
    assert any(c.phone == "112" for c in outcome.contacts)


@PROPERTY
@given(
    st.sampled_from(["", *sorted(CATALOGUE.regions)]),
    st.lists(signal_codes, max_size=8).map(tuple),
    st.lists(signal_codes, max_size=8).map(tuple),
)
def test_no_signals_and_no_risk_factors_give_level_zero(region, unknown, absent):
    outcome = run(AssessmentInput(unknown=unknown, absent=absent, region=region))
    assert outcome.level.number == 0
    assert outcome.total == 0


@PROPERTY
@given(inputs)
def test_equal_input_gives_equal_output(data):
    first, second = run(data), run(AssessmentInput(**data.__dict__))
    assert first == second
    assert outcome_to_dict(first, CATALOGUE, RULESET) == outcome_to_dict(second, CATALOGUE, RULESET)


@PROPERTY
@given(inputs)
def test_every_outcome_names_its_rule(data):
    outcome = run(data)
    if outcome.level.number > 0:
        assert outcome.decisive_rules
        assert all(check.holds for check in outcome.decisive_rules)
    summary = " ".join(outcome_to_dict(outcome, CATALOGUE, RULESET)["explanation"]["summary"])
    assert "geen oordeel" in summary
