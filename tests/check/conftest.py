"""Fixtures for the anonymous signal check's view tests."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from lens.rules.model import Catalogue, Ruleset, Signal


class _Elements(HTMLParser):
    def __init__(self, tags: set[str]):
        super().__init__()
        self.tags = tags
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.tags:
            self.found.append((tag, {k: v if v is not None else "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def elements(html: str, *tags: str) -> list[tuple[str, dict[str, str]]]:
    """Start tags (with their attributes) of the given kinds, in document order."""
    parser = _Elements(set(tags))
    parser.feed(html)
    return parser.found


def inputs(html: str) -> list[dict[str, str]]:
    return [attrs for _, attrs in elements(html, "input")]


def checked_answers(html: str) -> dict[str, str]:
    """The answers a form page shows as chosen: {"signal_x": "yes", "region": ...}."""
    answers = {
        a["name"]: a["value"] for a in inputs(html) if a.get("type") == "radio" and "checked" in a
    }
    boxes = [a["value"] for a in inputs(html) if a.get("type") == "checkbox" and "checked" in a]
    if boxes:
        answers["risk_factors"] = ",".join(boxes)
    selected = [a["value"] for _, a in elements(html, "option") if "selected" in a]
    if selected and selected[0]:
        answers["region"] = selected[0]
    return answers


@pytest.fixture
def active(loaded_catalogue) -> tuple[Catalogue, Ruleset]:
    """The real catalogue and ruleset, loaded into the test database."""
    return loaded_catalogue


@pytest.fixture
def catalogue(active) -> Catalogue:
    return active[0]


@pytest.fixture
def ruleset(active) -> Ruleset:
    return active[1]


def soft_signals(catalogue: Catalogue) -> list[Signal]:
    return [s for s in catalogue.signals.values() if s.strength == "zacht" and not s.acute]


@pytest.fixture
def soft_in_two_domains(catalogue) -> tuple[Signal, Signal]:
    """Two soft, non-acute signals that show under different leefgebieden and share no
    leefgebied at all (so they are "signals in two leefgebieden", nothing more)."""
    soft = [s for s in soft_signals(catalogue) if len(s.life_domains) == 1]
    first = soft[0]
    second = next(s for s in soft if s.life_domains[0] != first.life_domains[0])
    return first, second


@pytest.fixture
def soft_in_three_domains(catalogue) -> tuple[Signal, Signal, Signal]:
    """Three soft, non-acute signals, each in one leefgebied of its own (so of three
    themes): signal value 3, level 2 (two soft signals alone are level 1 since ruleset
    2026.12)."""
    soft = [s for s in soft_signals(catalogue) if len(s.life_domains) == 1]
    by_domain: dict[str, Signal] = {}
    for signal in soft:
        by_domain.setdefault(signal.life_domains[0], signal)
    first, second, third = list(by_domain.values())[:3]
    return first, second, third


@pytest.fixture
def acute_signal(catalogue) -> Signal:
    return next(s for s in catalogue.signals.values() if s.acute)


@pytest.fixture
def region_with_own_contact(catalogue) -> str:
    regional = {c.region for c in catalogue.contacts.values() if c.region and c.phone}
    return sorted(regional)[0]
