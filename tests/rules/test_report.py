"""The outcome in words and as stable JSON."""

from datetime import timedelta

from lens.rules.engine import assess
from lens.rules.model import AssessmentInput, Observation
from lens.rules.report import count, explanation_lines, outcome_to_dict, spoken

from .conftest import TODAY


def test_counts_use_singular_and_plural():
    assert count(1, "signal", "nl") == "1 signaal"
    assert count(3, "signal", "nl") == "3 signalen"
    assert count(2, "risk_factor", "en") == "2 risk factors"


def test_dutch_numbers_use_a_decimal_comma():
    assert spoken(1.5, "nl") == "1,5"
    assert spoken(1.5, "en") == "1.5"
    assert spoken(2.0, "nl") == "2"


def test_explanation_names_the_rule_the_risk_effect_and_old_signals(catalogue, ruleset):
    old = Observation("anxious", observed_on=TODAY - timedelta(days=ruleset.recent_days + 5))
    data = AssessmentInput(
        signals=(Observation("debts"), Observation("cash"), old),
        risk_factors=("lvb", "young"),
    )
    outcome = assess(catalogue, ruleset, data, TODAY)
    lines = explanation_lines(outcome, ruleset, "nl")
    text = " ".join(lines)
    assert "3 signalen geteld, samen een signaalwaarde van 2,5." in text
    assert "Bonus voor 2 risicofactoren: 1 extra signaalwaarde" in text
    assert "Ouder dan 365 dagen: 1 signaal." in text
    assert "Totale signaalwaarde 3 of meer" in text  # the deciding rule, by name
    assert lines[-1].startswith("Dit is signaleringsondersteuning, geen oordeel")


def test_json_keeps_numbers_as_numbers(catalogue, ruleset):
    outcome = assess(catalogue, ruleset, AssessmentInput(signals=(Observation("debts"),)), TODAY)
    result = outcome_to_dict(outcome, catalogue, ruleset, "nl")
    assert result["values"]["total"] == 1
    assert result["values"]["indicators"]["finance"]["value"] == 1
    assert result["explanation"]["signals"][0]["code"] == "debts"
    assert result["catalogue_version"] == "test-1"
