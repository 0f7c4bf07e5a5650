"""The fuzzy match rule (lens.coordination.similarity), pure: no database.

Property tests over synthetic identities (names made of letters, birth dates 1995-2015):
the errors the rule is made to catch (one typo in the family name, day and month
transposed, one wrong digit) make a candidate, and two different people born on the
same day do not.
"""

from __future__ import annotations

import string
from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import JaroWinkler

from lens.access.names import name_parts
from lens.coordination import similarity
from lens.coordination.similarity import CANDIDATE_SCORE, Comparable, blocks, compare

PROPERTY = settings(max_examples=250, deadline=None)

FIRST_DAY, LAST_DAY = date(1995, 1, 1), date(2015, 12, 31)


def name(min_size: int = 3, max_size: int = 12):
    """A made-up name of ascii letters, capitalised as on a form."""
    return st.text(string.ascii_lowercase, min_size=min_size, max_size=max_size).map(str.capitalize)


birth_dates = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)


def person(given_names: str, family_name: str, birth_date: date) -> Comparable:
    given, family, core = name_parts(given_names, family_name)
    return Comparable(given, family, core, birth_date)


@st.composite
def typo(draw, word: str) -> str:
    """`word` with one typing error: a letter substituted, deleted, inserted, or two
    neighbouring letters swapped. Never `word` itself."""
    kind = draw(st.sampled_from(["substitution", "deletion", "insertion", "transposition"]))
    lower = word.lower()
    if kind == "transposition":
        i = draw(st.integers(0, len(lower) - 2))
        assume(lower[i] != lower[i + 1])
        changed = lower[:i] + lower[i + 1] + lower[i] + lower[i + 2 :]
    elif kind == "deletion":
        i = draw(st.integers(0, len(lower) - 1))
        changed = lower[:i] + lower[i + 1 :]
    elif kind == "insertion":
        i = draw(st.integers(0, len(lower)))
        changed = lower[:i] + draw(st.sampled_from(string.ascii_lowercase)) + lower[i:]
    else:
        i = draw(st.integers(0, len(lower) - 1))
        letter = draw(st.sampled_from(string.ascii_lowercase).filter(lambda c: c != lower[i]))
        changed = lower[:i] + letter + lower[i + 1 :]
    assume(changed != lower)
    return changed.capitalize()


def ddmmyyyy(day: date) -> str:
    return day.strftime("%d%m%Y")


@st.composite
def one_digit_off(draw, day: date) -> date:
    """A valid date whose DDMMYYYY differs from `day`'s in exactly one digit."""
    digits = ddmmyyyy(day)
    options = []
    for i, old in enumerate(digits):
        for new in string.digits:
            if new == old:
                continue
            text = digits[:i] + new + digits[i + 1 :]
            try:
                other = date(int(text[4:]), int(text[2:4]), int(text[:2]))
            except ValueError:
                continue
            options.append(other)
    assume(options)
    return draw(st.sampled_from(options))


# --- (a) one typo in the family name ----------------------------------------------------


@PROPERTY
@given(data=st.data(), given_names=name(), family_name=name(5, 12), birth_date=birth_dates)
def test_one_typo_in_the_family_name_is_a_candidate(data, given_names, family_name, birth_date):
    misspelt = data.draw(typo(family_name), label="misspelt")
    a = person(given_names, family_name, birth_date)
    b = person(given_names, misspelt, birth_date)

    found = compare(a, b)

    assert found.candidate, found
    assert found.score >= CANDIDATE_SCORE
    assert found.date_relation == "date_same"
    assert "family_similar" in found.reasons


@pytest.mark.parametrize(
    ("written", "misspelt"),
    [("Aaaaba", "Baaaba"), ("Ababa", "Baba"), ("Abaaba", "Bbaaba")],
)
def test_one_typo_in_a_name_with_repeated_letters_is_a_candidate(written, misspelt):
    """Jaro-Winkler alone scores these single typos below MIN_FAMILY (its greedy matching
    sees transpositions that are not there); the rule's one-typo floor catches them."""
    found = compare(person("Noor", written, DAY), person("Noor", misspelt, DAY))
    assert found.candidate, found
    assert found.family >= similarity.ONE_TYPO_SIMILARITY


# --- (b) day and month transposed -------------------------------------------------------


# Dates whose day can be a month too, built rather than filtered (an assume() that
# rejects most dates fails Hypothesis' filter_too_much health check now and then).
swappable_dates = st.builds(
    date,
    year=st.integers(FIRST_DAY.year, LAST_DAY.year),
    month=st.integers(1, 12),
    day=st.integers(1, 12),
).filter(lambda d: d.day != d.month)


@PROPERTY
@given(given_names=name(), family_name=name(), birth_date=swappable_dates)
def test_day_and_month_transposed_is_a_candidate(given_names, family_name, birth_date):
    swapped = birth_date.replace(day=birth_date.month, month=birth_date.day)
    a = person(given_names, family_name, birth_date)
    b = person(given_names, family_name, swapped)

    found = compare(a, b)

    assert found.date_relation == "date_day_month_swapped"
    assert found.candidate, found
    assert similarity.date_relation(birth_date, swapped) == "date_day_month_swapped"


# --- (c) one digit of the birth date wrong ----------------------------------------------


@PROPERTY
@given(data=st.data(), given_names=name(), family_name=name(), birth_date=birth_dates)
def test_one_wrong_digit_in_the_birth_date_is_a_candidate(
    data, given_names, family_name, birth_date
):
    other_date = data.draw(one_digit_off(birth_date), label="other_date")
    a = person(given_names, family_name, birth_date)
    b = person(given_names, family_name, other_date)

    found = compare(a, b)

    assert found.date_relation == "date_one_digit"
    assert found.candidate, found


# --- (d) symmetric ----------------------------------------------------------------------


@st.composite
def related_pair(draw) -> tuple[Comparable, Comparable]:
    """Two identities that are equal, alike (a typo, a changed date) or unrelated."""
    given_a, family_a, date_a = draw(name()), draw(name()), draw(birth_dates)
    given_b = draw(st.sampled_from([given_a, draw(name())]))
    family_b = draw(st.one_of(st.just(family_a), name(), typo(family_a)))
    date_b = draw(
        st.sampled_from(
            [date_a, draw(birth_dates), date_a + timedelta(days=draw(st.integers(-40, 40)))]
        )
    )
    return person(given_a, family_a, date_a), person(given_b, family_b, date_b)


@PROPERTY
@given(pair=related_pair())
def test_compare_is_symmetric(pair):
    a, b = pair
    assert compare(a, b) == compare(b, a)
    assert similarity.date_relation(a.birth_date, b.birth_date) == similarity.date_relation(
        b.birth_date, a.birth_date
    )


# --- (e) different people born on the same day -------------------------------------------


def _jw(a: str, b: str) -> float:
    return JaroWinkler.normalized_similarity(a.lower(), b.lower())


@PROPERTY
@given(
    given_a=name(),
    family_a=name(),
    given_b=name(),
    family_b=name(),
    birth_date=birth_dates,
)
def test_different_names_on_the_same_day_are_no_candidate(
    given_a, family_a, given_b, family_b, birth_date
):
    assume(_jw(family_a, family_b) < 0.7 and _jw(given_a, given_b) < 0.7)
    found = compare(person(given_a, family_a, birth_date), person(given_b, family_b, birth_date))
    assert not found.candidate, found


@PROPERTY
@given(given_a=name(), given_b=name(), family_name=name(), birth_date=birth_dates)
def test_siblings_born_the_same_day_are_no_candidate(given_a, given_b, family_name, birth_date):
    """Twins: the same family name and birth date, different given names."""
    assume(_jw(given_a, given_b) < 0.7)
    found = compare(
        person(given_a, family_name, birth_date), person(given_b, family_name, birth_date)
    )
    assert not found.candidate, found


# --- (f) blocking -------------------------------------------------------------------------


def shared(a: Comparable, b: Comparable) -> set[int]:
    """The indexes of the blocks two persons share (an empty block is never shared)."""
    return {i for i, (x, y) in enumerate(zip(blocks(a), blocks(b), strict=True)) if x and x == y}


@PROPERTY
@given(given_names=name(), family_name=name(), birth_date=birth_dates)
def test_transposed_day_and_month_share_both_date_blocks(given_names, family_name, birth_date):
    assume(birth_date.day <= 12)
    swapped = birth_date.replace(day=birth_date.month, month=birth_date.day)
    a = person(given_names, family_name, birth_date)
    b = person(given_names, family_name, swapped)
    assert shared(a, b) >= {0, 1, 2}


@PROPERTY
@given(data=st.data(), given_names=name(), family_name=name(), birth_date=birth_dates)
def test_a_date_typo_with_the_same_names_shares_the_names_block(
    data, given_names, family_name, birth_date
):
    other_date = data.draw(one_digit_off(birth_date), label="other_date")
    a = person(given_names, family_name, birth_date)
    b = person(given_names, family_name, other_date)
    assert 2 in shared(a, b)


@PROPERTY
@given(data=st.data(), given_names=name(), family_name=name(5, 12), birth_date=birth_dates)
def test_a_family_name_typo_on_the_same_day_shares_the_date_and_given_block(
    data, given_names, family_name, birth_date
):
    misspelt = data.draw(typo(family_name), label="misspelt")
    a = person(given_names, family_name, birth_date)
    b = person(given_names, misspelt, birth_date)
    assert 0 in shared(a, b)
    assert 1 not in shared(a, b)  # the family name is in that block as written


@PROPERTY
@given(data=st.data(), given_names=name(5, 10), family_name=name(), birth_date=birth_dates)
def test_a_given_name_typo_on_the_same_day_shares_the_date_and_family_block(
    data, given_names, family_name, birth_date
):
    misspelt = data.draw(typo(given_names), label="misspelt")
    a = person(given_names, family_name, birth_date)
    b = person(misspelt, family_name, birth_date)
    assert 1 in shared(a, b)


@PROPERTY
@given(
    given_names=name(),
    family_name=name(),
    tussenvoegsel=st.sampled_from(["de", "van", "van der", "van den", "ter", "in 't"]),
    birth_date=birth_dates,
)
def test_a_missing_tussenvoegsel_shares_every_block(
    given_names, family_name, tussenvoegsel, birth_date
):
    a = person(given_names, f"{tussenvoegsel} {family_name}", birth_date)
    b = person(given_names, family_name, birth_date)
    assert shared(a, b) == {0, 1, 2, 3}


@PROPERTY
@given(data=st.data(), given_names=name(), family_name=name(6, 12), birth_date=birth_dates)
def test_a_wrong_day_and_a_late_family_name_typo_share_the_year_block(
    data, given_names, family_name, birth_date
):
    misspelt = data.draw(typo(family_name), label="misspelt")
    assume(misspelt[:3].lower() == family_name[:3].lower())
    other_day = birth_date.replace(day=1 if birth_date.day != 1 else 2)
    a = person(given_names, family_name, birth_date)
    b = person(given_names, misspelt, other_day)
    assert 3 in shared(a, b)


@PROPERTY
@given(given_a=name(), given_b=name(), family_a=name(), family_b=name(), birth_date=birth_dates)
def test_different_names_on_the_same_day_share_no_block(
    given_a, given_b, family_a, family_b, birth_date
):
    """What keeps a block small at any registry size: the birth date alone is no block."""
    assume(given_a.lower() != given_b.lower() and family_a.lower() != family_b.lower())
    assert not shared(person(given_a, family_a, birth_date), person(given_b, family_b, birth_date))


def test_blocks_hold_no_more_than_needed():
    """The blocking values are keyed with HMAC before they are stored
    (lens.coordination.blocking.block_keys); the year block holds three letters of the
    family name."""
    values = blocks(person("Jan", "van der Berg", date(2008, 3, 12)))
    assert values == (
        "date-given|2008|3|12|jan",
        "date-family|2008|3|12|berg",
        "names|jan|berg",
        "year-names|2008|ber|jan",
    )


# --- examples -----------------------------------------------------------------------------

DAY = date(2009, 4, 17)


def test_missing_tussenvoegsel_is_a_candidate():
    found = compare(person("Lisa", "van den Berg", DAY), person("Lisa", "Berg", DAY))
    assert found.candidate, found
    assert "family_same_without_tussenvoegsel" in found.reasons


def test_tussenvoegsel_in_sorting_form_compares_equal():
    found = compare(person("Lisa", "Berg, van den", DAY), person("Lisa", "van den Berg", DAY))
    assert found.candidate
    assert found.family == 1.0
    assert "family_same" in found.reasons


def test_mohammed_and_mohamed_are_a_candidate():
    found = compare(person("Mohammed", "El Amrani", DAY), person("Mohamed", "El Amrani", DAY))
    assert found.candidate, found
    assert "given_similar" in found.reasons


def test_twins_daan_and_sem_are_no_candidate():
    found = compare(person("Daan", "de Vries", DAY), person("Sem", "de Vries", DAY))
    assert not found.candidate, found
    assert "given_different" in found.reasons


def test_a_missing_second_given_name_is_a_candidate():
    found = compare(person("Jan Willem", "Jansen", DAY), person("Jan", "Jansen", DAY))
    assert found.candidate, found


def test_accents_and_case_do_not_matter():
    found = compare(person("Çelik", "Öztürk", DAY), person("celik", "OZTURK", DAY))
    assert found.score == 1.0
    assert found.candidate


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        (date(2008, 3, 12), date(2008, 3, 12), "date_same"),
        (date(2008, 3, 12), date(2008, 12, 3), "date_day_month_swapped"),
        (date(2008, 3, 12), date(2008, 3, 13), "date_one_digit"),
        (date(2008, 3, 12), date(2009, 3, 12), "date_one_digit"),
        (date(2008, 3, 12), date(2008, 3, 21), "date_digits_swapped"),
        (date(2008, 3, 12), date(2008, 7, 30), None),
        (date(2008, 3, 12), date(2005, 3, 12), "date_one_digit"),
        (date(2008, 3, 12), date(2011, 3, 12), None),
        (date(999, 3, 12), date(1999, 3, 12), "date_one_digit"),
        (date(2008, 3, 12), date(2018, 3, 13), None),
    ],
)
def test_date_relation(a, b, relation):
    assert similarity.date_relation(a, b) == relation
    assert similarity.date_relation(b, a) == relation


def test_dates_further_apart_are_no_candidate_even_with_the_same_names():
    found = compare(person("Lisa", "Jansen", DAY), person("Lisa", "Jansen", date(2011, 9, 2)))
    assert found.date_relation is None
    assert not found.candidate
