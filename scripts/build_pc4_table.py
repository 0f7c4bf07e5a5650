#!/usr/bin/env python3
"""Rebuild catalogue/areas/*.csv from the public PC4 x wijk address-count matrix.

Not part of the app and not run by the tests: it documents, as code, how the committed
data files were reduced from their source (see catalogue/areas/README.md).

    python scripts/build_pc4_table.py grenswijziging_wijk_van_2024_naar_2024_voor_postcode.rda

Needs the `rdata` package (pip install rdata; not a project dependency). The matrix has one
row per CBS wijk (six digits: four of the gemeente, two of the wijk), one column per PC4,
and in each cell the number of addresses (PC6 + huisnummer) of that PC4 in that wijk, from
the CBS file "buurt, wijk en gemeente 2024 voor postcode huisnummer" (reference date
1 August 2024). Kept: every PC4 with at least one address in a municipality of
catalogue/areas/municipalities.csv, with all its wijken (also those across the border), and
the wijken of those municipalities.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

AREAS = Path(__file__).resolve().parent.parent / "catalogue" / "areas"
MATRIX = "grenswijziging_wijk_van_2024_naar_2024_voor_postcode"


def main(rda_path: str) -> None:
    import rdata

    matrix = rdata.conversion.convert(rdata.parser.parse_file(rda_path))[MATRIX]
    wijken = [str(code) for code in matrix.coords["dim_0"].values]
    pc4s = [str(code) for code in matrix.coords["dim_1"].values]
    values = matrix.values
    with (AREAS / "municipalities.csv").open(encoding="utf-8") as handle:
        kept = {row["gemeente_code"][2:] for row in csv.DictReader(handle)}
    ours = [i for i, wijk in enumerate(wijken) if wijk[:4] in kept]
    # Every PC4 with an address in one of our municipalities, with all its wijken, also
    # those across the border: a reader must see that such a PC4 is shared.
    columns = [j for j in range(len(pc4s)) if any(values[i, j] > 0 for i in ours)]
    pc4_rows = [
        (pc4s[j], "WK" + wijken[i], "GM" + wijken[i][:4], int(values[i, j]))
        for j in columns
        for i in range(len(wijken))
        if values[i, j] > 0
    ]
    district_rows = [("WK" + wijken[i], "GM" + wijken[i][:4], int(values[i].sum())) for i in ours]
    pc4_rows.sort()
    with (AREAS / "pc4.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("pc4", "wijk_code", "gemeente_code", "addresses"))
        writer.writerows(pc4_rows)
    with (AREAS / "districts.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("wijk_code", "gemeente_code", "addresses"))
        writer.writerows(sorted(district_rows))
    print(f"{len(pc4_rows)} PC4 x wijk rows, {len(district_rows)} wijken")


if __name__ == "__main__":
    main(sys.argv[1])
