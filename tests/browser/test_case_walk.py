"""A meldcode case walked end to end in a real browser (issue 13 §6).

A professional opens a case from the person's page (proposed at level 2), maps the
signals, consults the aandachtsfunctionaris, refers to the zorgcoördinator; the
zorgcoördinator answers on casussen/doorverwijzingen/ and the answer comes back into the
case; the professional records the conversation, the weighing (acute or structural
unsafety: a report is due), the report to Veilig Thuis, and closes the case with a
reason, and downloads the case report (a PDF that holds every step just recorded).
Links are followed and forms sent with the keyboard (focus, Enter, Space, arrow
keys); every case page on the way (the case page, each step form, Mijn werkvoorraad, the
zorgcoördinator's referral pages, the access request page) is checked with axe-core's
WCAG 2.2 AA rules in Dutch and again in English, and photographed for a person to look at.

Synthetic data only; the pages write access-log entries (`access_log_emptied_afterwards`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from lens.data.cases import Case, CaseReferral
from lens.data.registry import Role
from tests import pdf_reading
from tests.registry import factories

from .test_coordination import axe, log_in, make_user, no_violations, url
from .test_registry import new_page, three_soft_signals  # noqa: F401  (new_page: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("access_log_emptied_afterwards")]

NOTE = "Synthetisch advies: betrek de jeugdagent erbij."
# What the professional writes at each step of the walk ("what was done"), in order; the
# zorgcoördinator's answer (NOTE) comes after the fourth. The report must hold them all.
WALKED_STEPS = (
    "Zorg besproken met de mentor",
    "Signalen op een rij gezet",
    "Overlegd met de aandachtsfunctionaris",
    "Graag meekijken: signalen in twee leefgebieden",
    "Gesprek met de jongere gevoerd",
    "Afwegingskader doorlopen",
    "Melding gedaan bij Veilig Thuis",
    "Veilig Thuis heeft de casus",
)


@pytest.fixture
def people(site, loaded_catalogue):
    catalogue, _ruleset = loaded_catalogue
    school = factories.organisation("Synthetische Basisschool De Route")
    professional = make_user(Role.PROFESSIONAL, school, username="synthetische-mentor-route")
    officer = make_user(Role.AANDACHTSFUNCTIONARIS, school, username="synthetische-af-route")
    coordinator = make_user(Role.ZORGCOORDINATOR, username="synthetische-zc-route")
    me = factories.actor(professional.membership)
    person = factories.person(me)
    # Three soft signals in three leefgebieden: level 2, where a case is proposed.
    factories.registration(me, person, signals=[s.code for s in three_soft_signals(catalogue)])
    return {
        "professional": professional,
        "officer": officer,
        "coordinator": coordinator,
        "person": person,
    }


# What axe lets pass but a screen reader and a keyboard user trip over: a label whose
# `for` names no form control (Django's RadioSelect has its id on a <div>), radio buttons
# outside a fieldset with a legend (the question is not read with the options), and a
# checkbox or radio button without a label of its own.
FORM_STRUCTURE = """() => {
  const problems = [];
  const controls = 'input, select, textarea, button, meter, output, progress';
  for (const label of document.querySelectorAll('main label[for]')) {
    const target = document.getElementById(label.htmlFor);
    if (!target || !target.matches(controls)) problems.push('label for ' + label.htmlFor);
  }
  for (const radio of document.querySelectorAll('main input[type=radio]')) {
    const set = radio.closest('fieldset');
    if (!set || !set.querySelector('legend')) problems.push('radio ' + radio.name);
  }
  const boxes = 'main input[type=radio], main input[type=checkbox]';
  for (const box of document.querySelectorAll(boxes)) {
    if (!box.labels || !box.labels.length) problems.push('no label: ' + (box.id || box.name));
  }
  return problems;
}"""


def english(path: str) -> str:
    """The same page in English: the language is the URL's prefix (none for Dutch)."""
    assert not path.startswith("/en/"), path
    return "/en" + path


def test_a_professional_walks_a_case_to_a_report_to_veilig_thuis(
    new_page,  # noqa: F811
    site,
    people,
    artifacts,
    tmp_path,
):
    person = people["person"]
    found: dict[str, list] = {}
    errors: list[str] = []

    def watch(page):
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        return page

    def check(page, name: str) -> None:
        """axe and a screenshot of the page in Dutch, then of the same page in English."""
        path = page.url.removeprefix(site)
        assert page.locator("html").get_attribute("lang") == "nl", path
        found[f"{name} (nl)"] = axe(page)
        structure = page.evaluate(FORM_STRUCTURE)
        assert not structure, f"{name}: {structure}"
        page.screenshot(path=str(artifacts / f"case-walk-{name}-nl.png"), full_page=True)
        response = page.goto(site + english(path))
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == "en", path
        found[f"{name} (en)"] = axe(page)
        page.screenshot(path=str(artifacts / f"case-walk-{name}-en.png"), full_page=True)
        page.goto(site + path)

    def follow(page, href: str) -> None:
        """Follow a link in the main content with the keyboard."""
        page.focus(f"main a[href='{href}']")
        with page.expect_navigation():
            page.keyboard.press("Enter")

    def send(page, action: str) -> None:
        """Send the form with the keyboard, from its submit button; the focus is visible."""
        button = page.locator(f"form[action='{action}'] button[type=submit]")
        button.focus()
        outline = button.evaluate("el => getComputedStyle(el).outlineStyle")
        shadow = button.evaluate("el => getComputedStyle(el).boxShadow")
        assert outline != "none" or shadow != "none", f"no visible focus on {action}"
        with page.expect_navigation():
            page.keyboard.press("Enter")

    def choose(page, name: str, value: str) -> None:
        """A radio button by the keyboard: focus the group's first option, arrow to it."""
        options = page.locator(f"input[type=radio][name={name}]")
        values = [options.nth(i).get_attribute("value") for i in range(options.count())]
        options.first.focus()
        page.keyboard.press("Space")
        for _ in range(values.index(value)):
            page.keyboard.press("ArrowDown")
        assert page.is_checked(f"input[type=radio][name={name}][value='{value}']")

    def tick(page, name: str, value: str) -> None:
        page.focus(f"input[type=checkbox][name={name}][value='{value}']")
        page.keyboard.press("Space")
        assert page.is_checked(f"input[type=checkbox][name={name}][value='{value}']")

    # --- the professional opens the case from the person's page -----------------------
    page = watch(new_page(bypass_csp=True))  # axe is injected as a script
    log_in(page, site, people["professional"], lands_on=url("registry:persons"))
    page.goto(site + url("registry:person", pseudonym=person.pseudonym))
    # The skip link is the first stop of the keyboard, and it shows itself.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert page.locator("a.utrecht-skip-link").is_visible()
    opening = url("cases:open", pseudonym=person.pseudonym)
    follow(page, opening + "?voorstel=1")
    check(page, "open")
    page.fill("textarea[name=done]", WALKED_STEPS[0])
    send(page, opening)
    case = Case.objects.get(person=person)
    case_page = url("cases:case", case_id=case.pk)
    assert page.url == site + case_page
    check(page, "case-opened")

    def step(transition: str, fill, *, done: str) -> None:
        action = url("cases:step", case_id=case.pk, transition=transition)
        follow(page, action)
        check(page, f"step-{transition}")
        fill()
        page.fill("textarea[name=done]", done)
        send(page, action)
        assert page.url == site + case_page, page.inner_text("main")
        assert done in page.inner_text("main")

    step("map_signals", lambda: None, done=WALKED_STEPS[1])

    def consulted() -> None:
        page.select_option("select[name=role_1]", "aandachtsfunctionaris")
        page.fill("input[name=consultee_1]", "aandachtsfunctionaris van de school")

    step("consult", consulted, done=WALKED_STEPS[2])
    step("refer", lambda: None, done=WALKED_STEPS[3])
    check(page, "case-referred")

    page.goto(site + url("cases:work_list"))
    assert f"Casus {case.pk}" in page.inner_text("main")
    check(page, "work-list")

    # --- the zorgcoördinator answers the referral ------------------------------------
    zc = watch(new_page(bypass_csp=True))
    log_in(zc, site, people["coordinator"], lands_on=url("coordination:worklist"))
    follow(zc, url("cases:referrals"))  # from the work list
    link = CaseReferral.objects.get(case=case)
    assert person.pseudonym in zc.inner_text("main")
    check(zc, "referrals")
    answer = url("cases:referral_answer", link_id=link.pk)
    follow(zc, answer)
    check(zc, "referral-answer")
    choose(zc, "answer", "advice_given")
    zc.fill("textarea[name=note]", NOTE)
    send(zc, answer)
    assert zc.url == site + url("cases:referrals")
    assert person.pseudonym not in zc.inner_text("main")  # answered: off the list
    check(zc, "referrals-answered")

    # --- back in the case: the answer, then the conversation, weighing and report -----
    page.goto(site + case_page)
    assert NOTE in page.inner_text("main")

    step(
        "converse",
        lambda: page.select_option("select[name=held_with]", "person"),
        done=WALKED_STEPS[4],
    )

    def weighed() -> None:
        for question in ("suspicion", "unsafety", "can_help", "accepted", "lasting"):
            choose(page, question, "yes")

    step("weigh", weighed, done=WALKED_STEPS[5])
    # Structural unsafety: a report to Veilig Thuis is due, and it is offered first.
    assert "Eerst moet er een melding bij Veilig Thuis worden gedaan." in page.inner_text("main")
    report = url("cases:step", case_id=case.pk, transition="report")
    first = page.locator("#next-title ~ p a").first
    assert first.get_attribute("href") == report

    def reported() -> None:
        page.fill("input[name=organisation]", "Veilig Thuis Midden-Brabant")
        # The weighing's ground is ticked already (the grounds the steps give).
        ground = "input[type=checkbox][name=report_grounds][value='acute_or_structural_unsafety']"
        assert page.is_checked(ground)
        tick(page, "report_grounds", "own_judgement")  # one more, by the keyboard

    step("report", reported, done=WALKED_STEPS[6])
    step(
        "close",
        lambda: page.select_option("select[name=reason]", "reported_to_veilig_thuis"),
        done=WALKED_STEPS[7],
    )
    case.refresh_from_db()
    assert (case.state, case.close_reason) == ("closed", "reported_to_veilig_thuis")
    closed_with = page.locator("dt:has-text('Reden van afsluiten') + dd").inner_text()
    assert closed_with == "Gemeld bij Veilig Thuis"
    check(page, "case-closed")

    # --- the case report: the professional downloads it from the closed case ------------
    report_pdf = url("cases:report", case_id=case.pk)
    with page.expect_download() as downloading:
        page.locator(f"main a[href='{report_pdf}']").click()
    download = downloading.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename == f"casusrapport-{person.pseudonym}-{case.pk}-" + (
        f"{timezone.localdate().isoformat()}.pdf"
    )
    saved = pdf_reading.write(Path(download.path()).read_bytes(), tmp_path, "case-report.pdf")
    download.save_as(artifacts / "case-walk-report.pdf")  # for a person to look at
    report_text = pdf_reading.text(saved)
    assert person.pseudonym in report_text
    # Every step just recorded, and the zorgcoördinator's answer, in the order taken.
    recorded = [*WALKED_STEPS, NOTE]
    positions = {done: report_text.find(done) for done in recorded}
    assert all(at >= 0 for at in positions.values()), {
        done: at for done, at in positions.items() if at < 0
    }
    in_order = [*WALKED_STEPS[:4], NOTE, *WALKED_STEPS[4:]]
    assert sorted(in_order, key=positions.__getitem__) == in_order
    assert "Gemeld bij Veilig Thuis" in report_text  # the reason for closing

    page.goto(site + url("cases:work_list"))
    assert f"Casus {case.pk}" not in page.inner_text("main")  # closed: off the list

    # --- the aandachtsfunctionaris: the work list and an access request ---------------
    officer = watch(new_page(bypass_csp=True))
    log_in(officer, site, people["officer"], lands_on=url("registry:persons"))
    officer.goto(site + url("cases:work_list"))
    check(officer, "work-list-officer")
    officer.goto(site + url("retention:access_request", pseudonym=person.pseudonym))
    check(officer, "access-request")

    no_violations(found)
    assert not errors, errors  # e.g. no Content Security Policy violations


def test_a_late_answer_is_shown_on_the_closed_case(new_page, site, people, artifacts):  # noqa: F811
    """The zorgcoördinator answers after the professional closed the case: Mijn
    werkvoorraad has a line for it (without the answer) until the handler has seen the
    case page, which shows the late answer (an alert that links to it, and its own
    section); axe clean."""

    from lens.cases import actions, referrals
    from lens.casework.workflow import StepData

    person = people["person"]
    me = factories.actor(people["professional"].membership)
    today = timezone.localdate()
    case = actions.open_case(me, person, StepData(on=today, by="-", done="Zorg", trigger="by_hand"))
    referrals.take_step(
        me, case, "refer", StepData(on=today, by="-", done="Graag meekijken", organisation="ZC")
    )
    actions.take_step(
        me, case, "close", StepData(on=today, by="-", done="Verhuisd", reason="moved_away")
    )
    link = CaseReferral.objects.get(case=case)
    zc = factories.actor(people["coordinator"].membership)
    referrals.answer(zc, link.pk, "taken_up", NOTE)

    page = new_page(bypass_csp=True)
    log_in(page, site, people["professional"], lands_on=url("registry:persons"))
    found: dict[str, list] = {}
    # Mijn werkvoorraad tells the handler: a line that leads to the answer, axe clean.
    for language in ("en", "nl"):
        page.goto(site + url("cases:work_list", language))
        assert page.locator("#late-lines-title").count() == 1
        found[f"work list {language}"] = axe(page)
        page.screenshot(path=str(artifacts / f"work-list-late-{language}.png"), full_page=True)
    assert NOTE not in page.inner_text("main")  # that there is an answer, not what it says
    line = f"main a[href='{url('cases:case', case_id=case.pk)}#late-title']"
    page.focus(line)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert NOTE in page.inner_text("section:has(#late-title)")
    page.goto(site + url("cases:work_list"))
    assert page.locator("#late-lines-title").count() == 0  # seen: the line closed itself
    for language in ("nl", "en"):
        page.goto(site + url("cases:case", language, case_id=case.pk))
        alert = page.locator("main .utrecht-alert", has=page.locator("a[href='#late-title']"))
        assert alert.count() == 1
        section = page.locator("section:has(#late-title)")
        assert NOTE in section.inner_text()
        # The alert's link takes the keyboard to the section.
        page.focus("main a[href='#late-title']")
        page.keyboard.press("Enter")
        assert page.url.endswith("#late-title")
        found[language] = axe(page)
        page.screenshot(path=str(artifacts / f"case-late-answer-{language}.png"), full_page=True)
    assert "Late answers from the care coordinator" in page.inner_text("#late-title")
    no_violations(found)
