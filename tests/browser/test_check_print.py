"""Printing the check's outcome (issue 12, sections 3 and 6): chromium prints the page on
A4 as a user's browser does; the print stylesheet (static/css/app.css, "print") keeps it
to one page, two at most: level, what to do, whom to call, what was seen, what is not seen
yet. Read back with pdfinfo and pdftotext; page 1 rendered to PNG must not be blank."""

from __future__ import annotations

import pytest

from lens.check.forms import signal_field_name, signals_by_life_domain
from tests import pdf_reading

pytestmark = pytest.mark.browser


def printed(page, artifacts, tmp_path, name: str):
    path = tmp_path / f"{name}.pdf"
    page.pdf(path=str(path), format="A4", print_background=True)
    (artifacts / f"{name}.pdf").write_bytes(path.read_bytes())
    return path


def outcome(page, site, answers: list[tuple[str, str]]) -> None:
    """The outcome page of these answers, as the last step's form posts them (the steps
    themselves are walked in tests/browser/test_check.py)."""
    page.goto(site + "/signalen/?audience=professional")
    with page.expect_navigation():
        page.evaluate(
            """answers => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = "/uitkomst/";
                for (const [name, value] of answers) {
                    const input = document.createElement("input");
                    input.type = "hidden"; input.name = name; input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();
            }""",
            answers,
        )


def test_a_typical_outcome_prints_on_at_most_two_a4_pages(
    page, site, loaded_catalogue, artifacts, tmp_path
):
    catalogue, _ = loaded_catalogue
    groups = signals_by_life_domain(catalogue)
    # A school case: a few signals in three leefgebieden, one "don't know", a region.
    chosen = [groups[0][1][0], groups[0][1][1], groups[2][1][0], groups[3][1][0]]
    answers = [("audience", "professional"), ("organisation_type", "school")]
    answers += [(signal_field_name(signal.code), "yes") for signal in chosen]
    answers += [(signal_field_name(groups[1][1][0].code), "unknown")]
    answers += [("risk_factors", next(iter(catalogue.risk_factors)))]
    answers += [("region", next(iter(catalogue.regions))), ("age", "16_17")]
    outcome(page, site, answers)
    path = printed(page, artifacts, tmp_path, "nl-outcome-printed")
    found = pdf_reading.text(path)
    for text in ("NIVEAU", "Wat u nu kunt doen", "Wie kunt u bellen?", "112"):
        assert text in found, text
    assert "Wat zie ik nog niet?" in found and "Wat u heeft ingevuld" in found
    assert chosen[0].label.get("nl") in found
    assert pdf_reading.pages(path) <= 2
    assert pdf_reading.page_size_mm(path) == (210, 297)
    assert pdf_reading.inked_share(path) > 0.02


def test_everything_answered_still_prints_on_at_most_two_pages(
    page, site, loaded_catalogue, artifacts, tmp_path
):
    """The worst case: every signal yes (acute too) and every risk factor ticked."""
    catalogue, _ = loaded_catalogue
    answers = [("audience", "professional"), ("organisation_type", "school")]
    answers += [(signal_field_name(code), "yes") for code in catalogue.signals]
    answers += [("risk_factors", code) for code in catalogue.risk_factors]
    outcome(page, site, answers)
    path = printed(page, artifacts, tmp_path, "nl-outcome-printed-everything")
    assert "Acuut gevaar" in pdf_reading.text(path)
    assert pdf_reading.pages(path) <= 2
