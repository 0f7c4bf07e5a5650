"""The check's answers into a new registration, in a real browser (issue 12 §3): a
professional logged in through the real login pages reaches the check's outcome, takes
the signals over with the keyboard, and gets the new-registration form with exactly those
signals ticked; no signal code in any URL; axe finds nothing on either page."""

from __future__ import annotations

import pytest

from lens.check.forms import signal_field_name
from lens.data.registry import Person

from .conftest import describe, run_axe
from .test_registry import log_in, three_soft_signals, url
from .test_registry import world as world  # the fixture, used by name

pytestmark = pytest.mark.django_db(transaction=True)

BUTTON = "Neem deze signalen over in een nieuwe registratie"


def test_a_professional_takes_the_checks_signals_into_a_new_registration(
    browser, site, loaded_catalogue, world
):
    catalogue, _ruleset = loaded_catalogue
    signals = three_soft_signals(catalogue)
    # axe is injected as a script: this context bypasses the CSP (the view tests check it)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        urls: list[str] = []
        page.on("request", lambda request: urls.append(request.url))
        log_in(page, site, world["me"])
        # The check's last step posts the answers to the outcome (as its form does).
        page.goto(site + "/signalen/")
        answers = {signal_field_name(s.code): "yes" for s in signals}
        answers |= {signal_field_name("direct_danger_now"): "yes", "audience": "professional"}
        with page.expect_navigation():
            page.evaluate(
                """answers => {
                    const form = document.createElement('form');
                    form.method = 'post';
                    form.action = '/uitkomst/';
                    for (const [name, value] of Object.entries(answers)) {
                        const input = document.createElement('input');
                        input.type = 'hidden'; input.name = name; input.value = value;
                        form.appendChild(input);
                    }
                    document.body.appendChild(form);
                    form.submit();
                }""",
                answers,
            )
        button = page.get_by_role("button", name=BUTTON)
        assert button.count() == 1
        found = run_axe(page)
        assert not found, describe(found)
        button.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url == site + url("registry:register")
        ticked = page.eval_on_selector_all(
            "input[name=signals]:checked", "boxes => boxes.map(b => b.value)"
        )
        assert sorted(ticked) == sorted(s.code for s in signals)
        assert page.input_value("input[name=given_names]") == ""
        found = run_axe(page)
        assert not found, describe(found)
        assert not [u for u in urls if "?" in u and any(s.code in u for s in signals)]
        assert Person.objects.count() == 0  # nothing registered yet
    finally:
        context.close()
