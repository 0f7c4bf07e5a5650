"""An indicator's label cannot be mistaken for a leefgebied's (issue 12 §3, acceptance
review: the indicator "Financiën" stood beside the leefgebied "Wonen & Financiën",
"Lichamelijke en psychische gezondheid" beside "Lichamelijke & Psychische Gezondheid",
"Zelfbeeld, normen en inzicht" beside "Zingeving, Lerend Vermogen & Inzicht"): no word of
an indicator's label is a word of a leefgebied's label, in Dutch or English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

JOINING = {"en", "and", "of", "or", "&"}


def words(label: str) -> set[str]:
    return {w for w in re.findall(r"[\w-]+|&", label.lower()) if w not in JOINING}


def section(catalogue_dir, name: str) -> list[dict]:
    path = Path(catalogue_dir) / f"{name}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))[name]


def shared_words(indicators: list[dict], domains: list[dict], language: str) -> list[str]:
    return [
        f"{i['code']} ({i['label'][language]}) ~ {d['code']} ({d['label'][language]}): "
        f"{sorted(words(i['label'][language]) & words(d['label'][language]))}"
        for i in indicators
        for d in domains
        if words(i["label"][language]) & words(d["label"][language])
    ]


def test_the_word_check_finds_the_old_look_alikes():
    domains = [{"code": "wonen_financien", "label": {"nl": "Wonen & Financiën"}}]
    old = [{"code": "finances", "label": {"nl": "Financiën"}}]
    assert shared_words(old, domains, "nl")
    assert not shared_words([{"code": "finances", "label": {"nl": "Geld en bezit"}}], domains, "nl")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_indicator_label_looks_like_a_leefgebied(catalogue_dir, language):
    indicators = section(catalogue_dir, "indicators")
    domains = section(catalogue_dir, "life_domains")
    assert shared_words(indicators, domains, language) == []
