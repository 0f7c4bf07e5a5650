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


def submit(page) -> None:
    with page.expect_navigation():
        page.click("form.lens-form button[type=submit]")


def test_a_typical_outcome_prints_on_at_most_two_a4_pages(
    page, site, loaded_catalogue, artifacts, tmp_path
):
    catalogue, _ = loaded_catalogue
    groups = signals_by_life_domain(catalogue)
    page.goto(site + "/signalen/")
    # A school case: a few signals in three leefgebieden, one "don't know", a region.
    chosen = [groups[0][1][0], groups[0][1][1], groups[2][1][0], groups[3][1][0]]
    for signal in chosen:
        page.check(f"#id_{signal_field_name(signal.code)}_yes")
    page.check(f"#id_{signal_field_name(groups[1][1][0].code)}_unknown")
    page.check("#id_risk_factors_0")
    page.select_option("#id_region", index=1)
    submit(page)
    path = printed(page, artifacts, tmp_path, "nl-outcome-printed")
    found = pdf_reading.text(path)
    for text in ("Niveau", "Wat kunt u nu doen?", "Wie kunt u bellen?", "112"):
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
    page.goto(site + "/signalen/")
    for code in catalogue.signals:
        page.check(f"#id_{signal_field_name(code)}_yes")
    submit(page)
    path = printed(page, artifacts, tmp_path, "nl-outcome-printed-everything")
    assert "Acuut gevaar" in pdf_reading.text(path)
    assert pdf_reading.pages(path) <= 2
