"""Page details in a real browser (issue 10, item 8).

- A context note with one long URL (1,600 characters, no spaces) wraps: the person's page
  is no wider than a 390 px phone (it was 1,951 px) nor than a 1280 px window.
- Every table on the page is a keyboard-scrollable region with a name, and a table that
  scrolls on the phone says so in a visible hint.
- The advice levels in lists differ without colour: a meter with as many filled bars as
  the level (filled bars contrast at least 3:1 with the badge), the number and the label
  in words (text at least 4.5:1), and axe finds nothing.

Synthetic data only.
"""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation

from tests.registry import factories

from .conftest import describe, run_axe
from .test_registry import (
    log_in,
    new_page,  # noqa: F401  (a fixture)
    url,
    world,  # noqa: F401  (a fixture)
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("access_log_emptied_afterwards")]

LONG_URL = (
    "https://voorbeeld.example.nl/"
    + "/".join(f"een-heel-lang-pad-zonder-spaties-{i}" for i in range(40))
    + "?q="
    + "x" * 200
)

# What the browser computes for each region: does it scroll, is its hint shown, can it
# take focus, has it a name.
TABLES = """() => Array.from(document.querySelectorAll('.lens-table-container')).map(c => {
  const hint = c.querySelector('.lens-table-hint');
  const named = (c.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean)
    .map(id => document.getElementById(id)).filter(el => el && el.textContent.trim());
  return {
    scrolls: c.scrollWidth > c.clientWidth + 1,
    hint: !!hint && getComputedStyle(hint).display !== 'none' && hint.offsetHeight > 0,
    tabindex: c.getAttribute('tabindex'),
    role: c.getAttribute('role'),
    named: named.length > 0 || !!c.getAttribute('aria-label'),
  };
})"""


def test_a_long_url_in_a_note_wraps_and_tables_say_that_they_scroll(
    new_page,  # noqa: F811
    site,
    world,  # noqa: F811
    artifacts,
):
    me = world["me"]
    actor = factories.actor(me.membership)
    person = factories.person(actor)
    factories.registration(actor, person, context_note=f"Zie {LONG_URL} voor de context.")

    page = new_page()
    log_in(page, site, me)
    person_url = site + url("registry:person", pseudonym=person.pseudonym)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(person_url)
        assert LONG_URL[:60] in page.inner_text("main")
        page.screenshot(path=str(artifacts / f"page-details-long-note-{width}.png"))
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"the page is {wide} px wide in a {width} px window"
        note = page.locator("p", has_text="voor de context").first
        assert note.bounding_box()["width"] <= width

    page.set_viewport_size({"width": 390, "height": 900})
    for place in (url("registry:persons"), url("registry:person", pseudonym=person.pseudonym)):
        page.goto(site + place)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, place
        # A select shows that it is one: the browser's arrow (appearance auto) or an image.
        for look in page.evaluate(
            "() => Array.from(document.querySelectorAll('select'), el => "
            "[getComputedStyle(el).appearance, getComputedStyle(el).backgroundImage])"
        ):
            assert look[0] != "none" or look[1] != "none", (place, look)
        for table in page.evaluate(TABLES):
            assert table["tabindex"] == "0" and table["role"] == "region", (place, table)
            assert table["named"], (place, table)
            if table["scrolls"]:
                assert table["hint"], f"a table scrolls without saying so on {place}"


BADGES = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05); };
  return Array.from(document.querySelectorAll('.lens-level-badge')).map(badge => {
    const bg = rgb(getComputedStyle(badge).backgroundColor);
    const text = rgb(getComputedStyle(badge).color);
    const bars = Array.from(badge.querySelectorAll('.lens-level-badge__bar'));
    const filled = bars.filter(bar => {
      const c = rgb(getComputedStyle(bar).backgroundColor);
      return c.length === 3 || c[3] > 0;
    });
    return {
      text: badge.innerText.trim(),
      bars: bars.length,
      filled: filled.length,
      heights: bars.map(bar => bar.getBoundingClientRect().height),
      fill_contrast: Math.min(...filled.map(
        bar => ratio(rgb(getComputedStyle(bar).backgroundColor), bg)), 99),
      text_contrast: ratio(text, bg),
    };
  });
}"""


def test_advice_levels_differ_without_colour(new_page, site, artifacts):  # noqa: F811
    labels = ["Geen signalen", "Signalen in kaart", "Overleggen", "Ernstige zorgen", "Acuut"]
    with translation.override("nl"):
        badges = "".join(
            "<li>"
            + render_to_string("includes/level_badge.html", {"level": n, "label": label})
            + "</li>"
            for n, label in enumerate(labels)
        )
    css = "".join(
        f'<link rel="stylesheet" href="{site}{static(path)}">'
        for path in (
            "vendor/voorbeeld-design-tokens@7.4.1/theme.css",
            "vendor/utrecht-component-library-css@9.0.4/index.css",
            "css/theme-bridge.css",
            "css/app.css",
        )
    )
    # The page is made here, not served: no CSP, so that axe and a style can be added.
    page = new_page(bypass_csp=True)
    page.goto(site + "/healthz")  # same origin as the style sheets
    page.set_content(
        f'<!DOCTYPE html><html lang="nl" class="voorbeeld-theme utrecht-document"><head>'
        f"<title>Niveaus</title>{css}</head><body class='utrecht-page lens-page'>"
        f"<main class='lens-main__content'><h1>Niveaus</h1><ul>{badges}</ul></main></body></html>"
    )
    page.wait_for_load_state("load")
    page.locator("ul").screenshot(path=str(artifacts / "page-details-levels.png"))
    # The same in grey: what someone who sees no colour sees.
    page.add_style_tag(content="html { filter: grayscale(1); }")
    page.locator("ul").screenshot(path=str(artifacts / "page-details-levels-grey.png"))

    found = page.evaluate(BADGES)
    assert [b["filled"] for b in found] == [0, 1, 2, 3, 4], found
    for number, badge in enumerate(found):
        assert badge["text"].startswith(f"{number} · "), badge
        assert badge["bars"] == 4 and badge["heights"] == sorted(badge["heights"]), badge
        assert badge["fill_contrast"] >= 3, badge  # WCAG 1.4.11, non-text contrast
        assert badge["text_contrast"] >= 4.5, badge  # WCAG 1.4.3
    violations = run_axe(page)
    assert violations == [], describe(violations)
