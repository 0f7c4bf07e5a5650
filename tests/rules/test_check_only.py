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
