"""The check speaks of "de jongere" / "the young person" only when the chosen age says
so (under 18, or 18 to 23: a young adult); for an older person or an age not known it
says "hem of haar" / "the person" (outside probe, December 2026: an adult was called "de
jongere" on the outcome and in its PDF summary)."""

from __future__ import annotations

import re

import pytest

from tests import pdf_reading

from .test_parent_texts import cases, seen_text

pytestmark = pytest.mark.django_db

# "jongerenwerk" (youth work, a kind of organisation) and "jongeren" (in general) may stay
YOUNG = {"nl": re.compile(r"\bjongere\b"), "en": re.compile(r"\byoung person\b")}
PAGES = {"nl": ("/uitkomst/", "/samenvatting.pdf"), "en": ("/en/outcome/", "/en/summary.pdf")}


def where(pattern: re.Pattern, text: str) -> str:
    found = pattern.search(text)
    return text[max(0, found.start() - 80) : found.end() + 40] if found else ""


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("age", ["older", "unknown"])
def test_an_adult_is_never_called_a_young_person(client, catalogue, lang, age, tmp_path):
    outcome, summary = PAGES[lang]
    for number, (name, data) in enumerate(cases(catalogue).items()):
        data = data | {"age": age}
        text = seen_text(client.post(outcome, data).content.decode())
        assert not where(YOUNG[lang], text), (name, where(YOUNG[lang], text))
        if "region" in name:  # the summary once per level (a PDF costs time)
            continue
        address = f"192.0.2.{number + 1}"  # each its own budget (lens.web.throttle)
        response = client.post(summary, data | {"summary": "1"}, REMOTE_ADDR=address)
        assert response.status_code == 200, name
        found = " ".join(pdf_reading.text(pdf_reading.write(response.content, tmp_path)).split())
        assert not where(YOUNG[lang], found.lower()), (name, where(YOUNG[lang], found.lower()))


@pytest.mark.parametrize("age", ["under_16", "18_23"])
def test_a_young_person_is_still_called_so(client, catalogue, age):
    """Under 18 and 18 to 23 keep "de jongere" in a parent's steps (so the test above
    is about the age, not about a word gone everywhere)."""
    data = cases(catalogue)["three areas of life"] | {"age": age}
    text = seen_text(client.post("/uitkomst/", data).content.decode())
    assert "praat met de jongere" in text


def test_the_start_and_first_step_do_not_presume_a_young_person(client, catalogue):
    """The age is not known yet: "Hoe oud is deze persoon?", "24 of ouder"."""
    start = seen_text(client.get("/").content.decode())
    assert "hoe oud deze persoon is" in start  # "een jongere of volwassene" may stay
    assert "naaste van de jongere" not in start
    for audience in ("parent", "professional"):
        text = seen_text(client.get(f"/signalen/?audience={audience}").content.decode())
        assert "hoe oud is deze persoon?" in text and "24 of ouder" in text
        assert not where(YOUNG["nl"], text), (audience, where(YOUNG["nl"], text))
