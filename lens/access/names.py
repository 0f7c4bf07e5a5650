"""Names reduced to the forms that matching compares. Pure Python, no Django.

`normalise_name` gives the one string that the exact name match key (lens.access.crypto)
is computed from; `name_parts` gives the pieces the fuzzy match rule
(lens.coordination.similarity) compares and blocks on.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode decomposition does not reduce to a base letter plus accents
# (\u0131 is the dotless i).
_SPECIAL_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "\u0131": "i"}
)
# Dutch tussenvoegsels and common foreign name particles (apostrophes removed: 't, 's).
# Only used to undo the sorting form "Berg, van der"; see normalise_name.
_PARTICLES = (
    "van de der den het t te ten ter in op onder over uit uijt aan bij voor "
    "s d l la le les du des da dal di del della do dos das von vom zu zum zur auf y el al"
)
TUSSENVOEGSELS = frozenset(_PARTICLES.split())
LETTER = re.compile(r"[^\W\d_]")


def _fold(text: str) -> str:
    """Case-folded, accents removed: "Ångström" -> "angstrom", "Straße" -> "strasse"."""
    text = text or ""
    if text.isascii():  # most names: nothing to decompose or map (the batch run's hot path)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.translate(_SPECIAL_LETTERS)


def _tussenvoegsel_first(family_name: str) -> str:
    """Undo the sorting form: "berg, van der" -> "van der berg"; anything else unchanged."""
    head, comma, tail = family_name.partition(",")
    # Apostrophes, also the typographic one (U+2019), as in 't and d'.
    particles = [word.strip("'\u2019.") for word in tail.split()]
    if comma and particles and all(word in TUSSENVOEGSELS for word in particles):
        return f"{tail} {head}"
    return family_name


def normalise_name(given_names: str, family_name: str) -> str:
    """The names reduced to a matching form: only what survives every way of writing them.

    1. Case-fold and decompose (NFKD), drop accents and map letters without a
       decomposition (ø, æ, œ, ł, ...): "Çelik" and "celik" are the same.
    2. A family name in sorting form ("Berg, van der") gets its tussenvoegsels back in
       front ("van der Berg").
    3. Keep only letters and digits (any script) and join everything, given names first:
       spaces, hyphens, apostrophes and dots disappear. So "van der Berg", "Van der  Berg",
       "Vanderberg" and "van-der-berg" are the same, "Jan-Willem" equals "Jan Willem", and
       a tussenvoegsel typed at the end of the given names ("Jan van der" + "Berg") still
       matches.

    Not handled, on purpose: abbreviations ("v.d." could be "van de" or "van der"),
    initials instead of given names, a missing tussenvoegsel or a missing second given
    name. Those do not match; register names as on the identity document.
    """
    family = _tussenvoegsel_first(_fold(family_name))
    return "".join(char for char in f"{_fold(given_names)} {family}" if char.isalnum())


def has_letter(text: str) -> bool:
    r"""Whether `text` holds at least one letter, of any script: "Jan", "محمد", "ሰላም",
    "Ёлка" and "Ångström" do; names made only of digits, punctuation, emoji or invisible
    characters (zero-width spaces) do not, and would normalise to an empty match key.

    A letter is what Python's `re` calls a word character other than a digit or "_"
    (`[^\W\d_]`); that counts the few letter-like numerals (½, Ⅻ) as letters too."""
    return LETTER.search(text or "") is not None


def name_parts(given_names: str, family_name: str) -> tuple[str, str, str]:
    """(given, family, family_core) for fuzzy comparison, all folded:

    - given: the given names as words separated by one space ("jan willem");
    - family: the family name with its tussenvoegsels, letters and digits only
      ("vanderberg");
    - family_core: the family name without leading tussenvoegsels ("berg"), so that a
      missing or extra "van der" still compares equal.
    """
    given = " ".join("".join(c for c in word if c.isalnum()) for word in _words(given_names))
    family_words = _words(_tussenvoegsel_first(_fold(family_name)).replace(",", " "))
    family = "".join(c for c in "".join(family_words) if c.isalnum())
    core_words = list(family_words)
    while len(core_words) > 1 and core_words[0].strip("'\u2019.") in TUSSENVOEGSELS:
        core_words.pop(0)
    core = "".join(c for c in "".join(core_words) if c.isalnum())
    return given.strip(), family, core or family


def _words(text: str) -> list[str]:
    folded = _fold(text).replace("-", " ")
    return [word for word in folded.split() if any(c.isalnum() for c in word)]
