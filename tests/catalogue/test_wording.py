"""The catalogue describes what is seen or what the situation is, never a label of the
person: every text of the catalogue files is scanned for words that label (a young
person is not "losbandig" or a liar; they give vague or changing accounts). Codes stay
as they were (stored registrations name them); each signal and risk factor keeps its
sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

# Whole words or phrases that label a person instead of describing what is seen.
STIGMATISING = (
    # Dutch
    "losbandig",
    "antisociaal",
    "asociaal",
    "liegt",
    "leugenachtig",
    "smoesjes",
    "goedgelovig",
    "impulsief",
    "verkeerde vrienden",
    "crimineel gedrag",
    "criminele familie",
    "criminele voorgeschiedenis",
    "criminele groep",
    "probleemjongere",
    "probleemjongeren",
    "hangjongere",
    "hangjongeren",
    "junk",
    "junkie",
    "verslaafde",
    "dakloos",
    "dakloze",
    "onkwetsbaar",
    "straattaal",
    "bende",
    "onverzorgd",
    "ontwrichtend",
    "niets te zoeken",
    # English
    "promiscuous",
    "antisocial",
    "gullible",
    "impulsive",
    "wrong friends",
    "criminal family",
    "criminal history",
    "criminal behaviour",
    "criminal group",
    "liar",
    "lies",
    "invincible",
    "junkie",
    "addict",
    "homeless",
    "troublemaker",
    "unkempt",
    "slang",
)
# Names that hold such a phrase without labelling a person: the linked phenomenon of seed
# 001 ("criminele familienetwerken") names networks, not the young person.
ALLOWED = re.compile(r"\bcriminal family networks\b", re.I)
PATTERN = re.compile(r"\b(" + "|".join(re.escape(w) for w in STIGMATISING) + r")\b", re.I)
# Values that are no text of the catalogue's own: codes, addresses, publication titles.
NOT_TEXT = {"code", "url", "file", "title", "replaced_by", "replaced_by_risk_factor"}


def texts(value, where: str):
    if isinstance(value, dict):
        for key, inner in value.items():
            if key not in NOT_TEXT:
                yield from texts(inner, f"{where}.{key}")
    elif isinstance(value, list):
        for number, inner in enumerate(value):
            code = inner.get("code") if isinstance(inner, dict) else None
            yield from texts(inner, f"{where}[{code or number}]")
    elif isinstance(value, str):
        yield where, value


def catalogue_texts(directory: Path):
    for path in sorted(directory.glob("*.yaml")):
        yield from texts(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)


def test_the_scan_finds_a_label():
    found = [m.group(0) for m in PATTERN.finditer("Losbandig, liegt; a gullible liar")]
    assert found == ["Losbandig", "liegt", "gullible", "liar"]
    assert not PATTERN.search("Criminele familienetwerken; de gang van zaken; Verslaving")
    assert not PATTERN.search(ALLOWED.sub("", "Criminal family networks"))


def test_no_text_of_the_catalogue_labels_the_person(catalogue_dir):
    found = [
        f"{where}: {match.group(0)!r}"
        for where, text in catalogue_texts(Path(catalogue_dir))
        for match in PATTERN.finditer(ALLOWED.sub("", text))
    ]
    assert found == []


@pytest.mark.parametrize("section", ["signals", "risk_factors"])
def test_every_item_keeps_its_sources(catalogue_dir, section):
    items = [
        item
        for path in sorted(Path(catalogue_dir).glob("*.yaml"))
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(section, [])
    ]
    assert items
    assert [i["code"] for i in items if not i.get("sources")] == []
