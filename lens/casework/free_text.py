"""The rules of a case step's free text (what was done, the outcome, the organisation and
whom was consulted): not longer than its limit, and no characters that hide or turn text
around. Plain Python, used by the workflow's check of a step (lens.casework.workflow), so
that every way in (page, API, command) meets them, not only the form."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

TEXT_MAX = 4000  # what was done, the outcome
NAME_MAX = 200  # an organisation, whom was consulted

# Free text may hold line breaks and tabs, and the joiners some scripts spell with; not the
# other control and format characters: a right-to-left override turns the rest of the
# text around on the page and in the report, a zero-width space hides what is written.
TEXT_KEEPS = frozenset({"\n", "\r", "\t", "\u200c", "\u200d"})


def hides_text(text: str) -> bool:
    """Whether `text` holds a control or invisible formatting character (Cc, Cf, Zl, Zp)
    other than those in TEXT_KEEPS."""
    return any(
        unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c not in TEXT_KEEPS for c in text
    )


# Characters that show nothing although Unicode files them under letters, symbols or
# marks: the Hangul fillers, the combining grapheme joiner, the Mongolian and Khmer
# invisible vowels and selectors, the Braille blank, the variation selectors and the
# object replacement character (U+FFFC, a placeholder for an embedded object).
INVISIBLE = frozenset(
    [
        *(0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0, 0xFFFC),
        *range(0x180B, 0x1810),
        *range(0xFE00, 0xFE10),
        *range(0xE0100, 0xE01F0),
    ]
)


def shows(char: str) -> bool:
    """Whether `char` puts something readable on the page: not a space, a control or
    format character, a private-use or unassigned code point, a mark on its own
    (combining marks need a letter to sit on), nor one of INVISIBLE."""
    category = unicodedata.category(char)
    return category[0] not in "CZM" and not char.isspace() and ord(char) not in INVISIBLE


def says_nothing(text: str | None) -> bool:
    """Whether `text` is empty for a reader: nothing in it shows (spaces, zero-width
    joiners, a Hangul filler or a Braille blank, combining marks alone, U+FFFC,
    private-use characters). The one rule of every free text that must say something
    (what was done, an organisation, the zorgcoördinator's note): such a text counts as
    not given."""
    return not any(shows(char) for char in text or "")


def optional(text: str) -> str:
    """An optional free text as it is kept: without surrounding spaces, and empty when
    nothing in it shows (`says_nothing`): a text that shows nothing is not given, also
    where giving none is allowed (a consultation's outcome, whom was consulted)."""
    text = text.strip()
    return "" if says_nothing(text) else text


def problems(fields: Iterable[tuple[str, str, int]]) -> list[tuple[str, str]]:
    """(field, code) for each (field, text, limit) whose text hides characters
    ("invisible_characters") or is longer than its limit ("too_long"); a field is named
    once per code."""
    found: list[tuple[str, str]] = []
    for field, text, limit in fields:
        for code, wrong in (
            ("invisible_characters", hides_text(text)),
            ("too_long", len(text) > limit),
        ):
            if wrong and (field, code) not in found:
                found.append((field, code))
    return found
