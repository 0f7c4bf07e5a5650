"""Pseudonyms and age bands: what screens show instead of a name and a birth date."""

from __future__ import annotations

import secrets
from datetime import date

# No 0/O and 1/I: a pseudonym is read aloud on the phone and typed over from paper.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PREFIX = "P-"
LENGTH = 4
# After this many collisions at one length, try one character more: with 32**4 (about a
# million) pseudonyms the space only gets crowded after very many persons.
TRIES_PER_LENGTH = 5
MAX_LENGTH = 12  # Person.pseudonym is 16 characters, "P-" included

# Age bands (lower bound, label): 0-11, 12-15, 16-17, 18-22, 23+.
AGE_BANDS: tuple[tuple[int, str], ...] = (
    (0, "0-11"),
    (12, "12-15"),
    (16, "16-17"),
    (18, "18-22"),
    (23, "23+"),
)


def candidates():
    """Random pseudonyms to try in turn, growing longer after repeated collisions."""
    length = LENGTH
    while length <= MAX_LENGTH:
        for _ in range(TRIES_PER_LENGTH):
            yield PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(length))
        length += 1


def typed(value: str) -> str:
    """A pseudonym as someone typed it over (from paper, a phone call): without spaces,
    in capitals, so that "p-ab 2c" finds P-AB2C. Whether it is one: `is_pseudonym`."""
    return "".join(value.split()).upper()


def is_pseudonym(value: str) -> bool:
    body = value.removeprefix(PREFIX)
    return (
        value.startswith(PREFIX)
        and LENGTH <= len(body) <= MAX_LENGTH
        and all(c in ALPHABET for c in body)
    )


def age_in_year(birth_year: int, today: date) -> int:
    """The age the person reaches this calendar year: the true age or one more.

    Only the birth year is stored unencrypted, so the band is exact except around the
    birthday; "under 16" is certain only when this is 15 or less.
    """
    return max(0, today.year - birth_year)


def age_band(birth_year: int, today: date) -> str:
    age = age_in_year(birth_year, today)
    label = AGE_BANDS[0][1]
    for lower, band in AGE_BANDS:
        if age >= lower:
            label = band
    return label


def certainly_under_16(birth_year: int, today: date) -> bool:
    return age_in_year(birth_year, today) <= 15


def possibly_under_16(birth_year: int, today: date) -> bool:
    return age_in_year(birth_year, today) <= 16
