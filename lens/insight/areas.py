"""Municipalities, districts (wijken) and the PC4 table of catalogue/areas/ (see its
README for the source and year). Plain Python, no Django.

Only a four-digit postcode (PC4) is ever looked up: never a full postcode or an address.
A PC4 can straddle a municipal or district border, so a look-up returns the area holding
most of its addresses together with that share; the professional can still choose another.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

AREAS_DIR = Path(__file__).resolve().parent.parent.parent / "catalogue" / "areas"
PC4_PATTERN = re.compile(r"[1-9][0-9]{3}")
DATA_YEAR = 2024  # CBS "buurt, wijk en gemeente 2024 voor postcode huisnummer"


class InvalidPostcode(ValueError):
    """Not a four-digit postcode (a full postcode is refused too: only PC4 is kept)."""


@dataclass(frozen=True)
class Municipality:
    code: str  # CBS code, e.g. GM0855
    name: str
    region: str


@dataclass(frozen=True)
class District:
    code: str  # CBS wijkcode, e.g. WK085501
    municipality_code: str
    addresses: int
    # The wijk's name where districts.csv has a `name` column with it ("" otherwise: the
    # committed source, CBS 2024 by PC4, gives only the codes).
    name: str = ""


@dataclass(frozen=True)
class Pc4Match:
    """Where a PC4 lies: the municipality and district with most of its addresses."""

    pc4: str
    municipality_code: str
    municipality_share: float  # share of the PC4's addresses in that municipality
    district_code: str
    district_share: float  # share of the PC4's addresses in that district
    municipality: Municipality | None  # None: the PC4 lies mostly outside our regions


@dataclass(frozen=True)
class Areas:
    municipalities: dict[str, Municipality]
    districts: dict[str, District]
    pc4_addresses: dict[str, dict[str, int]]  # pc4 -> wijk_code -> addresses

    def municipalities_in(self, region: str) -> list[Municipality]:
        return sorted(
            (m for m in self.municipalities.values() if m.region == region),
            key=lambda m: m.name,
        )

    def districts_of(self, municipality_code: str) -> list[District]:
        return sorted(
            (d for d in self.districts.values() if d.municipality_code == municipality_code),
            key=lambda d: d.code,
        )

    def lookup(self, postcode: str) -> Pc4Match | None:
        """The area of a PC4, or None when the table does not hold it (outside our
        regions). Raises InvalidPostcode for anything but four digits 1000-9999."""
        pc4 = normalise_pc4(postcode)
        per_wijk = self.pc4_addresses.get(pc4)
        if not per_wijk:
            return None
        total = sum(per_wijk.values())
        per_municipality: Counter[str] = Counter()
        for wijk, addresses in per_wijk.items():
            per_municipality[wijk_municipality(wijk)] += addresses
        # Ties broken by code, so the answer never depends on file order.
        municipality_code = min(per_municipality, key=lambda c: (-per_municipality[c], c))
        in_it = {w: a for w, a in per_wijk.items() if wijk_municipality(w) == municipality_code}
        district_code = min(in_it, key=lambda w: (-in_it[w], w))
        return Pc4Match(
            pc4=pc4,
            municipality_code=municipality_code,
            municipality_share=per_municipality[municipality_code] / total,
            district_code=district_code,
            district_share=in_it[district_code] / total,
            municipality=self.municipalities.get(municipality_code),
        )


# The catalogue's region codes (catalogue/regions.yaml) where catalogue/areas/ names the
# region otherwise.
AREA_REGIONS = {"amsterdam": "amsterdam_amstelland"}


def area_region(region: str) -> str:
    """The region code of catalogue/areas/ for a catalogue region code."""
    return AREA_REGIONS.get(region, region)


def normalise_pc4(postcode: str) -> str:
    text = postcode.strip() if isinstance(postcode, str) else ""
    if not PC4_PATTERN.fullmatch(text):
        raise InvalidPostcode("Enter the four digits of a postcode, e.g. 5038 (no letters).")
    return text


def wijk_municipality(wijk_code: str) -> str:
    """WK085501 -> GM0855 (a CBS wijkcode starts with its municipality's four digits)."""
    return "GM" + wijk_code[2:6]


def load_areas(directory: Path = AREAS_DIR) -> Areas:
    municipalities = {
        row["gemeente_code"]: Municipality(row["gemeente_code"], row["name"], row["region"])
        for row in _rows(directory / "municipalities.csv")
    }
    districts = {
        row["wijk_code"]: District(
            row["wijk_code"],
            row["gemeente_code"],
            int(row["addresses"]),
            (row.get("name") or "").strip(),
        )
        for row in _rows(directory / "districts.csv")
    }
    pc4_addresses: dict[str, dict[str, int]] = defaultdict(dict)
    for row in _rows(directory / "pc4.csv"):
        if wijk_municipality(row["wijk_code"]) != row["gemeente_code"]:
            raise ValueError(f"pc4.csv: {row['wijk_code']} is not in {row['gemeente_code']}")
        pc4_addresses[normalise_pc4(row["pc4"])][row["wijk_code"]] = int(row["addresses"])
    for district in districts.values():
        if district.municipality_code not in municipalities:
            raise ValueError(f"districts.csv: {district.code} has no municipality")
    return Areas(municipalities, districts, dict(pc4_addresses))


@cache
def areas() -> Areas:
    """The committed table, read once per process."""
    return load_areas()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
