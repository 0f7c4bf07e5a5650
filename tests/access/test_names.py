"""Name folding (lens.access.names): the exact key's form and the fuzzy rule's parts."""

from __future__ import annotations

import pytest

from lens.access.names import has_letter, name_parts, normalise_name


@pytest.mark.parametrize(
    ("given_names", "family_name", "parts"),
    [
        ("Jan", "Berg, van der", ("jan", "vanderberg", "berg")),
        ("Jan", "van der Berg", ("jan", "vanderberg", "berg")),
        ("Jan", "Van  der   Berg", ("jan", "vanderberg", "berg")),
        ("Jan", "Berg", ("jan", "berg", "berg")),
        ("Jan-Willem", "Jansen", ("jan willem", "jansen", "jansen")),
        ("  Jan   Willem ", "Jansen", ("jan willem", "jansen", "jansen")),
        ("José", "Müller-Lüdenscheidt", ("jose", "mullerludenscheidt", "mullerludenscheidt")),
        ("Ørjan", "Øztürk", ("orjan", "ozturk", "ozturk")),
        ("Çelik", "ÇELIK", ("celik", "celik", "celik")),
        ("Piet", "'t Hart", ("piet", "thart", "hart")),
        ("Piet", "Hart, 't", ("piet", "thart", "hart")),
        ("Piet", "Hart, \u2019t", ("piet", "thart", "hart")),
        ("Lisa", "de Vries", ("lisa", "devries", "vries")),
        # A family name that is only a particle keeps it: the core is never empty.
        ("Jan", "Van", ("jan", "van", "van")),
    ],
)
def test_name_parts(given_names, family_name, parts):
    assert name_parts(given_names, family_name) == parts


def test_accents_are_folded_the_same_in_both_forms():
    assert name_parts("Zoë", "Brontë") == name_parts("Zoe", "Bronte")
    assert normalise_name("Zoë", "Brontë") == normalise_name("ZOE", "bronte")


def test_sorting_form_and_reading_form_give_the_same_exact_key():
    reading = normalise_name("Jan-Willem", "van der Berg")
    assert reading == "janwillemvanderberg"
    assert normalise_name("Jan Willem", "Berg, van der") == reading
    assert normalise_name("Jan Willem", "Vanderberg") == reading


def test_a_missing_tussenvoegsel_differs_in_the_exact_key_but_not_in_the_core():
    """The exact key does not forgive a missing "van der"; the fuzzy rule's core does."""
    assert normalise_name("Jan", "van der Berg") != normalise_name("Jan", "Berg")
    assert name_parts("Jan", "van der Berg")[2] == name_parts("Jan", "Berg")[2]


def test_a_comma_that_is_not_a_sorting_form_is_left_alone():
    # "Berg, Jan" is no tussenvoegsel after the comma: the words stay in their order.
    assert name_parts("", "Berg, Jan") == ("", "bergjan", "bergjan")


@pytest.mark.parametrize(
    "name",
    [
        "Jan",
        "\u0645\u062d\u0645\u062f",
        "\u1230\u120b\u121d",
        "\u0401\u043b\u043a\u0430",
        "\u00c5ngstr\u00f6m",
        "O'Neill-2",
        "\u200bJ.",
    ],
    ids=["latin", "arabic", "geez", "cyrillic", "diacritics", "mixed", "zero-width-and-letter"],
)
def test_names_in_any_script_have_a_letter(name):
    assert has_letter(name)
    assert normalise_name(name, "x") != "x"  # the letters survive into the match key


@pytest.mark.parametrize(
    "name",
    ["", "\u200b\u200c\u200d\u2060", "\U0001f600\U0001f525", "-.' ", "12345", "_"],
    ids=["empty", "zero-width", "emoji", "punctuation", "digits", "underscore"],
)
def test_names_without_a_letter(name):
    assert not has_letter(name)
    # What is left for the match key: nothing, or digits only.
    assert not any(char.isalpha() for char in normalise_name(name, ""))
