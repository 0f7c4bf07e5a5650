"""Dutch public holidays for the default periods' working days (plain Python, no Django).

Source: Algemene termijnenwet, art. 3 lid 1 (https://wetten.overheid.nl/BWBR0002448):
a period that ends on a Saturday, Sunday or "algemeen erkende feestdag" is extended; the
erkende feestdagen are Nieuwjaarsdag, tweede Paasdag, Hemelvaartsdag, tweede
Pinksterdag, eerste en tweede Kerstdag, the King's birthday (Koningsdag, 27 April, or
26 April when the 27th is a Sunday) and 5 May (Bevrijdingsdag). Easter Sunday and
Whit Sunday fall on a Sunday already; Good Friday is not in the list.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def easter(year: int) -> date:
    """Easter Sunday (Gregorian calendar; the anonymous Gauss/Meeus algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


# (name, how it is found): the table of the Algemene termijnenwet, art. 3.
RULES = (
    ("nieuwjaarsdag", lambda y: date(y, 1, 1)),
    ("tweede_paasdag", lambda y: easter(y) + timedelta(days=1)),
    ("koningsdag", lambda y: date(y, 4, 26) if date(y, 4, 27).weekday() == 6 else date(y, 4, 27)),
    ("bevrijdingsdag", lambda y: date(y, 5, 5)),
    ("hemelvaartsdag", lambda y: easter(y) + timedelta(days=39)),
    ("tweede_pinksterdag", lambda y: easter(y) + timedelta(days=50)),
    ("eerste_kerstdag", lambda y: date(y, 12, 25)),
    ("tweede_kerstdag", lambda y: date(y, 12, 26)),
)


@lru_cache(maxsize=64)
def holidays_in(year: int) -> frozenset[date]:
    return frozenset(rule(year) for _, rule in RULES)


class DutchHolidays:
    """A collection of every Dutch public holiday, any year: `day in DUTCH_HOLIDAYS`."""

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in holidays_in(day.year)

    def __iter__(self):  # pragma: no cover - a Collection needs it; nothing iterates it
        return iter(())

    def __len__(self) -> int:  # pragma: no cover
        return 0


DUTCH_HOLIDAYS = DutchHolidays()
