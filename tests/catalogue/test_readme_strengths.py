"""The catalogue README's claims about strength classes agree with signals.yaml
(acceptance review of issue 12: its "Missing" section still called
`injuries_like_punishment` middel after it became sterk)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

CLASSES = ("zacht", "middel", "sterk")
# "`code` (sources; `class`)" or "`code` (...; `class`, more)": a class claimed for a code
CLAIM = re.compile(r"`([a-z0-9_]+)` \(([^()]*?)`(zacht|middel|sterk)`[,)]")
# a row of the table "The basis per class": | `class` (weight n) | basis | signals |
ROW = re.compile(r"^\| `(middel|sterk)` \(weight \d+\) \|[^|]*\|(.*)\|$", re.M)


def readme(catalogue_dir) -> str:
    return (Path(catalogue_dir) / "README.md").read_text(encoding="utf-8")


def strengths(catalogue_dir) -> dict[str, str]:
    path = Path(catalogue_dir) / "signals.yaml"
    signals = yaml.safe_load(path.read_text(encoding="utf-8"))["signals"]
    return {s["code"]: s["strength"] for s in signals}


def wrong_claims(text: str, known: dict[str, str]) -> list[str]:
    return [
        f"{code}: README says {claimed}, signals.yaml {known[code]}"
        for code, _between, claimed in CLAIM.findall(text)
        if code in known and known[code] != claimed
    ]


def test_the_claim_scan_reads_the_missing_sections_form():
    text = "`injuries_like_punishment` (UK summaries,\nCardiff; `middel`), `x` (a; `zacht`)"
    assert CLAIM.findall(text) == [
        ("injuries_like_punishment", "UK summaries,\nCardiff; ", "middel"),
        ("x", "a; ", "zacht"),
    ]
    assert wrong_claims(text, {"injuries_like_punishment": "sterk"}) == [
        "injuries_like_punishment: README says middel, signals.yaml sterk"
    ]


def test_every_class_the_readme_claims_is_the_catalogues(catalogue_dir):
    text = readme(catalogue_dir)
    known = strengths(catalogue_dir)
    assert CLAIM.search(text)  # the form is still there to check
    assert wrong_claims(text, known) == []


def test_the_class_table_lists_exactly_the_catalogues_strong_and_medium(catalogue_dir):
    known = strengths(catalogue_dir)
    rows = dict(ROW.findall(readme(catalogue_dir)))
    assert set(rows) == {"middel", "sterk"}
    for strength, cell in rows.items():
        listed = {c for c in re.findall(r"`([a-z0-9_]+)`", cell) if c in known}
        assert listed == {c for c, s in known.items() if s == strength}, strength
