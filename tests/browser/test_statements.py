"""The privacy and accessibility statements in a real browser: axe-core's WCAG 2.2 AA
rules in Dutch and English, reached from the footer by keyboard (the accessibility
statement says it is tested this way)."""

from __future__ import annotations

import pytest

from .conftest import describe, run_axe

pytestmark = pytest.mark.browser

PAGES = {
    "nl": {"privacy": "/privacy/", "accessibility": "/toegankelijkheid/"},
    "en": {"privacy": "/en/privacy/", "accessibility": "/en/accessibility/"},
}
HEADING = {
    "nl": {"privacy": "Privacyverklaring", "accessibility": "Toegankelijkheidsverklaring"},
    "en": {"privacy": "Privacy statement", "accessibility": "Accessibility statement"},
}
START = {"nl": "/", "en": "/en/"}


@pytest.fixture
def axe_page(browser):
    # axe is injected as a <script> element; the site's CSP (script-src 'self') would
    # block it, so this context bypasses the CSP (as in test_check.py).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_axe_violations_on_the_statements(axe_page, site, artifacts, language):
    page = axe_page
    found: dict[str, list] = {}
    for name, path in PAGES[language].items():
        page.goto(site + path)
        assert page.locator("h1").inner_text() == HEADING[language][name]
        found[name] = run_axe(page)
        page.screenshot(path=str(artifacts / f"{language}-{name}.png"), full_page=True)
    # on a phone too: the footer's links wrap, nothing scrolls sideways
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(site + PAGES[language]["privacy"])
    found["privacy-mobile"] = run_axe(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(artifacts / f"{language}-privacy-mobile.png"), full_page=True)
    problems = {name: describe(v) for name, v in found.items() if v}
    assert not problems, problems


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_footer_links_reach_the_statements_by_keyboard(page, site, language):
    page.goto(site + START[language])
    for name in ["privacy", "accessibility"]:
        link = page.locator(f'footer a[href="{PAGES[language][name]}"]')
        assert link.count() == 1
        link.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == site + PAGES[language][name]
        assert page.locator("h1").inner_text() == HEADING[language][name]
        page.goto(site + START[language])
