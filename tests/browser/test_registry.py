"""The registry in a real browser: a professional logs in with password and TOTP code,
registers signals about a new person and sees the outcome under a pseudonym; a
professional of another organisation gets 404 for that person; axe-core's WCAG 2.2 AA
rules on every page on the way.

Everything here is synthetic: made-up names, a BSN generated to pass the elfproef only.
The pages write access-log entries, so every test uses `access_log_emptied_afterwards`
(tests/browser/conftest.py) to let live_server's flush run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from lens.access.models import AccessLogEntry
from lens.accounts.actions import enrol_totp
from lens.accounts.totp import usable_code
from lens.check.forms import signals_by_life_domain
from lens.data import pseudonyms
from lens.data.registry import HowLearned, Membership, Person, Registration, Role
from lens.rules.engine import assess
from lens.rules.model import AssessmentInput, Observation
from tests.registry import factories

from .conftest import describe, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("access_log_emptied_afterwards")]

PASSWORD = "Synthetisch-wachtwoord-2026!"
# A synthetic identity: words that occur nowhere else on the pages, so finding any of
# them on a page means the identity leaked.
GIVEN = "Zwaantje Quirina"
FAMILY = "Xylofoonbouwer"
BIRTH = date(2011, 4, 5)
BSN = factories.valid_bsn(4242)
CONTEXT_NOTE = "Vertrouwelijke context alleen voor de eigen school"
PSEUDONYM = re.compile(r"/registratie/(P-[0-9A-Z]+)/$")


@dataclass
class Professional:
    membership: Membership
    username: str

    @property
    def device(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        return TOTPDevice.objects.get(user=self.membership.user, confirmed=True)


def make_professional(organisation, username: str) -> Professional:
    """A user with a password and a confirmed TOTP device (the beheerder's enrolment
    action), working as professional of `organisation`."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    enrol_totp(user)
    member = factories.membership(Role.PROFESSIONAL, organisation, user=user)
    return Professional(membership=member, username=username)


def three_soft_signals(catalogue):
    """A soft, not acute signal from each of the first three leefgebieden: value 3, level 2
    (two soft signals alone are level 1 since ruleset 2026.12)."""
    chosen = []
    for _domain, signals in signals_by_life_domain(catalogue)[:3]:
        chosen.append(
            next(
                s
                for s in signals
                if s.strength == "zacht" and not s.acute and len(s.life_domains) == 1
            )
        )
    assert len({s.life_domains for s in chosen}) == 3
    return chosen


def url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs or None)


def main_text(page) -> str:
    return page.inner_text("main")


def submit(page, form_action: str) -> None:
    with page.expect_navigation():
        page.click(f"form[action='{form_action}'] button[type=submit]")


def log_in(page, site: str, who: Professional, check=None) -> None:
    """Through the real login pages: username and password, then the code of the app.

    `check(name)` is called on each page before it is filled in (axe, screenshots).
    """
    check = check or (lambda name: None)
    page.goto(site + url("accounts:login"))
    assert page.locator("h1").inner_text() == "Inloggen"
    check("login")
    page.fill("input[name=username]", who.username)
    page.fill("input[name=password]", PASSWORD)
    submit(page, url("accounts:login"))
    assert page.url == site + url("accounts:verify")
    assert page.locator("h1").inner_text() == "Vul uw code in"
    check("code")
    # What the authenticator app shows now; django-otp accepts each time step once, so
    # usable_code moves on to the next step when this one was used already.
    code, _seconds_left = usable_code(who.device)
    page.fill("input[name=code]", code)
    submit(page, url("accounts:verify"))
    # One membership: it is chosen for you, and the persons page opens.
    assert page.url == site + url("registry:persons"), main_text(page)


def fill_new_person(page, signals, observed_on: date) -> None:
    page.fill("input[name=given_names]", GIVEN)
    page.fill("input[name=family_name]", FAMILY)
    page.fill("input[name=birth_date]", BIRTH.isoformat())
    page.fill("input[name=bsn]", BSN)
    page.select_option("select[name=sex]", "female")
    for signal in signals:
        page.check(f"input[name=signals][value='{signal.code}']")
    page.fill("input[name=observed_on]", observed_on.isoformat())
    page.check(f"input[name=how_learned][value='{HowLearned.SEEN}']")
    page.fill("textarea[name=context_note]", CONTEXT_NOTE)


def assert_no_identity(html: str, where: str) -> None:
    for secret in (
        *GIVEN.split(),
        FAMILY,
        BSN,
        BIRTH.isoformat(),
        BIRTH.strftime("%d-%m-%Y"),
        "5 april 2011",
    ):
        assert secret not in html, f"{secret!r} on {where}"


def expected_outcome(catalogue, ruleset, organisation, signals, observed_on: date):
    """The lens engine on the input the registry gives it (lens.data.queries)."""
    today = timezone.localdate()
    data = AssessmentInput(
        signals=tuple(
            Observation(s.code, organisation.organisation_type, observed_on) for s in signals
        ),
        region=organisation.region,
        as_of=today,
    )
    return assess(catalogue, ruleset, data, today=today)


@pytest.fixture
def world(loaded_catalogue):
    own = factories.organisation("Synthetische Basisschool De Lens")
    other = factories.organisation(
        "Synthetisch Jeugdzorgteam Elders", organisation_type="youth_care"
    )
    return {
        "own": own,
        "other": other,
        "me": make_professional(own, "synthetische-leerkracht"),
        "stranger": make_professional(other, "synthetische-jeugdzorgwerker"),
    }


def viewport_shots(page, path_prefix, places: dict[str, str]) -> None:
    """A screenshot of the window at each place (a selector scrolled into view): a long
    page as one full-page image is too small to read."""
    for name, selector in places.items():
        target = page.locator(selector).first
        if target.count():
            target.evaluate("el => el.scrollIntoView({block: 'start'})")
            page.screenshot(path=f"{path_prefix}-{name}.png")
    page.evaluate("window.scrollTo(0, 0)")


REGISTER_PLACES = {
    "top": "body",
    "signals": "#signals-title",
    "when-how": "#observation-title",
    "risk": "#risk-title",
    "submit": "form button[type=submit]",
}
PERSON_PLACES = {"top": "body", "why": "#why", "timeline": "#timeline-title"}


@pytest.fixture
def new_page(browser):
    """new_page(**options) -> a page in a fresh browser context (its own cookies, so its
    own login); every context is closed after the test, also when it fails."""
    contexts = []

    def make(**options):
        # A Dutch browser (Accept-Language, navigator.language), as the professionals use.
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="nl-NL", **options
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for context in contexts:
        context.close()


def test_register_a_new_person_and_another_organisation_gets_404(
    new_page, site, loaded_catalogue, world, artifacts
):
    catalogue, ruleset = loaded_catalogue
    signals = three_soft_signals(catalogue)
    observed_on = timezone.localdate() - timedelta(days=3)
    expected = expected_outcome(catalogue, ruleset, world["own"], signals, observed_on)
    # What the ruleset says: three soft signals in three leefgebieden is level 2.
    assert (expected.level.number, expected.level.label.nl) == (2, "Overleggen")

    page = new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"registry-{name}.png"), full_page=True)

    log_in(page, site, world["me"], check=shot)
    shot("persons-empty")
    assert page.locator("h1").inner_text().startswith("Personen")

    with page.expect_navigation():
        page.click(f"main a[href='{url('registry:register')}']")
    assert page.url == site + url("registry:register")
    fill_new_person(page, signals, observed_on)
    shot("register-filled")
    viewport_shots(page, str(artifacts / "registry-register"), REGISTER_PLACES)
    submit(page, url("registry:register"))

    # The person's page, by pseudonym.
    match = PSEUDONYM.search(page.url)
    assert match, page.url
    pseudonym = match.group(1)
    assert pseudonyms.is_pseudonym(pseudonym)
    person = Person.objects.get()
    assert person.pseudonym == pseudonym and person.organisation == world["own"]
    assert Registration.objects.filter(person=person).count() == 1
    shot("person")
    viewport_shots(page, str(artifacts / "registry-person"), PERSON_PLACES)
    text = main_text(page)
    assert pseudonym in page.locator("h1").inner_text()
    assert f"Geregistreerd als {pseudonym}" in text
    assert f"Niveau {expected.level.number} van 4".upper() in text.upper()
    assert page.get_by_role("heading", name=expected.level.label.nl, exact=True).count() == 1
    for signal in signals:
        assert signal.label.nl in text
    assert CONTEXT_NOTE in text
    assert_no_identity(page.content(), "the person page")

    # The list shows the person by pseudonym, with the level; no name there either.
    page.goto(site + url("registry:persons"))
    shot("persons-one")
    row = page.locator(
        "tr", has=page.locator(f"a[href='{url('registry:person', pseudonym=pseudonym)}']")
    )
    assert row.count() == 1
    assert expected.level.label.nl in row.inner_text()
    assert_no_identity(page.content(), "the persons page")
    # The reads were logged (so the fixture has entries to clear at the end).
    assert AccessLogEntry.objects.filter(person_pseudonym=pseudonym).count() >= 3
    assert not errors, errors  # e.g. no Content Security Policy violations

    # A professional of another organisation: the person does not exist for them.
    page = new_page()
    log_in(page, site, world["stranger"])
    assert pseudonym not in page.content()  # not on their persons page
    response = page.goto(site + url("registry:person", pseudonym=pseudonym))
    assert response is not None and response.status == 404
    page.screenshot(path=str(artifacts / "registry-other-organisation-404.png"), full_page=True)
    assert page.locator("h1").inner_text() == "Pagina niet gevonden"
    html = page.content()
    for leaked in (CONTEXT_NOTE, expected.level.label.nl, *(s.label.nl for s in signals)):
        assert leaked not in html
    assert_no_identity(html, "the 404 page")
    # ... nor the pages under it: the same answer as for a pseudonym nobody has.
    for name in ("registry:register_more", "registry:informed", "registry:access_log"):
        unknown = page.goto(site + url(name, pseudonym="P-ZZZZ"))
        response = page.goto(site + url(name, pseudonym=pseudonym))
        assert response is not None and unknown is not None
        assert response.status == unknown.status and response.status in (403, 404), name
        assert CONTEXT_NOTE not in page.content()


def test_no_axe_violations_on_the_registry_pages(
    new_page, site, loaded_catalogue, world, artifacts
):
    catalogue, _ruleset = loaded_catalogue
    signals = three_soft_signals(catalogue)
    # axe is injected as a <script> element, which the site's CSP would block (see
    # test_check.py): this context bypasses the CSP.
    page = new_page(bypass_csp=True)
    found: dict[str, list] = {}

    def check(name: str) -> None:
        found[name] = run_axe(page)
        page.screenshot(path=str(artifacts / f"registry-axe-{name}.png"), full_page=True)

    log_in(page, site, world["me"], check=check)
    check("persons-empty")

    page.goto(site + url("registry:register"))
    check("register")

    # Bad input: a BSN that fails the elfproef, no family name, no signal ticked.
    fill_new_person(page, [], timezone.localdate())
    page.fill("input[name=family_name]", "")
    page.fill("input[name=bsn]", "123456789")
    submit(page, url("registry:register"))
    assert page.locator("#error-summary").is_visible()
    for field in ("family_name", "bsn", "signals"):
        assert page.locator(f"#id_{field}_error").is_visible(), field
    assert "Dit is geen geldig BSN" in page.inner_text("#id_bsn_error")
    assert page.get_attribute("input[name=bsn]", "aria-invalid") == "true"
    assert not Person.objects.exists()  # nothing half-written
    check("register-errors")
    viewport_shots(
        page,
        str(artifacts / "registry-axe-register-errors"),
        {"top": "body", "bsn": "#id_bsn_error", "signals": "#signals-title"},
    )

    # Corrected: the person's page.
    page.fill("input[name=family_name]", FAMILY)
    page.fill("input[name=bsn]", BSN)
    for signal in signals:
        page.check(f"input[name=signals][value='{signal.code}']")
    submit(page, url("registry:register"))
    assert PSEUDONYM.search(page.url), page.url
    check("person")

    page.goto(site + url("registry:persons"))
    assert page.locator("tbody tr").count() == 1
    check("persons-one")

    response = page.goto(site + url("registry:person", pseudonym="P-ZZZZ"))
    assert response is not None and response.status == 404
    check("not-found")

    problems = {name: describe(v) for name, v in found.items() if v}
    assert not problems, "\n\n".join(f"{name}:\n{text}" for name, text in problems.items())
