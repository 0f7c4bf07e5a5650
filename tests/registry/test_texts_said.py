"""What a person types as a reason, question, answer or note goes through one rule
(lens.access.purposes.said): invisible characters are dropped, line breaks stay, and a
required text must say something. Found by an outside probe: a withdrawal reason, an
information request and a relation's end note of zero-width spaces were accepted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lens.access.purposes import said
from lens.data.registry import Role, Withdrawal
from lens.registry import actions

INVISIBLE = "\u200b\u200b\u200b\u200b"


def codes(error: ValidationError, field: str) -> list[str]:
    return [e.code for e in error.error_dict[field]]


def test_a_required_text_must_say_something():
    for value, code in ((INVISIBLE, "required"), ("", "required"), (".", "meaningless")):
        with pytest.raises(ValidationError) as caught:
            said(value, field="reason", limit=100, required="Give a reason.")
        assert codes(caught.value, "reason") == [code], value
    assert said("Ja", field="answer", limit=100, required="!", letters=2) == "Ja"


def test_invisible_characters_go_and_line_breaks_stay():
    text = said(
        "\u200b eerste\u200b regel\ntweede\u00ad regel ", field="f", limit=100, required="!"
    )
    assert text == "eerste regel\ntweede regel"
    assert said(INVISIBLE, field="note", limit=100, required=None) == ""


def test_too_long_counts_what_is_kept():
    assert said("a" * 10 + INVISIBLE, field="f", limit=10, required="!") == "a" * 10
    with pytest.raises(ValidationError) as caught:
        said("a" * 11, field="f", limit=10, required="!")
    assert codes(caught.value, "f") == ["max_length"]


def test_a_withdrawal_needs_a_reason_in_words(world):
    actor = world.actor(Role.PROFESSIONAL)
    for reason in (INVISIBLE, "x"):
        with pytest.raises(ValidationError):
            actions.withdraw_registration(actor, world.own_registration, reason)
    assert not Withdrawal.objects.exists()
    actions.withdraw_registration(actor, world.own_registration, "\u200bdubbel ingevoerd")
    assert Withdrawal.objects.get().reason == "dubbel ingevoerd"


def test_not_informing_needs_a_reason_in_words(world):
    actor = world.actor(Role.PROFESSIONAL)
    with pytest.raises(ValidationError) as caught:
        actions.record_informed(actor, world.own_person, informed=False, reason_not=INVISIBLE)
    assert codes(caught.value, "reason_not") == ["required"]
