"""The fuzzy match rule: could two registered identities be the same person?

Pure Python (rapidfuzz, no Django), so that the rule can be read and tested on its own.
It never decides: it proposes a candidate pair with a score and the reasons, and the
zorgcoördinator confirms or rejects it (lens.coordination.links). Exact matches (the
same BSN, or the same normalised names and birth date) are not this module's business:
they link through the keyed match keys in lens.access.crypto.

What it is made to catch, all common in registrations by hand:
- a typing error in a name ("Janssen" / "Jansen", "Mohammed" / "Mohamed");
- a missing or extra tussenvoegsel ("van den Berg" / "Berg");
- day and month transposed in the birth date (03-12 / 12-03);
- one wrong digit, or two neighbouring digits swapped, in the birth date.

Blocking: comparing every pair is quadratic, so a person is only compared with persons
that share one of four narrow blocks (`blocks`), each an exact value that one kind of
registration error leaves alone:

- date + given names: the birth date (year, with day and month as an unordered pair, so
  that a transposed date stays in it) and the given names: a typo in the family name, a
  missing tussenvoegsel, day and month swapped;
- date + family name: the same date and the family name without tussenvoegsels: a typo
  in a given name or a missing second given name, a missing tussenvoegsel;
- names: the given names and the family name without tussenvoegsels, without the date:
  any error in the date (one digit, two digits swapped, a wrong year);
- year + names: the birth year, the first three letters of the family name and the
  given names: a wrong day or month together with a typo later in the family name.

Each block holds a handful of records at any registry size (a block on the birth date
alone grows with the registry: about 240 records at a million persons, each of which
had to be opened). A pair with errors in two of the three parts (a typo in both names,
or in a name and the date, outside the last case) is not found: that is the price of
blocking, and the zorgcoördinator's reason to search by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import OSA, JaroWinkler

# Weights of the three parts of the score (sum 1).
FAMILY_WEIGHT = 0.45
GIVEN_WEIGHT = 0.35
DATE_WEIGHT = 0.20
# A pair is a candidate only when each part is at least this similar, and the score is
# at least CANDIDATE_SCORE. Chosen so that one typo, a transposed day and month or a
# missing tussenvoegsel still reach it, and two different children born the same day
# with different names do not (tests/coordination/test_similarity.py).
MIN_FAMILY = 0.85
MIN_GIVEN = 0.80
CANDIDATE_SCORE = 0.88
# How much each kind of date difference still counts.
DATE_SCORES = {
    "date_same": 1.0,
    "date_day_month_swapped": 0.9,
    "date_one_digit": 0.85,
    "date_digits_swapped": 0.85,
}
BLOCK_FAMILY_LETTERS = 3
# One typing error (a letter wrong, missing, extra, or two neighbouring letters swapped:
# optimal string alignment distance 1) in a name of at least this many letters counts as
# at least ONE_TYPO_SIMILARITY. Jaro-Winkler alone scores some single typos in names
# with repeated letters far lower ("Aaaaba" / "Baaaba": 0.82) because its greedy
# matching counts transpositions that are not there.
ONE_TYPO_MIN_LENGTH = 5
ONE_TYPO_SIMILARITY = 0.9


@dataclass(frozen=True)
class Comparable:
    """What the rule compares: the names as lens.access.names.name_parts gives them."""

    given: str  # given names, words separated by one space
    family: str  # the family name with tussenvoegsels, letters and digits only
    family_core: str  # the family name without leading tussenvoegsels
    birth_date: date


@dataclass(frozen=True)
class Similarity:
    score: float  # 0..1
    family: float
    given: float
    date_relation: str | None  # a key of DATE_SCORES, or None when the dates differ more
    reasons: tuple[str, ...]  # codes, for the screen (lens.coordination.presentation)

    @property
    def candidate(self) -> bool:
        return (
            self.date_relation is not None
            and self.family >= MIN_FAMILY
            and self.given >= MIN_GIVEN
            and self.score >= CANDIDATE_SCORE
        )


def blocks(person: Comparable) -> tuple[str, str, str, str]:
    """The four blocking values of a person (lens.coordination.blocking keys them with
    HMAC); an empty name part leaves its blocks empty (an empty block matches nothing)."""
    day_month = sorted((person.birth_date.day, person.birth_date.month))
    day = f"{person.birth_date.year}|{day_month[0]}|{day_month[1]}"
    given, core = person.given, person.family_core
    return (
        f"date-given|{day}|{given}" if given else "",
        f"date-family|{day}|{core}" if core else "",
        f"names|{given}|{core}" if given and core else "",
        f"year-names|{person.birth_date.year}|{core[:BLOCK_FAMILY_LETTERS]}|{given}"
        if given and core
        else "",
    )


def compare(a: Comparable, b: Comparable) -> Similarity:
    """How alike two identities are, with the reasons; symmetric in a and b."""
    family = max(_similar(a.family, b.family), _similar(a.family_core, b.family_core))
    given = _given_similarity(a.given, b.given)
    relation = date_relation(a.birth_date, b.birth_date)
    date_score = DATE_SCORES.get(relation or "", 0.0)
    score = FAMILY_WEIGHT * family + GIVEN_WEIGHT * given + DATE_WEIGHT * date_score
    reasons = [
        _name_reason("family", family, a.family == b.family, a.family_core == b.family_core),
        _name_reason("given", given, a.given == b.given, False),
    ]
    if relation:
        reasons.append(relation)
    return Similarity(
        score=round(score, 4),
        family=round(family, 4),
        given=round(given, 4),
        date_relation=relation,
        reasons=tuple(reasons),
    )


def date_relation(a: date, b: date) -> str | None:
    """How two birth dates relate: the same, day and month swapped, one digit different,
    two neighbouring digits swapped (in DDMMYYYY), or None for anything else."""
    if a == b:
        return "date_same"
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return "date_day_month_swapped"
    x, y = _ddmmyyyy(a), _ddmmyyyy(b)
    differ = [i for i in range(len(x)) if x[i] != y[i]]
    if len(differ) == 1:
        return "date_one_digit"
    if len(differ) == 2 and differ[1] == differ[0] + 1:
        i = differ[0]
        if x[i] == y[i + 1] and x[i + 1] == y[i]:
            return "date_digits_swapped"
    return None


def _ddmmyyyy(day: date) -> str:
    # Not strftime("%Y"): that gives "999", not "0999", for years before 1000 on Linux.
    return f"{day.day:02d}{day.month:02d}{day.year:04d}"


def _similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    similar = JaroWinkler.normalized_similarity(a, b)
    if similar < ONE_TYPO_SIMILARITY and one_typo(a, b):
        return ONE_TYPO_SIMILARITY
    return similar


def one_typo(a: str, b: str) -> bool:
    """Whether `a` and `b` (at least ONE_TYPO_MIN_LENGTH letters, the longer) differ by
    one typing error."""
    return (
        max(len(a), len(b)) >= ONE_TYPO_MIN_LENGTH
        and OSA.distance(a, b, score_cutoff=1) <= 1
        and a != b
    )


def _given_similarity(a: str, b: str) -> float:
    """The given names as written, or, when one person has fewer given names registered,
    the names they share in order ("jan willem" / "jan")."""
    whole = _similar(a.replace(" ", ""), b.replace(" ", ""))
    words_a, words_b = a.split(), b.split()
    if not words_a or not words_b or len(words_a) == len(words_b):
        return whole
    shorter, longer = sorted((words_a, words_b), key=len)
    prefix = _similar("".join(shorter), "".join(longer[: len(shorter)]))
    return max(whole, prefix * 0.95)  # a little less sure than when all names agree


def _name_reason(part: str, value: float, same: bool, same_core: bool) -> str:
    if same:
        return f"{part}_same"
    if same_core:
        return f"{part}_same_without_tussenvoegsel"
    return (
        f"{part}_similar"
        if value >= (MIN_FAMILY if part == "family" else MIN_GIVEN)
        else (f"{part}_different")
    )
