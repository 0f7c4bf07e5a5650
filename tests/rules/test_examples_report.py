"""Example-based tests of the report: every explanation sentence appears exactly when it
should, and the JSON keys hold what their names say. Numbers are computed by hand from
the real ruleset (see test_examples_engine.py for the small catalogue's signals)."""

import re
from dataclasses import replace
from datetime import timedelta

import pytest

from lens.rules.engine import RuleCheck, assess, deciding_rule
from lens.rules.model import AssessmentInput, Observation, Rule, Text
from lens.rules.report import (
    PHRASES,
    conditions,
    contact_dict,
    explanation_lines,
    missing,
    number,
    outcome_to_dict,
    spoken,
)

from .conftest import TODAY

OLD = TODAY - timedelta(days=400)


def outcome_of(catalogue, ruleset, *codes, **kwargs):
    signals = tuple(c if isinstance(c, Observation) else Observation(c) for c in codes)
    return assess(catalogue, ruleset, AssessmentInput(signals=signals, **kwargs), TODAY)


def lines(catalogue, ruleset, *codes, language="nl", **kwargs):
    return explanation_lines(outcome_of(catalogue, ruleset, *codes, **kwargs), ruleset, language)


def starts(found, key, language="nl"):
    """The lines that are the sentence `key`, found by its longest fixed part."""
    fixed = max(re.split(r"\{[^}]*\}", PHRASES[language][key]), key=len)
    return [line for line in found if fixed in line]


# --- numbers in words ---------------------------------------------------------------------


def test_numbers_are_whole_or_rounded_to_two_decimals():
    assert number(2.0) == 2 and isinstance(number(2.0), int)
    assert number(1.5) == 1.5 and isinstance(number(1.5), float)
    assert number(1.234) == 1.23
    assert number(0.999) == 1 and isinstance(number(0.999), int)
    assert spoken(2.25, "nl") == "2,25"
    assert spoken(2.25, "en") == "2.25"
    assert spoken(12, "nl") == "12"


def test_conditions_and_missing_in_words(catalogue, ruleset):
    # debt_bondage 4 + debts 1 + anxious 1 = 6 in two leefgebieden: l3_sum_across_domains
    outcome = outcome_of(catalogue, ruleset, "debt_bondage", "debts", "anxious")
    (check,) = outcome.decisive_rules
    assert conditions(check, "nl") == (
        "aantal signalen 3 (nodig: 1 of meer), signaalwaarde 6 (nodig: 6 of meer), "
        "leefgebieden met signalen 2 (nodig: 2 of meer)"
    )
    assert conditions(check, "en") == (
        "number of signals 3 (needed: 1 or more), signal value 6 (needed: 6 or more), "
        "life domains with signals 2 (needed: 2 or more)"
    )
    hint = outcome_of(catalogue, ruleset, "debts", days_ago_cash()).next_level_rule
    # debts 1 + old cash 0.5 = 1.5: l2_sum misses total 3 (now 1.5)
    assert missing(hint, "nl") == "signaalwaarde 3 of meer (nu 1,5)"
    assert missing(hint, "en-gb") == "signal value 3 or more (now 1.5)"


def test_missing_names_every_unmet_minimum_and_only_those():
    rule = Rule("r", Text("Regel", "Rule"), {"signals": 1, "total": 6.5, "life_domains": 2})
    check = RuleCheck(
        level=3,
        rule=rule,
        measured={"signals": (2.0, 1.0), "total": (4.0, 6.5), "life_domains": (1.0, 2.0)},
    )
    assert missing(check, "nl") == (
        "signaalwaarde 6,5 of meer (nu 4), leefgebieden met signalen 2 of meer (nu 1)"
    )
    assert missing(check, "en") == (
        "signal value 6.5 or more (now 4), life domains with signals 2 or more (now 1)"
    )
    holding = RuleCheck(level=3, rule=rule, measured={"total": (7.5, 6.5)})
    assert conditions(holding, "nl") == "signaalwaarde 7,5 (nodig: 6,5 of meer)"
    assert conditions(holding, "en") == "signal value 7.5 (needed: 6.5 or more)"
    # a parent's words: the same numbers, the metric as a parent reads it
    acute = RuleCheck(level=4, rule=rule, measured={"acute": (1.0, 1.0)})
    assert conditions(acute, "nl", parent=True) == "tekenen van acuut gevaar 1 (nodig: 1 of meer)"
    # a professional reads the same: acute counts the answer "direct danger now" too,
    # which is not a signal (ruleset 2026.12.1)
    assert conditions(acute, "nl") == "tekenen van acuut gevaar 1 (nodig: 1 of meer)"
    assert conditions(acute, "en") == "signs of acute danger 1 (needed: 1 or more)"


def days_ago_cash():
    return Observation("cash", observed_on=OLD)


# --- each sentence, present exactly when it should be ----------------------------------------


def test_nothing_entered(catalogue, ruleset):
    found = lines(catalogue, ruleset)
    assert found == [
        "Er zijn geen signalen ingevuld.",
        "Geen enkele regel voor een hoger niveau geldt.",
        "Er zijn geen risicofactoren ingevuld.",
        "Voor niveau 1 ontbreekt nog: aantal signalen 1 of meer (nu 0).",
        PHRASES["nl"]["caveat"],
    ]


def test_one_signal_in_english(catalogue, ruleset):
    found = lines(catalogue, ruleset, "debts", language="en")
    assert found == [
        "1 signal counted, together a signal value of 1.",
        "Level 1 because rule 'At least one signal' holds: "
        "number of signals 1 (needed: 1 or more).",
        "No risk factors were entered.",
        "Level 2 would still need: signal value 3 or more (now 1).",
        PHRASES["en"]["caveat"],
    ]


def test_counted_sentence_uses_the_total_before_the_bonus(catalogue, ruleset):
    # debts + cash = 2; the bonus (1.0) is named in its own sentence
    found = lines(catalogue, ruleset, "debts", "cash", risk_factors=("lvb", "young"))
    assert found[0] == "2 signalen geteld, samen een signaalwaarde van 2."
    assert starts(found, "no_signals") == []


def test_one_rule_sentence_for_the_rule_that_decided(catalogue, ruleset):
    # debt_bondage: l2_sum (total 4 >= 3) and l2_strong both hold at level 2; the first in
    # the ruleset's order decided it and is the one rule sentence (issue 12: two rule
    # sentences of one level read as two reasons that add up)
    outcome = outcome_of(catalogue, ruleset, "debt_bondage")
    assert [c.rule.code for c in outcome.decisive_rules] == ["l2_sum", "l2_strong"]
    found = explanation_lines(outcome, ruleset, "nl")
    rule_lines = [line for line in found if line.startswith("Niveau 2 omdat regel")]
    assert rule_lines == [
        "Niveau 2 omdat regel 'Totale signaalwaarde 3 of meer' geldt: "
        "aantal signalen 1 (nodig: 1 of meer), signaalwaarde 4 (nodig: 3 of meer).",
    ]
    assert starts(found, "no_rule") == []
    # the same in a parent's words and in English: one sentence, the first rule's
    parent = explanation_lines(outcome, ruleset, "en", parent=True)
    said = [line for line in parent if "so level" in line or "Level 2" in line]
    assert len(said) == 1, parent
    english = explanation_lines(outcome, ruleset, "en")
    assert [line for line in english if line.startswith("Level 2 because")] == [
        "Level 2 because rule 'Total signal value 3 or more' holds: "
        "number of signals 1 (needed: 1 or more), signal value 4 (needed: 3 or more).",
    ]
    # the JSON (`lens assess --json`, the API) says the same, and still lists every rule
    # that holds at the level
    result = outcome_to_dict(outcome, catalogue, ruleset, "nl")
    assert result["explanation"]["summary"] == found
    assert [r["code"] for r in result["explanation"]["rules"]] == ["l2_sum", "l2_strong"]


def test_the_deciding_rule_is_the_first_that_holds_at_the_level(catalogue, ruleset):
    # debt_bondage + id_taken: l3_sum_across_domains and l3_strong hold, in that order
    both = outcome_of(catalogue, ruleset, "debt_bondage", "id_taken")
    codes = [c.rule.code for c in both.decisive_rules]
    assert codes == ["l3_sum_across_domains", "l3_strong"]
    assert deciding_rule(both).rule.code == "l3_sum_across_domains"
    found = explanation_lines(both, ruleset, "nl")
    assert len([line for line in found if line.startswith("Niveau 3 omdat regel")]) == 1
    # one rule holding: that one; none (level 0): no deciding rule
    (only,) = outcome_of(catalogue, ruleset, "debts").decisive_rules
    assert deciding_rule(outcome_of(catalogue, ruleset, "debts")) == only
    assert deciding_rule(outcome_of(catalogue, ruleset)) is None


def test_no_rule_sentence_only_at_level_zero(catalogue, ruleset):
    # one risk factor alone: level 0, no rule holds
    found = lines(catalogue, ruleset, risk_factors=("lvb",))
    assert starts(found, "no_rule") == ["Geen enkele regel voor een hoger niveau geldt."]
    # two risk factors alone: level 1 by a rule, so no "no rule" sentence
    found = lines(catalogue, ruleset, risk_factors=("lvb", "young"))
    assert starts(found, "no_rule") == []


def test_risk_sentences(catalogue, ruleset):
    none = lines(catalogue, ruleset, "debts")
    assert starts(none, "risk_none") == ["Er zijn geen risicofactoren ingevuld."]
    # one risk factor without signals: below risk_alert_min (2), so no alert and no bonus
    one_alone = lines(catalogue, ruleset, risk_factors=("lvb",))
    for key in ("risk_none", "risk_alert", "risk_raised", "risk_bonus"):
        assert starts(one_alone, key) == [], key
    # two without signals: extra alert
    two_alone = lines(catalogue, ruleset, risk_factors=("lvb", "young"))
    assert starts(two_alone, "risk_alert") == [
        "2 risicofactoren zonder signalen: wees extra alert (hoogstens niveau 1)."
    ]
    # with signals, raising the level: 2 + 1.0 = 3, level 2 instead of 1
    raised = lines(catalogue, ruleset, "debts", "cash", risk_factors=("lvb", "young"))
    assert starts(raised, "risk_raised") == [
        "Bonus voor 2 risicofactoren: 1 extra signaalwaarde, samen 3; daardoor is het niveau 2 "
        "in plaats van 1. Risicofactoren alleen geven nooit een hoger niveau. Maar als er ook "
        "signalen zijn, tellen ze mee: wie kwetsbaar is, is makkelijker uit te buiten."
    ]
    # the parent's words say the same
    parent = explanation_lines(
        outcome_of(catalogue, ruleset, "debts", "cash", risk_factors=("lvb", "young")),
        ruleset,
        "nl",
        parent=True,
    )
    assert [line for line in parent if "Alleen geven risicofactoren nooit" in line] == [
        "De 2 risicofactoren die u aankruiste, tellen samen 1 mee; de signaalwaarde is nu 3. "
        "Daardoor is het niveau 2 in plaats van 1. Alleen geven risicofactoren nooit een hoger "
        "niveau. Maar als er ook signalen zijn, tellen ze mee: wie kwetsbaar is, is "
        "makkelijker uit te buiten."
    ]
    assert starts(raised, "risk_alert") == []
    # with signals, not raising the level: 1 + 0.5 = 1.5 is level 1 either way
    same = lines(catalogue, ruleset, "debts", risk_factors=("lvb",))
    assert starts(same, "risk_bonus") == [
        "Bonus voor 1 risicofactor: 0,5 extra signaalwaarde, samen 1,5; het niveau verandert "
        "daardoor niet."
    ]
    assert [line for line in same if "in plaats van" in line] == []  # no level raised


NUMBER = r"(\d+(?:[.,]\d+)?)"


def shown(text: str) -> float:
    return float(text.replace(",", "."))


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("signals", "risk_factors"),
    [
        (("debts", "cash"), ("lvb", "young")),  # the bonus raises the level
        (("debts",), ("lvb",)),  # the bonus changes nothing
        (("debts", "cash"), ()),  # no bonus
    ],
)
def test_the_numbers_shown_add_up_to_the_rules_value(
    catalogue, ruleset, language, signals, risk_factors
):
    """The signals' value, plus the bonus on its own line right after it, is the value
    every rule line compares: a reader who adds the numbers gets the rule's number."""
    found = lines(catalogue, ruleset, *signals, risk_factors=risk_factors, language=language)
    value = "signaalwaarde" if language == "nl" else "signal value"
    counted = re.search(rf"{value} (?:van |of ){NUMBER}\.$", found[0])
    assert counted, found[0]
    seen = shown(counted.group(1))
    if risk_factors:
        bonus_line = found[1]
        assert bonus_line.startswith("Bonus"), found  # its own line, right after
        bonus, together = re.search(
            rf": {NUMBER} .*?, (?:samen|together) {NUMBER};", bonus_line
        ).groups()
        assert shown(together) == seen + shown(bonus)
        seen += shown(bonus)
    # the value as the rule lines compare it ("signaalwaarde 3 (nodig: 3 of meer)") and as
    # the next level's line gives it ("signaalwaarde 6 of meer (nu 3)")
    compared = []
    for line in found[1:]:
        compared += [shown(m) for m in re.findall(rf"{value} {NUMBER} \((?:nodig|needed):", line)]
        now = rf"{value} {NUMBER} (?:of meer|or more) \((?:nu|now) {NUMBER}\)"
        compared += [shown(current) for _needed, current in re.findall(now, line)]
    assert compared, found
    assert all(c == seen for c in compared), (seen, found)


def test_old_sentence_only_with_old_signals(catalogue, ruleset):
    found = lines(catalogue, ruleset, "debts", days_ago_cash())
    assert starts(found, "old") == [
        "Ouder dan 365 dagen: 1 signaal. Die tellen mee voor 50% van hun gewicht en staan apart."
    ]
    assert starts(lines(catalogue, ruleset, "debts", "cash"), "old") == []
    # a ruleset that counts old signals fully says so
    full = replace(ruleset, old_weight=1.0, recent_days=100)
    found = explanation_lines(outcome_of(catalogue, full, days_ago_cash()), full, "en")
    assert starts(found, "old", "en") == [
        "Older than 100 days: 1 signal. They count for 100% of their weight and are shown apart."
    ]


def test_repeated_sentence_only_when_a_theme_is_cut(catalogue, ruleset):
    # debts, cash, luxury: one theme (finance in money), 3 counted for 2
    outcome = outcome_of(catalogue, ruleset, "debts", "cash", "luxury")
    found = explanation_lines(outcome, ruleset, "nl", catalogue=catalogue)
    assert found[:2] == [
        "3 signalen geteld, samen een signaalwaarde van 2.",
        "3 signalen gaan over hetzelfde (finance, in Geld). Samen tellen ze voor 2, niet voor "
        "3: signalen uit verschillende leefgebieden wegen zwaarder dan signalen die op één "
        "plek terugkomen.",
    ]
    english = explanation_lines(outcome, ruleset, "en", catalogue=catalogue)
    assert starts(english, "repeated", "en") == [
        "3 signals are about the same thing (finance, in Geld). Together they count for 2, "
        "not 3: signals from different life domains weigh more than signals that come back "
        "in one place."
    ]
    # without a catalogue the codes stand in for the names; a parent reads the same
    assert (
        "(finance, in money)"
        in starts(lines(catalogue, ruleset, "debts", "cash", "luxury"), "repeated")[0]
    )
    parent = explanation_lines(outcome, ruleset, "nl", parent=True, catalogue=catalogue)
    assert starts(parent, "repeated") == found[1:2]
    # at the cap (two of a theme) or spread over themes: no such sentence
    assert starts(lines(catalogue, ruleset, "debts", "cash"), "repeated") == []
    assert starts(lines(catalogue, ruleset, "debts", "anxious", "drugs_found"), "repeated") == []
    # a cap of 2.5 says 2,5 in Dutch
    half = replace(ruleset, theme_cap=2.5)
    found = explanation_lines(outcome_of(catalogue, half, "debts", "cash", "luxury"), half, "nl")
    assert "Samen tellen ze voor 2,5, niet voor 3:" in starts(found, "repeated")[0]


def test_json_lists_the_themes_counted_for_less(catalogue, ruleset):
    outcome = outcome_of(catalogue, ruleset, "debt_bondage", "debts", "cash", "luxury")
    result = outcome_to_dict(outcome, catalogue, ruleset, "en")
    assert result["explanation"]["repeated"] == [
        {
            "life_domain": "money",
            "indicator": "finance",
            "signals": ["cash", "debts", "luxury"],
            "value": 3,
            "counted": 2,
        }
    ]
    # 4 + 2: the total the rules compare, and the summary names the theme
    assert result["values"]["total"] == 6
    assert any("(finance, in Geld)" in line for line in result["explanation"]["summary"])


def test_corroborated_sentence_only_with_two_kinds_of_organisation(catalogue, ruleset):
    two = lines(catalogue, ruleset, Observation("debts", "school"), Observation("debts", "gp"))
    assert starts(two, "corroborated") == ["Door meer dan één soort organisatie gezien: 1 signaal."]
    # a report without organisation type is not a second organisation
    one = lines(catalogue, ruleset, Observation("debts", "school"), Observation("debts"))
    assert starts(one, "corroborated") == []


def test_next_sentence_absent_when_there_is_no_next_level(catalogue, ruleset):
    found = lines(catalogue, ruleset, "debt_bondage", "id_taken")  # level 3: no next level
    assert starts(found, "next") == []
    assert found[-1] == PHRASES["nl"]["caveat"]


# --- the JSON ---------------------------------------------------------------------------------


def test_json_of_a_mixed_outcome(catalogue, ruleset):
    # debts (school, police: corroborated), old cash (0.5), anxious; one risk factor
    outcome = outcome_of(
        catalogue,
        ruleset,
        Observation("debts", "school", TODAY - timedelta(days=3)),
        Observation("debts", "police"),
        days_ago_cash(),
        "anxious",
        risk_factors=("lvb",),
        unknown=("injuries", "debts"),
        region="a",
    )
    result = outcome_to_dict(outcome, catalogue, ruleset, "nl")
    # total before bonus: 1 + 0.5 + 1 = 2.5; bonus 0.5; total 3
    assert result["values"]["total"] == 3
    assert result["values"]["total_before_risk_factors"] == 2.5
    assert result["values"]["risk_factor_bonus"] == 0.5
    assert result["values"]["indicators"]["finance"] == {
        "label": "finance",
        "value": 1.5,
        "signals": ["debts", "cash"],
    }
    assert result["values"]["life_domains"]["health"]["value"] == 1
    assert result["values"]["life_domains"]["money"]["label"] == "Geld"
    explanation = result["explanation"]
    assert [s["code"] for s in explanation["signals"]] == ["anxious", "debts"]
    assert [s["code"] for s in explanation["old_signals"]] == ["cash"]
    debts = explanation["signals"][1]
    assert debts == {
        "code": "debts",
        "label": "debts",
        "strength": "zacht",
        "weight": 1,
        "current": True,
        "acute": False,
        "reports": 2,
        "organisation_types": ["police", "school"],
        "corroborated": True,
        "last_observed": (TODAY - timedelta(days=3)).isoformat(),
        "indicators": ["finance"],
        "life_domains": ["money"],
    }
    assert explanation["old_signals"][0]["weight"] == 0.5
    assert explanation["old_signals"][0]["current"] is False
    assert explanation["old_signals"][0]["last_observed"] == OLD.isoformat()
    assert explanation["signals"][0]["last_observed"] is None
    assert explanation["risk_factors"] == [{"code": "lvb", "label": "lvb"}]
    # level 2 by l2_sum (3 >= 3); without the bonus (2.5) level 1 (ruleset 2026.12: two
    # soft signals in two leefgebieden alone are level 1)
    assert result["level"] == 2
    assert explanation["level_without_risk_factors"] == 1
    assert [r["code"] for r in explanation["rules"]] == ["l2_sum"]
    assert explanation["repeated"] == []  # debts 1 + old cash 0.5 = 1.5: under the cap
    sum_rule = next(r for r in explanation["rules"] if r["code"] == "l2_sum")
    assert sum_rule == {
        "level": 2,
        "code": "l2_sum",
        "description": "Totale signaalwaarde 3 of meer",
        "measured": {"signals": 3, "total": 3},
        "minimum": {"signals": 1, "total": 3},
    }
    assert explanation["metrics"] == {
        "signals": 3,
        "total": 3,
        "life_domains": 2,
        "indicators": 2,
        "strong": 0,
        "acute": 0,
        "risk_factors": 1,
    }
    assert explanation["unknown"] == ["injuries"]  # debts was reported, so not unknown
    assert explanation["next_level"]["level"] == 3
    assert explanation["summary"] == explanation_lines(outcome, ruleset, "nl")
    assert result["region"] == "a"
    assert result["as_of"] == TODAY.isoformat()
    assert result["ruleset_version"] == ruleset.version
    assert result["label"] == "Overleggen"
    assert result["meaning"].startswith("De signalen samen zijn reden om te overleggen")
    assert [s["code"] for s in result["next_steps"]["steps"]] == ["meldcode_2"]
    step = result["next_steps"]["steps"][0]
    assert (step["route"], step["number"], step["label"]) == ("meldcode", 2, "Stap 2")
    assert step["explanation"] == "x"
    assert [c["code"] for c in result["next_steps"]["contacts"]] == ["zc_a", "vt"]


def test_json_blind_spots(catalogue, ruleset):
    outcome = outcome_of(catalogue, ruleset, "debts", unknown=("anxious",))
    result = outcome_to_dict(outcome, catalogue, ruleset, "en")
    spots = {(b["kind"], b["code"]): b for b in result["blind_spots"]}
    assert spots[("life_domain", "health")] == {
        "kind": "life_domain",
        "code": "health",
        "label": "Gezondheid",
        "status": "unknown",
        "unknown_signals": ["anxious"],
        "seen_by": [{"code": "gp", "label": "gp"}],
    }
    assert spots[("indicator", "crime")]["status"] == "no_information"
    assert ("life_domain", "money") not in spots


def test_json_without_next_level_or_region(catalogue, ruleset):
    outcome = outcome_of(catalogue, ruleset, "threatened")
    result = outcome_to_dict(outcome, catalogue, ruleset, "en")
    assert result["explanation"]["next_level"] is None
    assert result["region"] is None
    assert result["label"] == "Acute danger"
    assert result["explanation"]["signals"][0]["acute"] is True
    assert [c["code"] for c in result["next_steps"]["contacts"]] == ["c112", "vt", "pol"]


def test_contact_dict_leaves_empty_fields_out_as_none(catalogue):
    contact = contact_dict(catalogue.contacts["vt"], "nl")
    assert contact == {
        "code": "vt",
        "role": "veilig_thuis",
        "label": "Veilig Thuis",
        "explanation": "x",
        "region": None,
        "phone": "0800-2000",
        "url": None,
        "email": None,
        "hours": None,
        "always_available": False,
    }
    assert contact_dict(catalogue.contacts["zc_a"], "en")["region"] == "a"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_phrase_exists_in_both_languages(language):
    assert set(PHRASES[language]) == set(PHRASES["nl"])


def test_contact_dict_of_a_real_contact_with_hours(real_catalogue):
    contact = real_catalogue.contacts["emergency_112"]
    assert contact_dict(contact, "en")["hours"] == "Always"
    assert contact_dict(contact, "nl")["hours"] == "Altijd"
    assert contact_dict(contact, "nl")["always_available"] is True
    assert contact_dict(contact, "nl")["label"] == contact.label.nl
    assert contact_dict(contact, "en")["label"] == contact.label.en


def test_signal_labels_come_from_the_catalogue(catalogue, ruleset):
    outcome = outcome_of(catalogue, ruleset, "drugs_found")
    (signal,) = outcome_to_dict(outcome, catalogue, ruleset, "en")["explanation"]["signals"]
    assert signal["label"] == "drugs found"  # the label, not the code "drugs_found"


def test_codes_the_catalogue_no_longer_has_are_shown_as_codes(catalogue, ruleset):
    # An outcome computed earlier, shown with a catalogue from which the signal, its
    # indicator and the risk factor have since gone: the codes stand in for the labels.
    outcome = outcome_of(catalogue, ruleset, "drugs_found", risk_factors=("lvb",))
    newer = replace(
        catalogue,
        signals={c: s for c, s in catalogue.signals.items() if c != "drugs_found"},
        indicators={c: i for c, i in catalogue.indicators.items() if c != "crime"},
        risk_factors={c: r for c, r in catalogue.risk_factors.items() if c != "lvb"},
        life_domains={c: d for c, d in catalogue.life_domains.items() if c != "health"},
        organisation_types={},
    )
    result = outcome_to_dict(outcome, newer, ruleset, "nl")
    assert result["explanation"]["signals"][0]["label"] == "drugs_found"
    assert result["values"]["indicators"]["crime"]["label"] == "crime"
    assert result["explanation"]["risk_factors"] == [{"code": "lvb", "label": "lvb"}]
    spot = next(b for b in result["blind_spots"] if b["code"] == "health")
    assert spot["label"] == "health"
    assert spot["seen_by"] == [{"code": "gp", "label": "gp"}]


def test_json_labels_on_the_real_catalogue(real_catalogue, real_ruleset):
    outcome = assess(
        real_catalogue,
        real_ruleset,
        AssessmentInput(
            signals=(Observation("truancy"),), risk_factors=("mild_intellectual_disability",)
        ),
        TODAY,
    )
    result = outcome_to_dict(outcome, real_catalogue, real_ruleset, "nl")
    assert (
        result["explanation"]["signals"][0]["label"] == "Spijbelen, schoolverzuim of schooluitval"
    )
    assert result["explanation"]["risk_factors"] == [
        {"code": "mild_intellectual_disability", "label": "Licht verstandelijke beperking (LVB)"}
    ]
    assert result["values"]["indicators"]["travel"]["label"] == "Reizen"
    spots = {(b["kind"], b["code"]): b for b in result["blind_spots"]}
    travel = spots[("indicator", "travel")]
    assert travel["label"] == "Reizen"
    assert travel["status"] == "no_information"
    org_labels = {o["code"]: o["label"] for o in travel["seen_by"]}
    assert all(org_labels[c] == real_catalogue.organisation_types[c].label.nl for c in org_labels)
    assert org_labels  # travel is seen by at least one kind of organisation
    assert any(label != code for code, label in org_labels.items())


def test_repeated_sentence_names_the_theme_by_its_labels(real_catalogue, real_ruleset):
    # A new group of friends (issue 12 §4): three soft social_relations signals in
    # werk_sociaal, 3 counted for 2; named by the catalogue's labels, not its codes
    friends = ("many_new_contacts", "protective_of_new_friends", "breaks_with_own_network")
    outcome = outcome_of(real_catalogue, real_ruleset, *friends)
    found = explanation_lines(outcome, real_ruleset, "nl", catalogue=real_catalogue)
    assert starts(found, "repeated") == [
        "3 signalen gaan over hetzelfde (Vrienden en contacten, in Werk, Activiteiten & "
        "Sociale Relaties). Samen tellen ze voor 2, niet voor 3: signalen uit verschillende "
        "leefgebieden wegen zwaarder dan signalen die op één plek terugkomen."
    ]
    english = explanation_lines(outcome, real_ruleset, "en", catalogue=real_catalogue)
    indicator = real_catalogue.indicators["social_relations"].label.en
    domain = real_catalogue.life_domains["werk_sociaal"].label.en
    assert f"({indicator}, in {domain})" in starts(english, "repeated", "en")[0]


def test_one_risk_factor_alone_adds_no_risk_sentence_at_all(catalogue, ruleset):
    # below risk_alert_min (2) and no signals: no risk line, not even an empty one; the
    # next level is l1_risk_factors (gap (2-1)/2 = 0.5 against l1_signal's 1)
    assert lines(catalogue, ruleset, risk_factors=("lvb",)) == [
        PHRASES["nl"]["no_signals"],
        PHRASES["nl"]["no_rule"],
        "Voor niveau 1 ontbreekt nog: risicofactoren 2 of meer (nu 1).",
        PHRASES["nl"]["caveat"],
    ]


def test_a_parent_reads_the_rule_and_its_conditions_in_a_parents_words(catalogue, ruleset):
    # debt_bondage 4 + debts 1 + anxious 1 = 6 in money and health: l3_sum_across_domains,
    # its parent_description and the parent's name of the metric ("areas of life")
    outcome = outcome_of(catalogue, ruleset, "debt_bondage", "debts", "anxious")
    found = explanation_lines(outcome, ruleset, "en", parent=True)
    assert found[1] == (
        "Your signals together have a signal value of 6 or more, in at least two areas of "
        "life, so level 3: number of signals 3 (needed: 1 or more), signal value 6 (needed: "
        "6 or more), areas of life with signals 2 (needed: 2 or more)."
    )
    professional = explanation_lines(outcome, ruleset, "en")
    assert "life domains with signals 2 (needed: 2 or more)" in professional[1]
    assert "areas of life" not in professional[1]


def test_repeated_sentence_says_a_fractional_sum_in_dutch(catalogue, ruleset):
    # debts 1 + cash 1 + old luxury 0.5 = 2.5 in one theme, counted 2
    found = lines(catalogue, ruleset, "debts", "cash", Observation("luxury", observed_on=OLD))
    assert "Samen tellen ze voor 2, niet voor 2,5:" in starts(found, "repeated")[0]


def test_what_the_next_level_needs_in_a_parents_words(catalogue, ruleset):
    # a ruleset whose only level-2 rule asks for two leefgebieden: debts alone (money) is
    # level 1 and misses life_domains 2 (now 1), said for a parent as "areas of life"
    spread = Rule("spread", Text("Spreiding", "Spread"), {"signals": 1, "life_domains": 2})
    only = replace(
        ruleset,
        levels=tuple(
            replace(lv, rules=(spread,)) if lv.number == 2 else lv for lv in ruleset.levels
        ),
    )
    outcome = outcome_of(catalogue, only, "debts")
    assert outcome.next_level_rule.rule is spread
    parent = explanation_lines(outcome, only, "en", parent=True)
    assert "The level would become 2 with: areas of life with signals 2 or more (now 1)." in parent
    professional = explanation_lines(outcome, only, "en")
    assert "Level 2 would still need: life domains with signals 2 or more (now 1)." in professional
    check = RuleCheck(level=2, rule=spread, measured={"life_domains": (1.0, 2.0)})
    assert missing(check, "en", parent=True) == "areas of life with signals 2 or more (now 1)"


# --- one risk factor or more: the verb agrees (third outside probe: "De 1 risicofactor ...
# tellen") --------------------------------------------------------------------------------


def _risk_line(catalogue, ruleset, risks, language, *, parent):
    outcome = outcome_of(catalogue, ruleset, "debts", risk_factors=risks)
    found = explanation_lines(outcome, ruleset, language, parent=parent)
    return [line for line in found if "risicofactor" in line or "risk factor" in line]


@pytest.mark.parametrize(
    ("risks", "language", "parent", "expected"),
    [
        # 0: no bonus, only "none ticked"
        ((), "nl", True, ["U heeft geen risicofactoren aangekruist."]),
        ((), "en", True, ["You ticked no risk factors."]),
        ((), "nl", False, ["Er zijn geen risicofactoren ingevuld."]),
        # 1: singular noun, singular verb, no "samen"/"1 risicofactor" with a plural verb
        (
            ("lvb",),
            "nl",
            True,
            [
                "De risicofactor die u aankruiste, telt 0,5 mee; de signaalwaarde is nu 1,5. "
                "Het niveau verandert daardoor niet."
            ],
        ),
        (
            ("lvb",),
            "en",
            True,
            [
                "The risk factor you ticked adds 0.5; the signal value is now 1.5. The level "
                "does not change."
            ],
        ),
        (
            ("lvb",),
            "nl",
            False,
            [
                "Bonus voor 1 risicofactor: 0,5 extra signaalwaarde, samen 1,5; het niveau "
                "verandert daardoor niet."
            ],
        ),
        (
            ("lvb",),
            "en",
            False,
            [
                "Bonus for 1 risk factor: 0.5 added to the signal value, together 1.5; the "
                "level does not change."
            ],
        ),
        # 2: plural noun and verb
        (
            ("lvb", "young"),
            "nl",
            True,
            [
                "De 2 risicofactoren die u aankruiste, tellen samen 1 mee; de signaalwaarde is "
                "nu 2. Het niveau verandert daardoor niet."
            ],
        ),
        (
            ("lvb", "young"),
            "en",
            True,
            [
                "The 2 risk factors you ticked add 1; the signal value is now 2. The level "
                "does not change."
            ],
        ),
    ],
)
def test_risk_bonus_sentence_for_0_1_2_factors(
    catalogue, ruleset, risks, language, parent, expected
):
    assert _risk_line(catalogue, ruleset, risks, language, parent=parent) == expected
