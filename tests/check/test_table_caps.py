"""Under the table "Signaalwaarde per indicator en leefgebied" the caps are said with the
ruleset's own values: the cells count every signal in full, the totals are capped per
theme (indicator), per leefgebied and, for soft signals, per theme in a leefgebied. A
total smaller than its cells (outside probe, December 2026: "Dwang en controle 14 15 35 0
| Totaal indicator 8") is then explained. The same on the registry's person page."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from lens.check import rendered
from lens.check.views import assess_answers
from lens.data.registry import Role
from lens.web import presentation
from tests.login import log_in
from tests.registry import factories

from .test_parent_texts import cases, seen_text

pytestmark = pytest.mark.django_db

# As seen_text gives it: lower case.
CAPS = {
    "nl": (
        "per thema (indicator) telt de signaalwaarde voor ten hoogste {indicator}, per "
        "leefgebied voor ten hoogste {life_domain}. in de signaalwaarde als geheel tellen "
        "zachte signalen over hetzelfde thema in hetzelfde leefgebied bovendien samen voor "
        "ten hoogste {theme}; de totalen in de tabel laten die grens niet zien."
    ),
    "en": (
        "per theme (indicator) the signal value counts for at most {indicator}, per area of "
        "life for at most {life_domain}. in the signal value as a whole, soft signals on the "
        "same theme in the same area of life also count together for at most {theme}; the "
        "table's totals do not show that limit."
    ),
}
OUTCOME = {"nl": "/uitkomst/", "en": "/en/outcome/"}


def said(ruleset, lang: str) -> str:
    def number(value: float) -> str:  # as the page writes it: "11,5" in Dutch
        return f"{value:g}".replace(".", "," if lang == "nl" else ".")

    return CAPS[lang].format(
        indicator=number(ruleset.indicator_cap),
        life_domain=number(ruleset.life_domain_cap),
        theme=number(ruleset.theme_cap),
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_check_says_the_rulesets_caps_under_the_table(client, catalogue, ruleset, lang):
    assert ruleset.theme_cap  # the active ruleset has all three caps
    data = cases(catalogue)["strong signals"] | {"audience": "professional"}
    for audience in ("professional", "parent"):
        text = seen_text(client.post(OUTCOME[lang], data | {"audience": audience}).content.decode())
        assert said(ruleset, lang) in text, audience


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_values_come_from_the_ruleset(catalogue, ruleset, lang):
    """Other caps, other numbers (none hard-coded); a ruleset without a theme cap (stored
    before it existed) says the two others only. The check's table as its template."""
    other = replace(ruleset, indicator_cap=7.0, life_domain_cap=11.5, theme_cap=3.0)
    data = cases(catalogue)["strong signals"]
    with translation.override(lang):
        _form, result = assess_answers(data, catalogue, ruleset, lang)
        for changed in (other, replace(other, theme_cap=0.0)):
            lens = presentation.lens_picture(catalogue, changed, result, lang)
            template = render_to_string("includes/outcome/lens_table.html", {"lens": lens})
            assert rendered.lens_table(lens, "", catalogue.version) == template
            text = seen_text(template)
            if changed.theme_cap:
                assert said(changed, lang) in text
            else:
                two = said(changed, lang).split(". in the signal")[0].split(". in de signaal")[0]
                assert two + ". " in text and "3" not in text.split(two)[1][:200]


def test_the_person_page_says_the_caps_too(client, catalogue, ruleset):
    signals = [s.code for s in catalogue.signals.values() if s.strength == "zacht"][:2]
    organisation = factories.organisation()
    member = factories.membership(Role.PROFESSIONAL, organisation)
    actor = factories.actor(member)
    person = factories.person(actor)
    factories.registration(actor, person, signals=signals)
    log_in(client, member.user, member)
    with translation.override("nl"):
        page = client.get(reverse("registry:person", kwargs={"pseudonym": person.pseudonym}))
    assert page.status_code == 200
    assert said(ruleset, "nl") in seen_text(page.content.decode())
