"""Unit tests of the lens engine on a small synthetic catalogue and the real ruleset."""

from datetime import timedelta

import pytest

from lens.rules.engine import InputError, assess
from lens.rules.model import AssessmentInput, Observation

from .conftest import TODAY


def run(catalogue, ruleset, *codes, **kwargs):
    signals = tuple(c if isinstance(c, Observation) else Observation(c) for c in codes)
    return assess(catalogue, ruleset, AssessmentInput(signals=signals, **kwargs), TODAY)


def test_no_input_is_level_zero_with_every_area_blind(catalogue, ruleset):
    outcome = run(catalogue, ruleset)
    assert outcome.level.number == 0
    assert outcome.total == 0
    assert {b.code for b in outcome.blind_spots} == set(catalogue.life_domains) | set(
        catalogue.indicators
    )
    assert all(b.status == "no_information" for b in outcome.blind_spots)


def test_one_soft_signal_is_level_one(catalogue, ruleset):
    outcome = run(catalogue, ruleset, "debts")
    assert outcome.level.number == 1
    assert [c.rule.code for c in outcome.decisive_rules] == ["l1_signal"]


def test_three_soft_signals_of_one_theme_count_as_two(catalogue, ruleset):
    # debts, cash and luxury: one theme (finance) in one leefgebied (money): 1 + 1 + 1 = 3,
    # capped at the theme cap 2, so level 1 (issue 12 §4: spread, not repetition)
    outcome = run(catalogue, ruleset, "debts", "cash", "luxury")
    assert outcome.total == 2
    assert outcome.level.number == 1
    assert [(t.life_domain, t.indicator, t.value, t.counted) for t in outcome.repeated] == [
        ("money", "finance", 3, 2)
    ]


def test_three_soft_signals_of_three_themes_call_for_consultation(catalogue, ruleset):
    outcome = run(catalogue, ruleset, "debts", "anxious", "drugs_found")  # 1 + 1 + 1
    assert outcome.total == 3
    assert outcome.level.number == 2
    assert [c.rule.code for c in outcome.decisive_rules] == ["l2_sum"]
    assert outcome.repeated == ()


def test_two_soft_signals_in_two_domains_stay_at_level_one(catalogue, ruleset):
    # issue 12 §4 (over-alerting): two soft signals alone do not call for consultation
    one_domain = run(catalogue, ruleset, "debts", "cash")
    two_domains = run(catalogue, ruleset, "debts", "anxious")
    assert one_domain.level.number == 1
    assert two_domains.level.number == 1
    assert [c.rule.code for c in two_domains.decisive_rules] == ["l1_signal"]


def test_serious_concerns_need_value_across_domains(catalogue, ruleset):
    outcome = run(catalogue, ruleset, "debt_bondage", "debts", "anxious")  # 4 + 1 + 1
    assert outcome.total == 6
    assert outcome.level.number == 3
    assert "l3_sum_across_domains" in [c.rule.code for c in outcome.decisive_rules]


def test_acute_signal_is_level_four_with_112_first(catalogue, ruleset):
    outcome = run(catalogue, ruleset, "threatened")
    assert outcome.level.number == 4
    assert outcome.contacts[0].phone == "112"


def test_old_acute_signal_is_not_acute_but_still_counts(catalogue, ruleset):
    old = Observation("threatened", observed_on=TODAY - timedelta(days=ruleset.acute_days + 1))
    outcome = run(catalogue, ruleset, old)
    assert outcome.level.number == 2  # still a strong signal
    assert outcome.metrics["acute"] == 0


def test_old_signals_weigh_less_and_are_shown_apart(catalogue, ruleset):
    old_day = TODAY - timedelta(days=ruleset.recent_days + 1)
    outcome = run(catalogue, ruleset, Observation("debts", observed_on=old_day), "cash")
    assert [s.code for s in outcome.old_signals] == ["debts"]
    assert [s.code for s in outcome.current_signals] == ["cash"]
    assert outcome.total == ruleset.weights["zacht"] * (1 + ruleset.old_weight)


def test_old_signals_do_not_count_for_breadth(catalogue, ruleset):
    old_day = TODAY - timedelta(days=ruleset.recent_days + 1)
    outcome = run(catalogue, ruleset, Observation("debts", observed_on=old_day), "anxious")
    assert outcome.metrics["life_domains"] == 1
    assert outcome.level.number == 1


def test_same_signal_from_two_organisations_counts_once_and_is_corroborated(catalogue, ruleset):
    once = run(catalogue, ruleset, Observation("debts", "school"))
    twice = run(catalogue, ruleset, Observation("debts", "school"), Observation("debts", "gp"))
    assert once.total == twice.total
    assert once.level == twice.level
    assert twice.signals[0].corroborated and twice.signals[0].reports == 2
    assert not once.signals[0].corroborated


def test_risk_factors_raise_and_say_so(catalogue, ruleset):
    without = run(catalogue, ruleset, "debts", "cash")
    with_risk = run(catalogue, ruleset, "debts", "cash", risk_factors=("lvb", "young"))
    assert without.level.number == 1
    assert with_risk.level.number == 2
    assert with_risk.level_without_risk_factors == 1
    assert with_risk.risk_factor_bonus == 2 * ruleset.risk_bonus_per_factor


def test_risk_factors_alone_give_alertness_only(catalogue, ruleset):
    outcome = assess(
        catalogue, ruleset, AssessmentInput(risk_factors=("lvb", "young", "debt")), TODAY
    )
    assert outcome.level.number == 1
    assert outcome.total == 0
    assert [c.rule.code for c in outcome.decisive_rules] == ["l1_risk_factors"]


def test_signal_values_per_indicator_and_domain(catalogue, ruleset):
    outcome = run(catalogue, ruleset, "id_taken", "debts")
    indicators = {v.code: v.value for v in outcome.indicator_values}
    domains = {v.code: v.value for v in outcome.life_domain_values}
    assert indicators == {"finance": 1, "abuse": 0, "crime": 4, "relations": 4}
    assert domains == {"money": 5, "health": 0, "social": 4}
    assert outcome.total == 5  # a signal in two areas counts once in the total


def test_blind_spots_tell_unknown_apart_and_skip_areas_looked_at(catalogue, ruleset):
    outcome = run(
        catalogue, ruleset, "debts", unknown=("injuries",), absent=("drugs_found", "new_contacts")
    )
    spots = {(b.kind, b.code): b for b in outcome.blind_spots}
    assert ("life_domain", "money") not in spots  # has a signal
    assert spots[("life_domain", "health")].status == "unknown"
    assert spots[("life_domain", "health")].unknown_signals == ("injuries",)
    assert ("life_domain", "social") not in spots  # answered "nee": looked at
    assert spots[("indicator", "abuse")].seen_by == ("school", "police")


def test_next_level_hint_names_what_is_missing(catalogue, ruleset):
    outcome = run(catalogue, ruleset, "debts", "cash")
    hint = outcome.next_level_rule
    assert hint is not None and hint.level == 2
    assert hint.missing  # something is still needed


def test_regional_contacts_come_first_and_other_regions_never(catalogue, ruleset):
    outcome = run(catalogue, ruleset, "debts", "anxious", "drugs_found", region="a")
    codes = [c.code for c in outcome.contacts]
    assert codes[0] == "zc_a"
    assert "zc_b" not in codes
    assert "vt" in codes


def test_unknown_codes_are_named_with_suggestions(catalogue, ruleset):
    with pytest.raises(InputError) as info:
        run(catalogue, ruleset, "debtz", risk_factors=("lbv",), region="c")
    problems = {p.value: p for p in info.value.problems}
    assert set(problems) == {"debtz", "lbv", "c"}
    assert "debts" in problems["debtz"].suggestions
    assert "lvb" in problems["lbv"].suggestions


def test_dates_after_the_assessment_date_are_refused(catalogue, ruleset):
    with pytest.raises(InputError, match="lies after"):
        run(catalogue, ruleset, Observation("debts", observed_on=TODAY + timedelta(days=1)))


def test_outcome_records_versions(catalogue, ruleset):
    outcome = run(catalogue, ruleset, "debts")
    assert outcome.catalogue_version == "test-1"
    assert outcome.ruleset_version == ruleset.version
