"""The catalogue describes what is seen or what the situation is, never a label of the
person: every text of the catalogue files is scanned for words that label (a young
person is not "losbandig" or a liar; they give vague or changing accounts). Codes stay
as they were (stored registrations name them); each signal and risk factor keeps its
sources."""

from __future__ import annotations

import re
from pathlib import Path

import polib
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


# The person is never called a victim (issue 12: the check "zegt niet of iemand slachtoffer
# is"): "het slachtoffer" or "the victim" in a text names the person the text is about, and
# so does "is slachtoffer" / "is a victim" as a statement. General statements about victims
# as a group ("slachtoffers en hun familie worden vaak bedreigd", the non-punishment
# principle) and the names of organisations (Slachtofferhulp) are not matched.
CALLED_VICTIM = re.compile(
    r"\b(het|dit|dat|de) slachtoffer\b|\bthe victim\b|\b(is|bent|ben|was) (een )?slachtoffer\b"
    r"|\b(is|are|was) (a )?victim\b",
    re.I,
)
# Uses that do not call the person a victim, as whole phrases.
VICTIM_ALLOWED = re.compile(
    r"zegt niet of iemand slachtoffer is|does not say whether anyone is a victim"
    r"|niet of iemand slachtoffer is|whether (anyone|someone) is a victim"
    # a source's note quoting what it describes (sources.yaml, ckm_verkenning_2022)
    r"|in the victim's name",
    re.I,
)
PO_FILES = Path(__file__).resolve().parents[2] / "lens" / "locale"


def shown_po_texts():
    """The interface's texts as shown: the Dutch and English translations."""
    for path in sorted(PO_FILES.glob("*/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(path)):
            for text in [entry.msgstr or entry.msgid, *entry.msgstr_plural.values()]:
                yield f"{path.parent.parent.name}: {entry.msgid[:40]!r}", text


def test_the_victim_scan_finds_the_person_called_a_victim():
    for text in (
        "Het slachtoffer de schuld geven",
        "Blaming the victim",
        "Hij is slachtoffer",
        "She is a victim of",
        "dat slachtoffer",
    ):
        assert CALLED_VICTIM.search(VICTIM_ALLOWED.sub("", text)), text
    for text in (
        "Slachtoffers en hun familie worden vaak bedreigd",
        "Victims of trafficking",
        "De check zegt niet of iemand slachtoffer is.",
        "Slachtofferhulp Nederland",
        "the outcome does not say whether anyone is a victim",
    ):
        assert not CALLED_VICTIM.search(VICTIM_ALLOWED.sub("", text)), text


def test_no_shown_text_calls_the_person_a_victim(catalogue_dir):
    found = [
        f"{where}: {match.group(0)!r}"
        for where, text in [*catalogue_texts(Path(catalogue_dir)), *shown_po_texts()]
        for match in CALLED_VICTIM.finditer(VICTIM_ALLOWED.sub("", text))
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


# The check is also for adults (age "24 of ouder") and the registry holds adults, so a
# signal's texts speak of "iemand" / "hij of zij" / "someone" / "they", never of "de
# jongere" / "the young person" (catalogue 2026.12.5). Statements about young people as a
# group ("Jongeren worden ... gedwongen") and "a child or young person" may stay.
YOUNG_PERSON = re.compile(r"\b(de|een) jongere\b|\b(the|a) young person\b", re.I)


def test_the_young_person_scan():
    for text in (
        "De jongere zegt",
        "dat de jongere",
        "Een jongere gaat",
        "The young person",
        "a young person",
    ):
        assert YOUNG_PERSON.search(text), text
    for text in ("Jongeren worden vaak gedwongen", "a child or young person", "kind of jongere"):
        assert not YOUNG_PERSON.search(text), text


def test_no_signal_text_calls_the_person_de_jongere(catalogue_dir):
    found = [
        f"{where}: {match.group(0)!r}"
        for path in sorted(Path(catalogue_dir).glob("*.yaml"))
        for where, text in texts(
            (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("signals", []),
            f"{path.name}.signals",
        )
        for match in YOUNG_PERSON.finditer(text)
    ]
    assert found == []


# No generic "hij" / "he" for the person a text is about (issue 12 §4b "Language"; seed 004
# names girls too): "hij of zij" / "he or she", "de jongere", "iemand", "they". Every text
# of every catalogue file, the conversation's doubts included (conversation.yaml still had
# "Slachtoffer? Hij is toch gewoon dader?" in catalogue 2026.12.6).
GENERIC_HE = re.compile(
    r"\bhij\b(?! of zij)(?!/zij)|(?<!zij of )\bhem\b(?! of haar)|\bhe\b(?! or she)"
    r"|(?<!she or )\bhim\b(?! or her)|\bhis\b(?! or her)",
    re.I,
)


def test_the_generic_he_scan():
    for text in ("Hij is toch gewoon dader?", "zeg het hem", "he is", "ask him", "his phone"):
        assert GENERIC_HE.search(text), text
    for text in (
        "Hij of zij is toch gewoon dader?",
        "hem of haar",
        "he or she",
        "him or her",
        "his or her",
        "Zij zien thuis",
        "the",
    ):
        assert not GENERIC_HE.search(text), text


def test_no_catalogue_text_says_hij_for_the_person(catalogue_dir):
    found = [
        f"{where}: {match.group(0)!r}"
        for where, text in catalogue_texts(Path(catalogue_dir))
        for match in GENERIC_HE.finditer(text)
    ]
    assert any(
        where.startswith("conversation.yaml") for where, _t in catalogue_texts(Path(catalogue_dir))
    )
    assert found == []
