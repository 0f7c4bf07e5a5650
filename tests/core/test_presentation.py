"""lens.web.presentation: one way to show an outcome, for the check's result page and a
person's page in the registry (both draw it with lens/templates/includes/outcome/)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lens.check.forms import signal_field_name
from lens.data.registry import Role
from lens.rules.engine import assess
from lens.rules.model import AssessmentInput, Contact, Observation, Text
from lens.web import presentation
from tests.login import log_in
from tests.registry import factories


def test_bar_width_in_tenths():
    assert presentation.Bar(0, 8).step == 0
    assert presentation.Bar(0.1, 8).step == 1  # anything above 0 shows
    assert presentation.Bar(4, 8).step == 5
    assert presentation.Bar(20, 8).step == presentation.BAR_STEPS  # capped
    # Numbers, not text: the template localises them ("2,5" on a Dutch page).
    assert presentation.Bar(4.0, 8).shown == 4 and isinstance(presentation.Bar(4.0, 8).shown, int)
    assert presentation.Bar(2.5, 8).shown == 2.5


def test_tel_href():
    assert presentation.tel_href("06 105 994 58") == "tel:0610599458"
    assert presentation.tel_href("+31 (0)13 549 8430") == "tel:+310135498430"


@pytest.mark.django_db
def test_outcome_context_in_the_page_language(loaded_catalogue):
    catalogue, ruleset = loaded_catalogue
    acute = next(s for s in catalogue.signals.values() if s.acute)
    region = next(iter(catalogue.regions))
    data = AssessmentInput(signals=(Observation(acute.code),), region=region)
    result = assess(catalogue, ruleset, data, today=timezone.localdate())
    for language in ("nl", "en"):
        context = presentation.outcome(catalogue, ruleset, result, language)
        assert context["is_acute"] and context["level"].number == 4
        assert context["level_label"] == result.level.label.get(language)
        assert [lv["current"] for lv in context["levels"]].count(True) == 1
        assert context["caveat"] not in context["explanation"]
        # 112 is left to the include, which always shows it first
        assert all(c["phone"] != "112" for c in context["contacts"])
        assert any(c["tel"].startswith("tel:") for c in context["contacts"])
        labels = {d.label.get(language) for d in catalogue.life_domains.values()}
        assert set(context["lens"]["domains"]) == labels


def lens_table(html: str) -> str:
    start = html.index('<table class="utrecht-table utrecht-table--html-table lens-table">')
    return html[start : html.index("</table>", start)]


def lens_cards(html: str) -> str:
    start = html.index('<div class="lens-picture"')
    return html[start : html.index('<p class="utrecht-paragraph utrecht-paragraph--small', start)]


def contacts(html: str) -> list[str]:
    block = html[html.index('<ul class="lens-contacts">') :]
    return re.findall(r'href="(tel:[^"]+)"', block[: block.index("</ul>")])


@pytest.mark.django_db
def test_the_check_and_the_person_page_show_the_same_signals_alike(client, loaded_catalogue):
    """The same two signals, once in the anonymous check and once registered about a
    person: the same lens picture, table and phone numbers (from the same includes)."""
    catalogue, _ruleset = loaded_catalogue
    signals = [
        s.code
        for s in catalogue.signals.values()
        if s.strength == "zacht" and not s.acute and len(s.life_domains) == 1
    ][:2]
    organisation = factories.organisation()
    member = factories.membership(Role.PROFESSIONAL, organisation)
    actor = factories.actor(member)
    person = factories.person(actor)
    factories.registration(actor, person, signals=signals)

    with translation.override("nl"):
        check = client.post(
            reverse("check:outcome"),
            {**{signal_field_name(c): "yes" for c in signals}, "region": organisation.region},
        ).content.decode()
        log_in(client, member.user, member)
        page = client.get(reverse("registry:person", kwargs={"pseudonym": person.pseudonym}))
    assert page.status_code == 200
    registry = page.content.decode()
    # The same table; the check names its first column "Thema (indicator)" so that an
    # indicator is not mistaken for a leefgebied (issue 12 §3).
    assert lens_table(check).replace(">Thema (indicator)</th>", ">Indicator</th>") == lens_table(
        registry
    )
    # The check draws the four leefgebieden as one compact figure instead of the cards:
    # the same leefgebieden, each seen or blind alike.
    cards = re.findall(r'class="lens-card lens-card--(\w+)"', lens_cards(registry))
    figure = re.findall(r'class="lens-figure__item lens-figure__item--(\w+)"', check)
    assert figure == cards and len(figure) == len(catalogue.life_domains)
    assert contacts(check) == contacts(registry)
    assert contacts(check)[0] == "tel:112"
    assert re.search(r"Niveau \d van 4", registry)


def test_a_contact_without_any_detail_is_not_shown(loaded_catalogue):
    """A contact the catalogue has only a name for (seed 002 names Sterk Huis, project
    RUPS, with no phone number, website or address) is no contact to show: the outcome
    lists only the contacts one can reach."""
    catalogue, ruleset = loaded_catalogue
    region = "midden_brabant"
    signal = next(s for s in catalogue.signals.values() if s.strength == "sterk" and not s.acute)
    result = assess(
        catalogue,
        ruleset,
        AssessmentInput(signals=(Observation(signal.code),), region=region),
        today=timezone.localdate(),
    )
    reachable = presentation.contacts(result, "nl")
    assert reachable and all(c["phone"] or c["url"] or c["email"] for c in reachable)
    shown = {c["label"] for c in reachable}
    name_only = Contact(
        code="sterk_huis",
        label=Text("Sterk Huis (project RUPS)", "Sterk Huis (project RUPS)"),
        explanation=Text("Deskundige in de regio.", "Expert in the region."),
        sources=("seed_002",),
        role=result.contacts[-1].role,
        region=region,
    )
    web_only = replace(
        name_only,
        code="web_only",
        label=Text("Met website", "With website"),
        url="https://example.org/",
    )
    with_them = replace(result, contacts=(*result.contacts, name_only, web_only))
    labels = [c["label"] for c in presentation.contacts(with_them, "nl")]
    assert "Sterk Huis (project RUPS)" not in labels
    assert set(labels) == shown | {"Met website"}  # a website alone is a way to reach it
