"""Synthetic identities: BSNs that pass the elfproef but are recognisably made up."""

from __future__ import annotations

from functools import cache

# Every demo BSN starts with these digits, so a demo number is recognisable at a glance.
BSN_PREFIX = "9999"
ELFPROEF_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def check_digit(first_eight: str) -> int | None:
    """The ninth digit that makes the number pass the elfproef, or None if none does.

    Elfproef: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a multiple of 11, so d9 is the weighted
    sum modulo 11, which must be a single digit.
    """
    total = sum(int(d) * w for d, w in zip(first_eight, ELFPROEF_WEIGHTS, strict=True))
    digit = total % 11
    return digit if digit < 10 else None


@cache
def _synthetic_bsns() -> tuple[str, ...]:
    numbers = []
    for n in range(10_000):
        first_eight = f"{BSN_PREFIX}{n:04d}"
        digit = check_digit(first_eight)
        if digit is not None:
            numbers.append(f"{first_eight}{digit}")
    return tuple(numbers)


def synthetic_bsn(index: int) -> str:
    """The index-th demo BSN (9999xxxxx, valid by the elfproef); distinct per index."""
    numbers = _synthetic_bsns()
    if not 0 <= index < len(numbers):
        raise ValueError(f"only {len(numbers)} synthetic BSNs are available")
    return numbers[index]


def synthetic_bsn_count() -> int:
    return len(_synthetic_bsns())
