"""Across organisations in a real browser (docs/design/coordination.md).

(a) The zorgcoördinator logs in with password and TOTP code, lands on the work list,
    opens a person's combined picture from the persons list, sees both organisations,
    names the lead with the keyboard, opens the possible matches and confirms one;
    axe-core's WCAG 2.2 AA rules on every page on the way, in Dutch, and the picture in
    English too.
(b) A professional of the school sees "Ook betrokken" with the youth care's name on the
    person's page, and the refer form; the aandachtsfunctionaris the information
    requests; axe on those pages.

Everything here is synthetic (tests.coordination.test_routes builds the region). The
pages write access-log entries, so every test uses `access_log_emptied_afterwards`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from lens.accounts.actions import enrol_totp
from lens.accounts.totp import usable_code
from lens.coordination import actions as coordination_actions
from lens.coordination import clusters
from lens.data.coordination import LinkState, PersonLink, WorkItem
from lens.data.registry import Role
from tests.coordination.test_routes import MB, RegionWorld, build_region
from tests.registry import factories

from .conftest import describe, run_axe
from .test_registry import (
    PASSWORD,
    Professional,
    new_page,  # noqa: F401  (a fixture)
    submit,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("access_log_emptied_afterwards")]

QUESTION = "Synthetische vraag: is er contact met de ouders geweest?"


def url(name: str, language: str = "nl", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def make_user(role: str, organisation=None, *, username: str) -> Professional:
    """A user with a password and a confirmed TOTP device, in one role."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    enrol_totp(user)
    member = factories.membership(role, organisation, user=user)
    return Professional(membership=member, username=username)


def log_in(page, site: str, who: Professional, lands_on: str) -> None:
    """Through the real login pages; one membership, so it is chosen for you and the
    landing page of the role opens."""
    page.goto(site + url("accounts:login"))
    page.fill("input[name=username]", who.username)
    page.fill("input[name=password]", PASSWORD)
    submit(page, url("accounts:login"))
    code, _seconds_left = usable_code(who.device)
    page.fill("input[name=code]", code)
    submit(page, url("accounts:verify"))
    assert page.url == site + lands_on, page.inner_text("main")


@dataclass
class Scene:
    region: RegionWorld
    coordinator: Professional
    professional: Professional  # of the school
    officer: Professional  # the school's aandachtsfunctionaris


@pytest.fixture
def scene(site) -> Scene:
    coordinator = make_user(Role.ZORGCOORDINATOR, username="synthetische-zorgcoordinator")
    zc = factories.actor(coordinator.membership)
    region = build_region(MB, 31, zc, date(2011, 6, 2))
    professional = make_user(Role.PROFESSIONAL, region.school, username="synthetische-mentor")
    officer = make_user(
        Role.AANDACHTSFUNCTIONARIS, region.school, username="synthetische-aandachtsfunctionaris"
    )
    # A question to the school about its record, for the aandachtsfunctionaris's list.
    coordination_actions.ask_information(zc, region.at_school, region.school, QUESTION)
    return Scene(region, coordinator, professional, officer)


def no_violations(found: dict[str, list]) -> None:
    problems = {name: describe(v) for name, v in found.items() if v}
    assert not problems, "\n\n".join(f"{name}:\n{text}" for name, text in problems.items())


# What axe leaves to a person ("incomplete") that this test can judge itself:
# - table cells scrolled out of view in a table that scrolls sideways (the matrix of the
#   combined picture): scrolled into view, axe judges them after all;
# - the text in the network drawing (SVG), whose background axe cannot determine: its
#   colour and that of the circle under it (or the white halo of an edge label) are read
#   from the drawing and their contrast computed here.
JUDGE_CLIPPED = """async selectors => {
  const boxes = new Map();
  for (const selector of selectors) {
    const el = document.querySelector(selector);
    const box = el && el.closest('.lens-table-container');
    if (!box || box.scrollWidth <= box.clientWidth) continue;
    if (!boxes.has(box)) boxes.set(box, []);
    boxes.get(box).push([selector, el]);
  }
  const verdict = {};
  const has = (rules, el) => rules.some(rule => rule.nodes.some(n => n.element === el));
  for (const [box, items] of boxes) {
    box.scrollIntoView({block: 'start'});
    const last = box.scrollWidth - box.clientWidth;
    for (let left = 0; ; left = Math.min(last, left + box.clientWidth / 2)) {
      box.scrollLeft = left;
      const only = {include: items.map(([selector]) => [selector])};
      const found = await axe.run(only, {
        runOnly: {type: 'rule', values: ['color-contrast']}, elementRef: true,
      });
      for (const [selector, el] of items) {
        if (has(found.violations, el)) verdict[selector] = false;
        else if (has(found.passes, el) && verdict[selector] !== false) verdict[selector] = true;
      }
      if (left >= last) break;
    }
    box.scrollLeft = 0;
  }
  window.scrollTo(0, 0);
  return verdict;
}"""
SVG_COLOURS = """selector => {
  const el = document.querySelector(selector);
  if (!(el instanceof SVGTextElement)) return null;
  const circle = el.closest('g').querySelector('circle');
  const halo = el.getAttribute('stroke') && el.getAttribute('paint-order') === 'stroke';
  return {
    text: el.getAttribute('fill'),
    background: circle ? circle.getAttribute('fill') : (halo ? el.getAttribute('stroke') : null),
  };
}"""


def luminance(colour: str) -> float:
    value = colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def svg_contrast_passes(page, selector: str) -> bool:
    colours = page.evaluate(SVG_COLOURS, selector)
    if not colours or not colours["text"] or not colours["background"]:
        return False
    return contrast(colours["text"], colours["background"]) >= 4.5


def judged(page, node: dict, clipped: dict[str, bool]) -> bool:
    """Whether this test judged a colour-contrast node axe left for review, and it passes."""
    selector = node["target"][0]
    if selector in clipped:
        return clipped[selector]
    return isinstance(selector, str) and svg_contrast_passes(page, selector)


def axe(page) -> list[dict]:
    """run_axe (violations and what needs review), less what this test judged itself."""
    kept = []
    for item in run_axe(page):
        if item["id"] == "color-contrast" and item["impact"].startswith("needs review"):
            selectors = [n["target"][0] for n in item["nodes"] if isinstance(n["target"][0], str)]
            clipped = page.evaluate(JUDGE_CLIPPED, selectors)
            nodes = [n for n in item["nodes"] if not judged(page, n, clipped)]
            if not nodes:
                continue
            item = {**item, "nodes": nodes}
        kept.append(item)
    return kept


def open_link(page, href: str, where: str = "main") -> None:
    with page.expect_navigation():
        page.click(f"{where} a[href='{href}']")


def test_the_coordinator_reads_the_picture_names_the_lead_and_confirms_a_match(
    new_page,  # noqa: F811
    site,
    scene,
    artifacts,
):
    region = scene.region
    person = region.at_school
    # axe is injected as a <script> element: this context bypasses the site's CSP.
    page = new_page(bypass_csp=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    found: dict[str, list] = {}

    def check(name: str) -> None:
        found[name] = axe(page)
        page.screenshot(path=str(artifacts / f"coordination-{name}.png"), full_page=True)

    log_in(page, site, scene.coordinator, lands_on=url("coordination:worklist"))
    assert page.locator(
        "main a[href='{}']".format(url("coordination:picture", pseudonym=person.pseudonym))
    ).count()
    check("worklist")

    # Two lines marked handled at once: the first ticked by its label, the last with the
    # keyboard (Space), then Tab to the one button and Enter.
    form = "form[action='{}']".format(url("coordination:work_done"))
    boxes = page.locator(f"{form} input[type=checkbox]")
    assert boxes.count() == 3  # a new link; a possible match and a referral of one person
    first, last = boxes.nth(0), boxes.nth(boxes.count() - 1)
    chosen = [first.input_value(), last.input_value()]
    page.click(f"label[for='{first.get_attribute('id')}']")
    assert first.is_checked()
    last.focus()
    page.keyboard.press("Space")
    assert last.is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Markeer als afgehandeld"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site + url("coordination:worklist")
    assert "2 regels zijn gemarkeerd als afgehandeld." in page.inner_text("[role=status]")
    marked = WorkItem.objects.filter(pk__in=chosen)
    assert {i.done_by.username for i in marked} == {scene.coordinator.username}
    check("worklist-marked")

    # The persons in scope; the combined picture from there.
    page.goto(site + url("coordination:persons"))
    check("persons")
    picture = url("coordination:picture", pseudonym=person.pseudonym)
    open_link(page, picture)
    assert page.url == site + picture
    involved = page.locator("section:has(#involved)").inner_text()
    for organisation in (region.school, region.partner):
        assert organisation.name in involved, involved
    check("picture")

    # The lead, with the keyboard: the youth care's radio button, Space, Tab to the
    # button, Enter.
    radio = page.locator(
        "form[action='{}'] input[type=radio]".format(
            url("coordination:lead", pseudonym=person.pseudonym)
        )
    )
    labels = [
        page.inner_text(f"label[for='{radio.nth(i).get_attribute('id')}']")
        for i in range(radio.count())
    ]
    choice = radio.nth(labels.index(region.partner.name))
    choice.focus()
    page.keyboard.press("Space")
    assert choice.is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site + picture
    assert clusters.current_lead(clusters.cluster_of(person)) == region.partner
    assert region.partner.name in page.inner_text("[role=status]")

    # Asking for information, and recording a relation: the forms.
    open_link(page, url("coordination:ask", pseudonym=person.pseudonym))
    check("ask")
    page.goto(site + url("coordination:relation_new", pseudonym=person.pseudonym))
    check("relation_new")

    # The possible matches (from the menu): open the candidate, compare both identities,
    # confirm.
    open_link(page, url("coordination:links"), where="body")
    check("links")
    link = url("coordination:link", link_id=region.candidate.pk)
    open_link(page, link)
    check("link")
    reveal = url("coordination:link_reveal", link_id=region.candidate.pk)
    open_link(page, reveal)
    check("link_reveal")
    page.fill("input[name=purpose]", "Nagaan of beide registraties dezelfde persoon zijn.")
    submit(page, reveal)
    assert "Jansen" in page.inner_text("main") and "Janssen" in page.inner_text("main")
    check("link_reveal-shown")
    page.goto(site + link)
    page.check("input[name=decision][value=confirm]")
    submit(page, link)
    assert page.url == site + url("coordination:links")
    assert PersonLink.objects.get(pk=region.candidate.pk).state == LinkState.LINKED

    page.goto(site + url("coordination:network"))
    check("network")

    # The picture in English.
    english = url("coordination:picture", "en", pseudonym=person.pseudonym)
    assert english.startswith("/en/regie/")
    page.goto(site + english)
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#involved").inner_text() == "Organisations involved"
    check("picture-en")

    no_violations(found)
    assert not errors, errors  # e.g. no Content Security Policy violations


def test_the_organisations_see_who_else_is_involved_and_their_requests(
    new_page,  # noqa: F811
    site,
    scene,
    artifacts,
):
    region = scene.region
    found: dict[str, list] = {}

    page = new_page(bypass_csp=True)

    def check(name: str) -> None:
        found[name] = axe(page)
        page.screenshot(path=str(artifacts / f"coordination-org-{name}.png"), full_page=True)

    log_in(page, site, scene.professional, lands_on=url("registry:persons"))
    page.goto(site + url("registry:person", pseudonym=region.at_school.pseudonym))
    involved = page.locator("section:has(#involved-title)")
    assert page.inner_text("#involved-title") == "Ook betrokken"
    assert region.partner.name in involved.inner_text()
    html = page.content()
    for secret in (region.at_partner.pseudonym, region.notes["youth_care"]):
        assert secret not in html
    check("person")
    page.goto(site + url("registry:refer", pseudonym=region.at_school.pseudonym))
    check("refer")

    page = new_page(bypass_csp=True)
    log_in(page, site, scene.officer, lands_on=url("registry:persons"))
    page.goto(site + url("registry:requests"))
    assert QUESTION in page.inner_text("main")
    check("requests")

    no_violations(found)
