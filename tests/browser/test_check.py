"""The signal check in a real browser: keyboard only, and axe-core's WCAG 2.2 AA rules."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lens.check.forms import signal_field_name, signals_by_life_domain
from lens.rules.engine import assess
from lens.rules.model import AssessmentInput, Observation

from .conftest import describe, run_axe

pytestmark = pytest.mark.browser

LEVEL_TEXT = {"nl": "Niveau {n} van 4", "en": "Level {n} of 4"}
FORM = {"nl": "/signalen/", "en": "/en/signals/"}
START = {"nl": "/", "en": "/en/"}


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {id: el.id, tag: el.tagName.toLowerCase(), text: el.textContent.trim(),
                    checked: !!el.checked, value: el.value || '',
                    outline: style.outlineStyle, shadow: style.boxShadow};
        }"""
    )


def tab_until(page, match, limit: int = 400) -> dict:
    """Press Tab until the focused element matches; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        current = focused(page)
        if match(current):
            return current
    raise AssertionError("Tab never reached the element")


def assert_focus_visible(element: dict) -> None:
    assert element["outline"] != "none" or element["shadow"] != "none", element


def soft_single_domain(signals):
    return [
        s for s in signals if s.strength == "zacht" and not s.acute and len(s.life_domains) == 1
    ]


def test_keyboard_only_check(page, site, loaded_catalogue, artifacts):
    catalogue, ruleset = loaded_catalogue
    groups = signals_by_life_domain(catalogue)
    first_domain = soft_single_domain(groups[0][1])
    second_domain = soft_single_domain(groups[1][1])
    yes_1, unknown_1, yes_2 = first_domain[:3]
    yes_3 = second_domain[0]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(site + "/")
    start = tab_until(page, lambda el: el["text"] == "Start de check")
    assert_focus_visible(start)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/signalen/")

    def radio(signal, value):
        return f"id_{signal_field_name(signal.code)}_{value}"

    # Tab into a group: focus lands on its first answer (ja); Space chooses it.
    element = tab_until(page, lambda el: el["id"] == radio(yes_1, "yes"))
    assert_focus_visible(element)
    page.keyboard.press("Space")
    # Arrow keys move within a group and choose as they go: ja -> nee -> weet ik niet.
    tab_until(page, lambda el: el["id"] == radio(unknown_1, "yes"))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert focused(page)["id"] == radio(unknown_1, "unknown")
    # ... and back: nee, then ja.
    tab_until(page, lambda el: el["id"] == radio(yes_2, "yes"))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    element = focused(page)
    assert element["id"] == radio(yes_2, "yes") and element["checked"]
    tab_until(page, lambda el: el["id"] == radio(yes_3, "yes"))
    page.keyboard.press("Space")
    page.screenshot(path=str(artifacts / "keyboard-form-answered.png"))

    # A risk factor (checkbox): Space ticks it.
    box = tab_until(page, lambda el: el["id"] == "id_risk_factors_0")
    assert_focus_visible(box)
    page.keyboard.press("Space")
    # The region (select): the arrow key picks the next option.
    select = tab_until(page, lambda el: el["id"] == "id_region")
    assert_focus_visible(select)
    page.keyboard.press("ArrowDown")
    region = focused(page)["value"]
    assert region in catalogue.regions

    submit = tab_until(
        page, lambda el: el["tag"] == "button" and el["text"] == "Bekijk de uitkomst"
    )
    assert_focus_visible(submit)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/uitkomst/")

    data = AssessmentInput(
        signals=tuple(Observation(s.code) for s in (yes_1, yes_2, yes_3)),
        unknown=(unknown_1.code,),
        risk_factors=(next(iter(catalogue.risk_factors)),),
        region=region,
    )
    expected = assess(catalogue, ruleset, data, today=timezone.localdate())
    assert expected.level.number == 2  # three soft signals in two leefgebieden
    body = page.inner_text("main")
    assert LEVEL_TEXT["nl"].format(n=2).upper() in body.upper()
    assert expected.level.label.nl in body
    for signal in (yes_1, yes_2, yes_3):
        assert signal.label.nl in body
    page.screenshot(path=str(artifacts / "keyboard-outcome.png"), full_page=True)

    # "Antwoorden aanpassen" brings the form back with the answers filled in.
    tab_until(page, lambda el: el["tag"] == "button" and el["text"] == "Antwoorden aanpassen")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.is_checked("#" + radio(yes_1, "yes"))
    assert page.is_checked("#" + radio(unknown_1, "unknown"))
    assert page.is_checked("#id_risk_factors_0")
    assert page.input_value("#id_region") == region
    assert not errors, errors  # e.g. no Content Security Policy violations


def test_skip_link_is_first_and_visible_on_focus(page, site):
    page.goto(site + "/signalen/")
    page.keyboard.press("Tab")
    element = focused(page)
    assert element["text"] == "Naar de inhoud"
    box = page.locator(".utrecht-skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["height"] >= 24
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


@pytest.fixture
def axe_page(browser):
    # axe is injected as a <script> element; the site's CSP (script-src 'self') would
    # block it, so this context bypasses the CSP. The view tests check the header.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_axe_violations(axe_page, site, loaded_catalogue, artifacts, language):
    page = axe_page
    catalogue, _ = loaded_catalogue
    groups = signals_by_life_domain(catalogue)
    found: dict[str, list] = {}

    def check(name: str) -> None:
        found[name] = run_axe(page)
        page.screenshot(path=str(artifacts / f"{language}-{name}.png"), full_page=True)

    page.goto(site + START[language])
    check("start")

    page.goto(site + FORM[language])
    check("form")
    page.screenshot(path=str(artifacts / f"{language}-form-top.png"))
    page.locator(f"#ld-{groups[2][0].code}").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / f"{language}-form-middle.png"))

    # an outcome with signals in two leefgebieden, a "don't know", a risk factor, a region
    first, second = soft_single_domain(groups[0][1])[0], soft_single_domain(groups[1][1])[0]
    page.check(f"#id_{signal_field_name(first.code)}_yes")
    page.check(f"#id_{signal_field_name(second.code)}_yes")
    page.check(f"#id_{signal_field_name(groups[3][1][0].code)}_unknown")
    page.check("#id_risk_factors_0")
    page.select_option("#id_region", index=1)
    with page.expect_navigation():
        page.click("form.lens-form button[type=submit]")
    assert LEVEL_TEXT[language].format(n=2).upper() in page.inner_text("main").upper()
    check("outcome")
    details = page.locator(".lens-details__body")
    assert details.count() == 3 and not details.first.is_visible()  # closed on screen
    page.emulate_media(media="print")
    # On paper (at most two A4 pages, tests/browser/test_check_print.py): the summary
    # without "Good to know" and its <details>, no buttons, no navigation.
    assert not page.locator("section[aria-labelledby=more]").is_visible()
    assert not any(details.nth(i).is_visible() for i in range(details.count()))
    assert page.locator("section[aria-labelledby=blind]").is_visible()
    assert not page.locator(".lens-actions").is_visible()
    assert not page.locator(".lens-language").is_visible()
    page.screenshot(path=str(artifacts / f"{language}-outcome-print.png"), full_page=True)
    page.emulate_media(media="screen")

    # the form again, with an error (a value no radio button has)
    with page.expect_navigation():
        page.click("form.lens-inline-form button")
    page.eval_on_selector(f"#id_{signal_field_name(first.code)}_yes", "el => el.value = 'bogus'")
    with page.expect_navigation():
        page.click("form.lens-form button[type=submit]")
    assert page.locator("#error-summary").is_visible()
    check("form-error")

    # level 4: acute danger
    acute = next(s for s in catalogue.signals.values() if s.acute)
    page.goto(site + FORM[language])
    page.check(f"#id_{signal_field_name(acute.code)}_yes")
    with page.expect_navigation():
        page.click("form.lens-form button[type=submit]")
    assert LEVEL_TEXT[language].format(n=4).upper() in page.inner_text("main").upper()
    check("outcome-level4")
    page.screenshot(path=str(artifacts / f"{language}-outcome-level4-top.png"))
    page.set_viewport_size({"width": 375, "height": 812})
    page.screenshot(path=str(artifacts / f"{language}-outcome-level4-mobile.png"))
    # On a phone the lens table scrolls sideways; axe cannot judge the contrast of the
    # cells scrolled out of view ("incomplete"), so only its violations count here.
    found["outcome-level4-mobile"] = run_axe(page, incomplete=False)

    problems = {name: describe(v) for name, v in found.items() if v}
    assert not problems, "\n\n".join(f"{name}:\n{text}" for name, text in problems.items())
