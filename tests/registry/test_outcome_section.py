"""The person page's outcome section, kept per process (lens.web.outcomes.outcome_section):
a kept section must be the one a fresh render gives, whatever changed since."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from lens.data import queries
from lens.data.kept import Kept
from lens.data.registry import Role
from lens.web import outcomes

from . import factories


@pytest.fixture
def professional(world, login):
    return login(world.members[Role.PROFESSIONAL])


@pytest.fixture(autouse=True)
def no_kept_sections():
    outcomes.sections.clear()
    queries.documents.clear()
    yield
    outcomes.sections.clear()
    queries.documents.clear()


def page(client, pseudonym: str, language: str = "nl") -> str:
    with translation.override(language):
        path = reverse("registry:person", kwargs={"pseudonym": pseudonym})
    body = client.get(path).content.decode()
    # The tokens of the page's forms differ from response to response.
    return re.sub(r'value="[^"]*"', 'value=""', body)


def section(body: str) -> str:
    """From the outcome section's first part to the timeline."""
    start = body.index('class="lens-section"', body.index('id="informed-title"'))
    return body[start : body.index('id="timeline-title"')]


def test_a_kept_section_is_the_one_a_fresh_render_gives(professional, world, catalogue):
    pseudonym = world.own_person.pseudonym
    first = page(professional, pseudonym)
    assert len(outcomes.sections.kept) == 1
    assert page(professional, pseudonym) == first  # kept, and the same
    assert len(outcomes.sections.kept) == 1

    # New signals: a new engine input, so a new key (not the kept section of before).
    actor = factories.actor(world.members[Role.PROFESSIONAL])
    codes = [c for c in catalogue.signals if c not in world.own_registration.signals][:3]
    factories.registration(actor, world.own_person, signals=codes)
    kept = page(professional, pseudonym)
    assert len(outcomes.sections.kept) == 2
    assert section(kept) != section(first)

    outcomes.sections.clear()
    assert page(professional, pseudonym) == kept


def test_each_language_has_its_own_section(professional, world):
    pseudonym = world.own_person.pseudonym
    dutch = section(page(professional, pseudonym, "nl"))
    english = section(page(professional, pseudonym, "en"))
    assert "Wat zie ik nog niet?" in dutch
    assert "What am I not seeing yet?" in english
    assert len(outcomes.sections.kept) == 2


def test_the_oldest_used_section_goes_first(monkeypatch):
    kept = Kept(2)
    kept.put("a", outcomes.SafeString("A"))
    kept.put("b", outcomes.SafeString("B"))
    assert kept.get("a") == "A"  # now the newest used
    kept.put("c", outcomes.SafeString("C"))
    assert kept.get("b") is None
    assert (kept.get("a"), kept.get("c")) == ("A", "C")


def test_a_page_seen_again_does_not_draw_its_outcome_again(
    professional, world, catalogue, monkeypatch
):
    """The case box's acute advice reads the outcome document, drawn by the engine from
    the timeline (queries.with_document): drawn once for the same versions and input,
    and the advice the same each time."""
    acute = next(code for code, signal in catalogue.signals.items() if signal.acute)
    actor = factories.actor(world.members[Role.PROFESSIONAL])
    factories.registration(actor, world.own_person, signals=[acute])
    drawn = []
    draw = queries.drawn_document
    monkeypatch.setattr(queries, "drawn_document", lambda *a: drawn.append(a) or draw(*a))
    pseudonym = world.own_person.pseudonym
    advice = "call 112 or the police first"
    first = page(professional, pseudonym, "en")
    assert advice in first
    assert page(professional, pseudonym, "en") == first
    assert len(drawn) == 1
