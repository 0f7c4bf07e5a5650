"""Example-based tests of the engine: each rule, cap, threshold and window with an
expectation computed by hand in a comment.

The small catalogue (tests/rules/factories.py) and the real ruleset (weights zacht 1,
middel 2, sterk 4; recent 365 days at half weight after; acute 30 days; caps 8 per
indicator and 12 per leefgebied; risk bonus 0.5 a factor, at most 1.5; level rules as in
catalogue/ruleset.yaml). Small catalogue signals (strength, indicators, leefgebieden):
debts/cash/luxury (zacht, finance, money), injuries/anxious (zacht, abuse, health),
drugs_found (zacht, crime, social), new_contacts (zacht, relations, social),
controlled (middel, relations, social), id_taken (sterk, crime+relations, social+money),
debt_bondage (sterk, finance+crime, money), threatened (sterk acute, abuse+crime,
health+social).
"""

from dataclasses import replace
from datetime import timedelta

import pytest

from lens.rules.engine import InputError, assess
from lens.rules.model import AssessmentInput, Observation

from .conftest import TODAY


def run(catalogue, ruleset, *codes, **kwargs):
    signals = tuple(c if isinstance(c, Observation) else Observation(c) for c in codes)
    return assess(catalogue, ruleset, AssessmentInput(signals=signals, **kwargs), TODAY)


def days_ago(code, days, org=""):
    return Observation(code, org, TODAY - timedelta(days=days))


def rules(outcome):
    return sorted(c.rule.code for c in outcome.decisive_rules)


def ruleset_numbers_are_the_documented_ones(ruleset):
    return (
        ruleset.weights == {"zacht": 1, "middel": 2, "sterk": 4}
        and (ruleset.recent_days, ruleset.old_weight, ruleset.acute_days) == (365, 0.5, 30)
        and (ruleset.indicator_cap, ruleset.life_domain_cap) == (8, 12)
        and (ruleset.risk_bonus_per_factor, ruleset.risk_bonus_max) == (0.5, 1.5)
        and ruleset.risk_alert_min == 2
        and ruleset.theme_cap == 2
    )


def test_the_hand_computations_below_use_these_numbers(ruleset):
    # If the ruleset changes, the hand-computed expectations in this file must be redone.
    assert ruleset_numbers_are_the_documented_ones(ruleset)


# --- weights and the total ----------------------------------------------------------


def test_each_strength_weighs_its_weight(catalogue, ruleset):
    # debts 1 + controlled 2 + debt_bondage 4 = 7
    outcome = run(catalogue, ruleset, "debts", "controlled", "debt_bondage")
    assert {s.code: s.weight for s in outcome.signals} == {
        "debts": 1,
        "controlled": 2,
        "debt_bondage": 4,
    }
    assert outcome.total == 7
    assert outcome.total_before_risk_factors == 7
    assert outcome.metrics["signals"] == 3
    # Counted signals are ordered by weight, heaviest first, then by code.
    assert [s.code for s in outcome.signals] == ["debt_bondage", "controlled", "debts"]


# --- caps -----------------------------------------------------------------------------


def test_indicator_and_domain_values_are_capped_but_the_total_is_not(catalogue, ruleset):
    small_caps = replace(ruleset, indicator_cap=2, life_domain_cap=2.5)
    # finance: debts 1 + cash 1 + luxury 1 = 3 -> capped at 2; money: 3 -> capped at 2.5
    outcome = run(catalogue, small_caps, "debts", "cash", "luxury")
    indicators = {v.code: v.value for v in outcome.indicator_values}
    domains = {v.code: v.value for v in outcome.life_domain_values}
    assert indicators["finance"] == 2
    assert domains["money"] == 2.5
    # The area caps do not touch the total; the theme cap does: debts, cash and luxury are
    # one theme (finance in money), 3 capped at 2.
    assert outcome.total == 2
    assert run(catalogue, replace(small_caps, theme_cap=0), "debts", "cash", "luxury").total == 3
    # Exactly at the cap: finance 2 stays 2, money 2 stays 2.
    at_cap = run(catalogue, small_caps, "debts", "cash")
    assert {v.code: v.value for v in at_cap.indicator_values}["finance"] == 2
    assert {v.code: v.value for v in at_cap.life_domain_values}["money"] == 2


def test_real_caps_on_the_real_catalogue(real_catalogue, real_ruleset):
    # finances: debt_to_exploiter 4 + no_control_own_money 2 + unexplained_debts 1
    #   + unexplained_money_or_possessions 1 + money_mule 2 = 10 -> capped at 8.
    # wonen_financien: those five (10) + no_own_id_documents 4 = 14 -> capped at 12.
    codes = (
        "debt_to_exploiter",
        "no_control_own_money",
        "unexplained_debts",
        "unexplained_money_or_possessions",
        "money_mule",
        "no_own_id_documents",
    )
    outcome = run(real_catalogue, real_ruleset, *codes)
    indicators = {v.code: v.value for v in outcome.indicator_values}
    domains = {v.code: v.value for v in outcome.life_domain_values}
    assert indicators["finances"] == 8
    assert domains["wonen_financien"] == 12
    # coercion_control: debt_to_exploiter 4 + no_control 2 + no_own_id 4 = 10 -> 8
    assert indicators["coercion_control"] == 8
    # identity_documents: no_own_id 4, under the cap
    assert indicators["identity_documents"] == 4
    # 14, never capped by the area caps; the two soft ones (one theme) are 2, under the
    # theme cap
    assert outcome.total == 4 + 2 + 1 + 1 + 2 + 4


def test_area_values_list_their_signals(catalogue, ruleset):
    outcome = run(catalogue, ruleset, "debts", "id_taken")
    by_code = {v.code: v for v in outcome.indicator_values}
    assert set(by_code["relations"].signals) == {"id_taken"}
    assert set(by_code["finance"].signals) == {"debts"}
    assert by_code["abuse"].signals == ()
    assert [v.code for v in outcome.indicator_values] == list(catalogue.indicators)
    assert [v.code for v in outcome.life_domain_values] == list(catalogue.life_domains)


def test_risk_bonus_per_factor_and_its_cap(real_catalogue, real_ruleset):
    factors = ("mild_intellectual_disability", "young_age", "debt_problems", "addiction")
    expected = {0: 0, 1: 0.5, 2: 1.0, 3: 1.5, 4: 1.5}  # 0.5 each, at most 1.5
    for n, bonus in expected.items():
        outcome = run(real_catalogue, real_ruleset, "truancy", risk_factors=factors[:n])
        assert outcome.risk_factor_bonus == bonus, n
        assert outcome.total == 1 + bonus, n
        assert outcome.total_before_risk_factors == 1, n
        assert outcome.metrics["risk_factors"] == n, n


def test_risk_factors_named_twice_count_once(catalogue, ruleset):
    # lvb twice is one risk factor: bonus 0.5, not 1.0
    outcome = run(catalogue, ruleset, "debts", risk_factors=("lvb", "lvb"))
    assert outcome.risk_factors == ("lvb",)
    assert outcome.risk_factor_bonus == 0.5
    assert outcome.metrics["risk_factors"] == 1
    # alone, one risk factor named twice is still below risk_alert_min (2): level 0
    alone = assess(catalogue, ruleset, AssessmentInput(risk_factors=("lvb", "lvb")), TODAY)
    assert alone.level.number == 0
    assert alone.risk_factors == ("lvb",)


def test_no_bonus_without_signals(catalogue, ruleset):
    outcome = assess(catalogue, ruleset, AssessmentInput(risk_factors=("lvb", "young")), TODAY)
    assert outcome.risk_factor_bonus == 0
    assert outcome.total == 0
    assert outcome.level.number == 1  # two risk factors: extra alert
    assert outcome.level_without_risk_factors == 0
    assert rules(outcome) == ["l1_risk_factors"]


# --- level rules: below, at and above each threshold -----------------------------------


def test_level_one_needs_one_signal(catalogue, ruleset):
    assert run(catalogue, ruleset).level.number == 0
    outcome = run(catalogue, ruleset, "debts")
    assert outcome.level.number == 1
    assert rules(outcome) == ["l1_signal"]


def test_l2_sum_threshold(catalogue, ruleset):
    # all soft, each of its own theme: only the sum rule can reach level 2
    below = run(catalogue, ruleset, "debts", "anxious")  # 2 (two leefgebieden)
    at = run(catalogue, ruleset, "debts", "anxious", "drugs_found")  # 3
    assert (below.level.number, at.level.number) == (1, 2)
    assert rules(at) == ["l2_sum"]
    # with the risk bonus: 2 + 0.5 = 2.5 stays below, 2 + 1.0 = 3 reaches it
    assert run(catalogue, ruleset, "debts", "cash", risk_factors=("lvb",)).level.number == 1
    raised = run(catalogue, ruleset, "debts", "cash", risk_factors=("lvb", "young"))
    assert raised.level.number == 2 and rules(raised) == ["l2_sum"]


def test_l2_strong_threshold(catalogue, ruleset):
    # debt_bondage: total 4, one strong, one leefgebied
    outcome = run(catalogue, ruleset, "debt_bondage")
    assert outcome.level.number == 2
    assert outcome.metrics["strong"] == 1
    assert rules(outcome) == ["l2_strong", "l2_sum"]
    # a middel signal is not strong: controlled alone is level 1 (total 2)
    middel = run(catalogue, ruleset, "controlled")
    assert middel.metrics["strong"] == 0
    assert middel.level.number == 1


def test_l2_strong_alone_with_a_lower_weight(catalogue, ruleset):
    # with sterk weighing 2, debt_bondage's total (2) is below 3: only l2_strong holds
    light = replace(ruleset, weights={**ruleset.weights, "sterk": 2})
    outcome = run(catalogue, light, "debt_bondage")
    assert outcome.total == 2
    assert outcome.level.number == 2
    assert rules(outcome) == ["l2_strong"]


def test_two_soft_signals_in_two_leefgebieden_are_level_one(catalogue, ruleset):
    # ruleset 2026.12 (issue 12 §4, over-alerting): l2_domains is gone. debts (money) +
    # anxious (health): 2 signals, 2 leefgebieden, total 2: level 1 by l1_signal only
    outcome = run(catalogue, ruleset, "debts", "anxious")
    assert outcome.metrics["life_domains"] == 2
    assert outcome.level.number == 1
    assert rules(outcome) == ["l1_signal"]
    assert "l2_domains" not in {r.code for lv in ruleset.levels for r in lv.rules}


# --- the theme cap (spread, not repetition) ---------------------------------------------------


def test_theme_cap_below_at_and_above(catalogue, ruleset):
    # debts, cash, luxury: theme finance in leefgebied money, 1 each; the cap is 2
    two = run(catalogue, ruleset, "debts", "cash")  # 2: at the cap, nothing cut
    assert two.total == 2 and two.repeated == ()
    three = run(catalogue, ruleset, "debts", "cash", "luxury")  # 3 -> 2
    assert three.total == 2 and three.total_before_risk_factors == 2
    (theme,) = three.repeated
    assert (theme.life_domain, theme.indicator) == ("money", "finance")
    assert (theme.signals, theme.value, theme.counted) == (("cash", "debts", "luxury"), 3, 2)
    # old soft signals weigh 0.5: three old ones are 1.5; two old and a current one are 2,
    # at the cap (nothing cut); three old and injuries (another theme) 1.5 + 1
    old = [days_ago(c, 400) for c in ("debts", "cash", "luxury")]
    assert run(catalogue, ruleset, *old).total == 1.5
    assert run(catalogue, ruleset, *old[:2], "luxury").total == 2
    assert run(catalogue, ruleset, *old[:2], "luxury").repeated == ()
    mixed = run(catalogue, ruleset, *old, Observation("injuries"))  # other theme: 1.5 + 1
    assert mixed.total == 2.5 and mixed.repeated == ()


def test_theme_cap_counts_medium_and_strong_in_full(catalogue, ruleset):
    # controlled (middel) and new_contacts (zacht) share relations in social: 2 + 1 = 3
    assert run(catalogue, ruleset, "controlled", "new_contacts").total == 3
    # debt_bondage (sterk, finance in money) with three soft finance signals: 4 + 2 = 6
    outcome = run(catalogue, ruleset, "debt_bondage", "debts", "cash", "luxury")
    assert outcome.total == 6
    assert [t.signals for t in outcome.repeated] == [("cash", "debts", "luxury")]


def test_theme_cap_with_the_risk_bonus_and_without_a_cap(catalogue, ruleset):
    # 3 soft of one theme count 2; two risk factors add 1.0: 3, level 2
    outcome = run(catalogue, ruleset, "debts", "cash", "luxury", risk_factors=("lvb", "young"))
    assert (outcome.total_before_risk_factors, outcome.total) == (2, 3)
    assert (outcome.level.number, outcome.level_without_risk_factors) == (2, 1)
    # theme_cap 0: no cap (a ruleset stored before the cap existed)
    uncapped = run(catalogue, replace(ruleset, theme_cap=0), "debts", "cash", "luxury")
    assert (uncapped.total, uncapped.repeated) == (3, ())
    # a cap of 2.5: 3 -> 2.5, and what is cut is said
    (theme,) = run(catalogue, replace(ruleset, theme_cap=2.5), "debts", "cash", "luxury").repeated
    assert (theme.value, theme.counted) == (3, 2.5)


def test_theme_is_the_first_leefgebied_and_first_indicator(real_catalogue, real_ruleset):
    # The example, a new group of friends: three soft signals, all social_relations
    # in werk_sociaal: 3 -> 2, level 1 (ruleset 2026.11 gave level 2 by the sum)
    friends = ("many_new_contacts", "protective_of_new_friends", "breaks_with_own_network")
    outcome = run(real_catalogue, real_ruleset, *friends)
    assert (outcome.total, outcome.level.number) == (2, 1)
    # six signs of low spirits (issue 12 §4b): health in gezondheid (withdrawn also in
    # werk_sociaal, its second): 6 -> 2, level 1
    low = ("anxious", "withdrawn", "mood_swings", "psychosomatic_complaints", "eating_problems")
    outcome = run(real_catalogue, real_ruleset, *low, "exhausted_or_thin")
    assert (outcome.total, outcome.level.number) == (2, 1)
    assert [(t.life_domain, t.indicator, t.value) for t in outcome.repeated] == [
        ("gezondheid", "health", 6)
    ]
    # spread instead: one friends signal, one low-spirits signal, truancy: 3, level 2
    spread = run(real_catalogue, real_ruleset, "many_new_contacts", "anxious", "truancy")
    assert (spread.total, spread.level.number) == (3, 2)


def test_l3_sum_across_domains_threshold(catalogue, ruleset):
    # debt_bondage 4 + anxious 1 = 5 across money and health: below 6 -> level 2
    below = run(catalogue, ruleset, "debt_bondage", "anxious")
    assert below.total == 5 and below.level.number == 2
    # + debts: 6 across two leefgebieden -> level 3
    at = run(catalogue, ruleset, "debt_bondage", "debts", "anxious")
    assert at.total == 6 and at.level.number == 3
    assert rules(at) == ["l3_sum_across_domains"]
    # 4 + 3 soft of one theme (counted 2) = 6 in a single leefgebied (money) is not
    # "across": level 2
    one_domain = run(catalogue, ruleset, "debt_bondage", "debts", "cash", "luxury")
    assert one_domain.total == 6 and one_domain.metrics["life_domains"] == 1
    assert one_domain.level.number == 2


def test_l3_sum_threshold(real_catalogue, real_ruleset):
    # wonen_financien only: unexplained_debts + unexplained_money_or_possessions (theme
    # finances, 2), busy_or_taken_over_home + overdue_house_maintenance (theme
    # living_conditions, 2), money_mule 2 + no_control_own_money 2 (medium): 8
    codes = [
        "unexplained_debts",
        "unexplained_money_or_possessions",
        "busy_or_taken_over_home",
        "overdue_house_maintenance",
        "money_mule",
        "no_control_own_money",
    ]
    below = run(real_catalogue, real_ruleset, *codes)  # 8, one leefgebied
    assert below.total == 8 and below.metrics["life_domains"] == 1
    assert below.level.number == 2
    # a third soft finances signal adds nothing (theme cap): still 8, level 2
    assert run(real_catalogue, real_ruleset, *codes, "front_person_contracts").total == 8
    # 8 + a bonus of 0.5 for one risk factor = 8.5: level 2
    half = run(real_catalogue, real_ruleset, *codes, risk_factors=("addiction",))
    assert half.total == 8.5 and half.level.number == 2
    # 8 + a bonus of 1.0 for two risk factors = 9: level 3 by l3_sum
    at = run(real_catalogue, real_ruleset, *codes, risk_factors=("addiction", "young_age"))
    assert at.total == 9 and at.level.number == 3
    assert rules(at) == ["l3_sum"]
    assert at.level_without_risk_factors == 2


def test_l3_strong_threshold(catalogue, ruleset):
    light = replace(ruleset, weights={**ruleset.weights, "sterk": 1})
    # two strong signals weighing 1 each, both in money only: total 2, one leefgebied
    outcome = run(catalogue, light, "debt_bondage", Observation("debt_bondage", "gp"))
    assert outcome.metrics["strong"] == 1  # the same signal twice is one
    assert outcome.level.number == 2
    two = run(catalogue, light, "debt_bondage", "id_taken")
    assert two.metrics["strong"] == 2
    assert two.level.number == 3
    assert rules(two) == ["l3_strong"]


def test_level_four_needs_a_current_acute_signal(catalogue, ruleset):
    outcome = run(catalogue, ruleset, "threatened")
    assert outcome.level.number == 4
    assert rules(outcome) == ["l4_acute"]
    assert outcome.metrics["acute"] == 1
    # a strong signal that is not acute does not make level 4
    assert run(catalogue, ruleset, "id_taken", "debt_bondage").level.number == 3


# --- recency windows ---------------------------------------------------------------------


def test_recent_window_edge(catalogue, ruleset):
    # 365 days ago is still current (weight 1); 366 days ago is old (weight 0.5)
    edge = run(catalogue, ruleset, days_ago("debts", 365))
    assert edge.signals[0].current and edge.signals[0].weight == 1
    old = run(catalogue, ruleset, days_ago("debts", 366))
    assert not old.signals[0].current and old.signals[0].weight == 0.5
    assert old.total == 0.5
    assert old.level.number == 1  # an old signal is still a signal


def test_one_recent_report_makes_a_signal_current(catalogue, ruleset):
    outcome = run(catalogue, ruleset, days_ago("debts", 800, "school"), days_ago("debts", 10))
    (signal,) = outcome.signals
    assert signal.current and signal.weight == 1
    assert signal.reports == 2
    assert signal.last_observed == TODAY - timedelta(days=10)


def test_undated_signals_are_current(catalogue, ruleset):
    outcome = run(catalogue, ruleset, "threatened")
    assert outcome.signals[0].current and outcome.signals[0].acute
    assert outcome.signals[0].last_observed is None


def test_old_signals_do_not_count_as_strong_or_for_breadth(catalogue, ruleset):
    # debt_bondage 400 days ago: weight 4 * 0.5 = 2, not strong, no leefgebied, no indicator
    outcome = run(catalogue, ruleset, days_ago("debt_bondage", 400))
    assert outcome.total == 2
    assert outcome.metrics["strong"] == 0
    assert outcome.metrics["life_domains"] == 0
    assert outcome.metrics["indicators"] == 0
    assert outcome.metrics["signals"] == 1
    assert outcome.level.number == 1
    # two old strong signals (2 + 2 = 4 >= 3) make level 2 by their sum, not level 3
    two = run(catalogue, ruleset, days_ago("debt_bondage", 400), days_ago("id_taken", 400))
    assert two.metrics["strong"] == 0
    assert two.level.number == 2 and rules(two) == ["l2_sum"]


def test_old_signals_still_count_in_the_area_values(catalogue, ruleset):
    outcome = run(catalogue, ruleset, days_ago("debts", 400), "cash")
    assert {v.code: v.value for v in outcome.indicator_values}["finance"] == 1.5


def test_acute_window_edge(catalogue, ruleset):
    # threatened 30 days ago: acute (level 4); 31 days ago: strong but not acute (level 2)
    at = run(catalogue, ruleset, days_ago("threatened", 30))
    assert at.signals[0].acute and at.level.number == 4
    after = run(catalogue, ruleset, days_ago("threatened", 31))
    assert not after.signals[0].acute and after.metrics["acute"] == 0
    assert after.level.number == 2
    # an old acute report next to a recent one: acute
    both = run(catalogue, ruleset, days_ago("threatened", 200), days_ago("threatened", 3))
    assert both.level.number == 4


def test_a_signal_not_marked_acute_is_never_acute(catalogue, ruleset):
    outcome = run(catalogue, ruleset, days_ago("id_taken", 1))
    assert not outcome.signals[0].acute
    assert outcome.metrics["acute"] == 0


def test_as_of_sets_the_reference_date(catalogue, ruleset):
    # observed 100 days before TODAY; assessed as of 300 days later it is 400 days old
    data = AssessmentInput(signals=(days_ago("debts", 100),), as_of=TODAY + timedelta(days=300))
    outcome = assess(catalogue, ruleset, data, TODAY)
    assert outcome.as_of == TODAY + timedelta(days=300)
    assert not outcome.signals[0].current
    assert assess(catalogue, ruleset, AssessmentInput(), TODAY).as_of == TODAY


# --- corroboration and de-duplication ---------------------------------------------------------


def test_a_report_without_organisation_type_is_not_a_second_organisation(catalogue, ruleset):
    outcome = run(catalogue, ruleset, Observation("debts", "school"), Observation("debts"))
    (signal,) = outcome.signals
    assert signal.organisation_types == ("school",)
    assert not signal.corroborated
    assert signal.reports == 2


def test_same_organisation_twice_is_not_corroboration(catalogue, ruleset):
    outcome = run(
        catalogue, ruleset, Observation("debts", "school"), Observation("debts", "school")
    )
    assert outcome.signals[0].organisation_types == ("school",)
    assert not outcome.signals[0].corroborated


def test_two_kinds_of_organisation_corroborate_without_adding_value(catalogue, ruleset):
    outcome = run(
        catalogue, ruleset, Observation("debts", "police"), Observation("debts", "school")
    )
    (signal,) = outcome.signals
    assert signal.organisation_types == ("police", "school")  # sorted
    assert signal.corroborated
    assert outcome.total == 1 and outcome.metrics["signals"] == 1


# --- level without risk factors -------------------------------------------------------------


def test_level_without_risk_factors(catalogue, ruleset):
    # debts + cash = 2; with two risk factors 3: level 2, without them level 1
    raised = run(catalogue, ruleset, "debts", "cash", risk_factors=("lvb", "young"))
    assert (raised.level.number, raised.level_without_risk_factors) == (2, 1)
    # a bonus that changes nothing: debts + anxious + drugs_found = 3 is level 2 either way
    same = run(catalogue, ruleset, "debts", "anxious", "drugs_found", risk_factors=("lvb",))
    assert (same.level.number, same.level_without_risk_factors) == (2, 2)
    # no risk factors: equal to the level
    plain = run(catalogue, ruleset, "debt_bondage", "id_taken")
    assert (plain.level.number, plain.level_without_risk_factors) == (3, 3)


def test_level_without_risk_factors_ignores_rules_on_their_number(catalogue, ruleset):
    # a ruleset whose level-1 alert needs only one risk factor: one alone is level 1, and
    # level 0 without it
    level_one = next(lv for lv in ruleset.levels if lv.number == 1)
    alert = next(r for r in level_one.rules if "risk_factors" in r.minimum)
    one = replace(alert, minimum={"risk_factors": 1})
    eager = replace(
        ruleset,
        levels=tuple(
            replace(lv, rules=tuple(one if r is alert else r for r in lv.rules))
            if lv.number == 1
            else lv
            for lv in ruleset.levels
        ),
    )
    outcome = assess(catalogue, eager, AssessmentInput(risk_factors=("lvb",)), TODAY)
    assert outcome.level.number == 1
    assert outcome.level_without_risk_factors == 0


# --- the next-level hint --------------------------------------------------------------------


def test_next_level_rule_is_the_one_needing_least(catalogue, ruleset):
    # debts + cash: total 2, 1 leefgebied, 0 strong. Gaps to level 2:
    # l2_sum (3-2)/3 = 0.33; l2_strong (1-0)/1 = 1 -> l2_sum
    hint = run(catalogue, ruleset, "debts", "cash").next_level_rule
    assert (hint.level, hint.rule.code) == (2, "l2_sum")
    assert hint.missing == {"total": (2.0, 3.0)}
    # debt_bondage: total 4, 1 leefgebied, 1 strong. Gaps to level 3:
    # l3_sum_across (6-4)/6 + (2-1)/2 = 0.83; l3_sum (9-4)/9 = 0.56; l3_strong (2-1)/2 = 0.5
    hint = run(catalogue, ruleset, "debt_bondage").next_level_rule
    assert (hint.level, hint.rule.code) == (3, "l3_strong")
    assert hint.missing == {"strong": (1.0, 2.0)}
    # debts + anxious + drugs_found: total 3, 3 leefgebieden, 0 strong. Gaps to level 3:
    # l3_sum_across (6-3)/6 = 0.5; l3_sum (9-3)/9 = 0.67; l3_strong 1 -> l3_sum_across
    hint = run(catalogue, ruleset, "debts", "anxious", "drugs_found").next_level_rule
    assert (hint.level, hint.rule.code) == (3, "l3_sum_across_domains")
    assert hint.missing == {"total": (3.0, 6.0)}


def test_next_level_from_zero_and_none_above_three(catalogue, ruleset):
    # nothing entered: every level-1 rule misses by a whole step; the first wins the tie
    hint = run(catalogue, ruleset).next_level_rule
    assert hint.level == 1
    # risk factors alone, one of two: l1_signal gap 1, l1_risk_factors gap (2-1)/2 = 0.5
    one_risk = assess(catalogue, ruleset, AssessmentInput(risk_factors=("lvb",)), TODAY)
    assert one_risk.next_level_rule.rule.code == "l1_risk_factors"
    # level 3: the only level-4 rule is acute danger, never a "next level"
    assert run(catalogue, ruleset, "debt_bondage", "id_taken").next_level_rule is None
    assert run(catalogue, ruleset, "threatened").next_level_rule is None


def test_rule_checks_report_found_and_needed(catalogue, ruleset):
    # debt_bondage 4 + debts 1 + anxious 1 = 6 in money and health: l3_sum_across_domains
    outcome = run(catalogue, ruleset, "debt_bondage", "debts", "anxious")
    (check,) = outcome.decisive_rules
    assert check.measured == {
        "signals": (3.0, 1.0),
        "total": (6.0, 6.0),
        "life_domains": (2.0, 2.0),
    }
    assert check.holds and check.missing == {}


def test_decisive_rules_are_those_of_the_level_only(catalogue, ruleset):
    # debt_bondage + id_taken: level 3 by l3_strong and l3_sum_across_domains (8, 2 areas);
    # the level-1 and level-2 rules that also hold are not "decisive"
    outcome = run(catalogue, ruleset, "debt_bondage", "id_taken")
    assert rules(outcome) == ["l3_strong", "l3_sum_across_domains"]
    assert all(c.level == 3 for c in outcome.decisive_rules)


# --- unknown, absent and blind spots ------------------------------------------------------------


def test_reported_signals_are_not_listed_as_unknown(catalogue, ruleset):
    outcome = run(catalogue, ruleset, "debts", unknown=("debts", "anxious", "anxious"))
    assert outcome.unknown == ("anxious",)
    spots = {(b.kind, b.code): b for b in outcome.blind_spots}
    assert ("life_domain", "money") not in spots
    assert spots[("life_domain", "health")].unknown_signals == ("anxious",)


def test_unknown_wins_over_absent_for_the_same_signal(catalogue, ruleset):
    # anxious both "weet ik niet" and "nee": treated as unknown, so health is a blind spot
    outcome = run(catalogue, ruleset, unknown=("anxious",), absent=("anxious",))
    spots = {(b.kind, b.code): b.status for b in outcome.blind_spots}
    assert spots[("life_domain", "health")] == "unknown"
    assert spots[("indicator", "abuse")] == "unknown"


def test_absent_answers_remove_blind_spots_and_others_remain(catalogue, ruleset):
    outcome = run(catalogue, ruleset, absent=("injuries",))
    spots = {(b.kind, b.code): b.status for b in outcome.blind_spots}
    assert ("life_domain", "health") not in spots
    assert ("indicator", "abuse") not in spots
    # every other area is still a blind spot, also those after the one looked at
    assert spots == {
        ("life_domain", "money"): "no_information",
        ("life_domain", "social"): "no_information",
        ("indicator", "finance"): "no_information",
        ("indicator", "crime"): "no_information",
        ("indicator", "relations"): "no_information",
    }
    # blind spots come leefgebieden first, then indicators, in catalogue order
    kinds = [b.kind for b in outcome.blind_spots]
    assert kinds == sorted(kinds, key=lambda k: k != "life_domain")


def test_a_reported_signal_that_is_also_absent_counts(catalogue, ruleset):
    outcome = run(catalogue, ruleset, "debts", absent=("debts",))
    assert outcome.level.number == 1
    assert ("life_domain", "money") not in {(b.kind, b.code) for b in outcome.blind_spots}


# --- steps and contacts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "steps", "roles"),
    [
        ((), [], []),
        (("debts",), ["meldcode_1"], ["zorgcoordinator"]),
        (("debt_bondage",), ["meldcode_2"], ["zorgcoordinator", "veilig_thuis"]),
        (
            ("debt_bondage", "id_taken"),
            ["meldcode_3", "meldcode_4"],
            ["zorgcoordinator", "veilig_thuis", "police"],
        ),
        (
            ("threatened",),
            ["meldcode_5"],
            ["acute", "zorgcoordinator", "veilig_thuis", "police"],
        ),
    ],
)
def test_steps_and_contacts_per_level(catalogue, ruleset, codes, steps, roles):
    outcome = run(catalogue, ruleset, *codes, region="a")
    assert [s.code for s in outcome.steps] == steps
    assert [c.role for c in outcome.contacts] == roles
    assert all(c.region in ("", "a") for c in outcome.contacts)


def test_no_region_gives_national_contacts_only(catalogue, ruleset):
    outcome = run(catalogue, ruleset, "debt_bondage")
    assert [c.code for c in outcome.contacts] == ["vt"]  # no zorgcoordinator of a region
    assert outcome.region == ""


def test_input_problems_carry_their_text_and_values_for_translation(catalogue, ruleset):
    # lens.rules.texts: the layer that shows a problem translates `text` with `args`
    with pytest.raises(InputError) as info:
        run(catalogue, ruleset, "debtz")
    (found,) = info.value.problems
    assert found.text == "unknown %(field)s code %(code)s"
    assert found.args == (("code", "'debtz'"), ("field", "signals"))
    assert found.message == "unknown signals code 'debtz'"
    assert (found.field, found.value, found.code) == ("signals", "debtz", "")
