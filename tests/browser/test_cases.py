"""Meldcode cases in a real browser: a professional opens a case from the person's page,
records steps through the forms (an empty form shows the errors at the fields), and
finds the case on the work list; axe-core's WCAG 2.2 AA rules on every case page.
Synthetic data only."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lens.data.cases import Case
from tests.registry import factories

from .conftest import describe, run_axe
from .test_registry import log_in, main_text, new_page, submit, url, world  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("access_log_emptied_afterwards")]


def test_a_case_through_the_browser_without_axe_violations(new_page, site, world, artifacts):  # noqa: F811
    me = world["me"]
    person = factories.person(factories.actor(me.membership))
    page = new_page(bypass_csp=True)  # axe is injected as a script
    found: dict[str, list] = {}

    def check(name: str) -> None:
        found[name] = run_axe(page)
        page.screenshot(path=str(artifacts / f"cases-axe-{name}.png"), full_page=True)

    log_in(page, site, me)
    page.goto(site + url("registry:person", pseudonym=person.pseudonym))
    assert "Meldcodecasus" in main_text(page)
    with page.expect_navigation():
        page.click("#case-title ~ p a")
    check("open")
    page.fill("textarea[name=done]", "Zorg besproken in het team")
    submit(page, url("cases:open", pseudonym=person.pseudonym))
    case = Case.objects.get()
    assert page.url == site + url("cases:case", case_id=case.pk)
    assert "De casus is geopend." in main_text(page)
    check("case-opened")

    step = url("cases:step", case_id=case.pk, transition="map_signals")
    with page.expect_navigation():
        page.click(f"a[href='{step}']")
    page.fill("textarea[name=done]", "Signalen op een rij gezet")
    submit(page, step)
    consult = url("cases:step", case_id=case.pk, transition="consult")
    page.goto(site + consult)
    check("consult")
    submit(page, consult)  # nothing filled in
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#id_role_1_error").is_visible()
    check("consult-errors")
    page.select_option("select[name=role_1]", "veilig_thuis")
    page.fill("input[name=organisation_1]", "Veilig Thuis Synthetisch")
    page.check("input[name=anonymous_1]")
    page.fill("textarea[name=done]", "Anoniem overlegd")
    submit(page, consult)
    assert page.url == site + url("cases:case", case_id=case.pk)
    assert "Veilig Thuis Synthetisch" in main_text(page)
    check("case-steps")

    page.goto(site + url("cases:step", case_id=case.pk, transition="acute"))
    check("acute")
    page.goto(site + url("cases:step", case_id=case.pk, transition="close"))
    check("close")
    page.goto(site + url("cases:work_list"))
    assert f"Casus {case.pk}" in main_text(page)
    check("work-list")
    assert timezone.localdate()  # the pages ran today
    problems = {name: v for name, v in found.items() if v}
    assert not problems, "\n".join(f"{name}: {describe(v)}" for name, v in problems.items())


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_conversation_sheet_prints_on_at_most_two_a4_pages_without_axe_violations(
    new_page,  # noqa: F811
    site,
    world,  # noqa: F811
    artifacts,
    tmp_path,
    language,
):
    from lens.cases import actions
    from tests import pdf_reading
    from tests.cases.conftest import data

    me = world["me"]
    actor = factories.actor(me.membership)
    person = factories.person(actor)
    factories.registration(actor, person)
    case = actions.open_case(actor, person, data("open", timezone.localdate()))
    page = new_page(bypass_csp=True)  # axe is injected as a script
    log_in(page, site, me)
    prefix = "/en" if language == "en" else ""
    page.goto(site + prefix + url("cases:conversation", case_id=case.pk))
    heading = "Preparing the conversation" if language == "en" else "Het gesprek voorbereiden"
    assert heading in main_text(page)
    violations = run_axe(page)
    page.screenshot(path=str(artifacts / f"cases-sheet-{language}.png"), full_page=True)
    assert not violations, describe(violations)
    path = tmp_path / "sheet.pdf"
    page.pdf(path=str(path), format="A4", print_background=True)
    (artifacts / f"cases-sheet-{language}-printed.pdf").write_bytes(path.read_bytes())
    found = pdf_reading.text(path)
    assert "112" in found and heading in found
    assert "Downloaden als PDF" not in found and "Download as PDF" not in found  # screen only
    assert pdf_reading.pages(path) <= 2
    assert pdf_reading.page_size_mm(path) == (210, 297)
