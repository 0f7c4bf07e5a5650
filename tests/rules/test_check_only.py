""" "Is er nu direct gevaar?" (direct_danger_now, check_only) in the engine, as the check
and `lens assess` use it: a yes is acute (level 4); a "don't know" is no blind spot."""

from lens.rules.engine import assess
from lens.rules.model import AssessmentInput, Observation

from .conftest import TODAY

DANGER = "direct_danger_now"


def test_yes_is_acute(real_catalogue, real_ruleset):
    assert real_catalogue.signals[DANGER].check_only
    result = assess(
        real_catalogue, real_ruleset, AssessmentInput(signals=(Observation(DANGER),)), TODAY
    )
    assert result.level.number == 4


def test_dont_know_is_never_a_blind_spot(real_catalogue, real_ruleset):
    result = assess(real_catalogue, real_ruleset, AssessmentInput(unknown=(DANGER,)), TODAY)
    assert result.unknown == (DANGER,)  # still reported as answered "don't know"
    assert all(DANGER not in spot.unknown_signals for spot in result.blind_spots)
    assert all(spot.status != "unknown" for spot in result.blind_spots)
    # another signal's "don't know" in the same areas still is one
    other = "family_threatened"
    result = assess(real_catalogue, real_ruleset, AssessmentInput(unknown=(DANGER, other)), TODAY)
    spots = [s for s in result.blind_spots if s.status == "unknown"]
    assert spots and all(s.unknown_signals == (other,) for s in spots)


# --- the answer is context: acute danger, counted nowhere else (third outside probe) ------


def _assess(catalogue, ruleset, *codes, **kwargs):
    data = AssessmentInput(signals=tuple(Observation(c) for c in codes), **kwargs)
    return assess(catalogue, ruleset, data, TODAY)


def test_yes_alone_is_level_4_with_no_signal_counted(real_catalogue, real_ruleset):
    result = _assess(real_catalogue, real_ruleset, DANGER)
    assert result.level.number == 4
    assert result.signals == ()
    assert [q.code for q in result.questions] == [DANGER]
    assert result.metrics["signals"] == 0
    assert result.metrics["acute"] == 1
    assert result.total == 0
    assert result.metrics["life_domains"] == 0
    assert result.metrics["indicators"] == 0
    assert all(v.value == 0 for v in result.life_domain_values)
    assert all(v.value == 0 for v in result.indicator_values)
    # where the question sits in the catalogue (werk_sociaal) is not thereby "seen"
    home = real_catalogue.signals[DANGER].life_domains[0]
    assert any(s.kind == "life_domain" and s.code == home for s in result.blind_spots)


def test_yes_beside_signals_adds_nothing_but_acute(real_catalogue, real_ruleset):
    signals = ("truancy", "two_phones")
    without = _assess(real_catalogue, real_ruleset, *signals)
    with_danger = _assess(real_catalogue, real_ruleset, *signals, DANGER)
    assert with_danger.level.number == 4
    assert with_danger.signals == without.signals
    assert with_danger.total == without.total == 2
    for metric in ("signals", "total", "life_domains", "indicators", "strong"):
        assert with_danger.metrics[metric] == without.metrics[metric]
    assert with_danger.metrics["acute"] == without.metrics["acute"] + 1
    # risk factors with the answer alone give no bonus: it is not a signal
    alone = _assess(
        real_catalogue,
        real_ruleset,
        DANGER,
        risk_factors=("mild_intellectual_disability", "debt_problems"),
    )
    assert alone.risk_factor_bonus == 0


def test_summary_and_json_say_the_same_numbers(real_catalogue, real_ruleset):
    from lens.rules.report import explanation_lines, outcome_to_dict

    result = _assess(real_catalogue, real_ruleset, "truancy", "two_phones", DANGER)
    lines = explanation_lines(result, real_ruleset, "nl")
    assert lines[0].startswith("Er is nu direct gevaar")
    assert "2 signalen geteld, samen een signaalwaarde van 2." in lines
    assert not any("3 signalen" in line for line in lines)
    alone = explanation_lines(_assess(real_catalogue, real_ruleset, DANGER), real_ruleset, "nl")
    assert "Er zijn geen signalen ingevuld." in alone
    assert not any("geteld" in line for line in alone)
    data = outcome_to_dict(result, real_catalogue, real_ruleset, "nl")
    assert data["explanation"]["metrics"]["signals"] == 2
    assert len(data["explanation"]["signals"]) == 2
    assert [q["code"] for q in data["explanation"]["questions"]] == [DANGER]
    assert data["values"]["total"] == 2


def test_the_danger_now_sentence_in_every_voice(real_catalogue, real_ruleset):
    from lens.rules.report import explanation_lines

    result = _assess(real_catalogue, real_ruleset, DANGER)
    expected = {
        ("nl", False): "Er is nu direct gevaar (zo is de vraag beantwoord): bel eerst 112. Dat "
        "antwoord is geen signaal en telt niet mee in het aantal signalen, de signaalwaarde of "
        "de leefgebieden; het geeft altijd niveau 4.",
        ("en", False): "There is direct danger now (as the question was answered): call 112 "
        "first. That answer is not a signal and does not count in the number of signals, the "
        "signal value or the life domains; it always gives level 4.",
        ("nl", True): "U gaf aan dat er nu direct gevaar is: bel eerst 112. Dat antwoord is "
        "geen signaal en telt niet mee in het aantal signalen, de signaalwaarde of de "
        "leefgebieden; het geeft altijd niveau 4.",
        ("en", True): "You said there is direct danger now: call 112 first. That answer is not "
        "a signal and does not count in the number of signals, the signal value or the areas "
        "of life; it always gives level 4.",
    }
    for (language, parent), sentence in expected.items():
        lines = explanation_lines(result, real_ruleset, language, parent=parent)
        assert lines[0] == sentence, (language, parent)
        assert lines.count(sentence) == 1
    # without the answer, no such sentence
    other = explanation_lines(_assess(real_catalogue, real_ruleset, "truancy"), real_ruleset, "nl")
    assert not any("direct gevaar" in line for line in other)


def test_the_json_names_the_question_and_the_level_without_risk_factors_keeps_it(
    real_catalogue, real_ruleset
):
    """The JSON's `explanation.questions` gives the question's code and its label (as the
    signals list does), and the level without the risk factors' bonus is still 4: the
    answer is acute danger with or without risk factors (mutation testing of ruleset
    2026.12.1 found neither tested)."""
    from lens.rules.report import outcome_to_dict

    risks = ("mild_intellectual_disability", "debt_problems")
    result = _assess(real_catalogue, real_ruleset, "truancy", DANGER, risk_factors=risks)
    assert result.level.number == 4 and result.level_without_risk_factors == 4
    label = real_catalogue.signals[DANGER].label
    for lang in ("nl", "en"):
        data = outcome_to_dict(result, real_catalogue, real_ruleset, lang)
        assert data["explanation"]["questions"] == [{"code": DANGER, "label": label.get(lang)}]
