""" "Is er nu direct gevaar?" (direct_danger_now) is a check-only question: the registry
form never offers it, and the actions refuse it for a registration, a new person and a
correction (400 with a Dutch message, nothing written)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import escape

from lens.data.registry import Role
from lens.registry import actions

from .factories import counts
from .test_views import new_person_data, soft, text, url

pytestmark = pytest.mark.django_db

DANGER = "direct_danger_now"
REFUSAL = "is een vraag over dit moment, geen waarneming om vast te leggen"


@pytest.fixture
def professional(world, login):
    return login(world.members[Role.PROFESSIONAL])


def test_the_form_does_not_offer_danger_now(professional, world, catalogue):
    assert catalogue.signals[DANGER].check_only
    for page in (
        url("registry:register"),
        url("registry:register_more", pseudonym=world.own_person.pseudonym),
    ):
        html = professional.get(page).content.decode()
        assert f'value="{DANGER}"' not in html
        assert f">{catalogue.signals[DANGER].label.nl}<" not in html
        assert f'value="{soft(catalogue)[0]}"' in html


@pytest.mark.parametrize("with_others", [False, True])
def test_registering_danger_now_is_refused(professional, world, catalogue, with_others):
    signals = [DANGER, *soft(catalogue)] if with_others else [DANGER]
    data = {k: v for k, v in new_person_data(catalogue, signals=signals).items()}
    before = counts()
    response = professional.post(
        url("registry:register_more", pseudonym=world.own_person.pseudonym), data
    )
    assert response.status_code == 400
    page = text(response)
    assert "Is er nu direct gevaar? " + REFUSAL in page
    assert "Bel 112" in page
    assert counts() == before


def test_a_new_person_with_danger_now_is_refused(professional, catalogue):
    before = counts()
    response = professional.post(
        url("registry:register"), new_person_data(catalogue, signals=[DANGER])
    )
    assert response.status_code == 400
    assert REFUSAL in text(response)
    assert counts() == before


def test_a_correction_cannot_add_danger_now(professional, world, catalogue):
    before = counts()
    response = professional.post(
        url(
            "registry:correct",
            pseudonym=world.own_person.pseudonym,
            registration_id=world.own_registration.pk,
        ),
        new_person_data(catalogue, signals=[DANGER, *soft(catalogue)]),
    )
    assert response.status_code == 400
    assert REFUSAL in text(response)
    assert counts() == before


def test_the_action_refuses_it_with_a_code(world, catalogue):
    from django.utils import timezone

    actor = world.actor(Role.PROFESSIONAL)
    with pytest.raises(ValidationError) as refused:
        actions.register_signals(
            actor,
            world.own_person,
            signals=[DANGER],
            observed_on=timezone.localdate(),
            how_learned="seen_myself",
        )
    (problem,) = refused.value.error_dict["signals"]
    assert problem.code == "check_only_signal"


def test_the_danger_question_is_mentioned_in_the_check_only(professional, client, catalogue):
    """The registry form has no "Is er nu direct gevaar?": no signal explanation on it may
    send the professional to that question; the check shows the same signals with the
    hint (catalogue `check_hint`)."""
    question = catalogue.signals[DANGER].label.nl
    hinted = [s for s in catalogue.signals.values() if s.check_hint is not None]
    assert {"carries_knife", "family_threatened"} <= {s.code for s in hinted}
    registry = professional.get(url("registry:register")).content.decode()
    assert question not in registry
    for signal in hinted:
        assert question not in signal.explanation.nl and escape(signal.explanation.nl) in registry
        assert question in signal.check_hint.nl
    # the check: each hinted signal's question shows the hint, on the step that asks it
    seen = set()
    for step in range(2, 7):
        html = client.post("/signalen/", {"step": step, "go": ""}).content.decode()
        for signal in hinted:
            if f'name="signal_{signal.code}"' in html:
                assert escape(signal.check_hint.nl) in html, signal.code
                seen.add(signal.code)
    assert seen == {s.code for s in hinted}
