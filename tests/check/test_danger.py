""" "Is er nu direct gevaar?" (direct_danger_now, a check-only question): a yes opens every
later step with the call-112 banner and a way straight to the outcome; a "don't know" is
no blind spot but gives safety guidance, with the numbers from the catalogue."""

from __future__ import annotations

import re

import pytest

from lens.check.forms import signal_field_name
from lens.check.views import tel_href

from .conftest import elements
from .test_views import FORM_EN, FORM_NL, OUTCOME_EN, OUTCOME_NL, squash, text

pytestmark = pytest.mark.django_db

DANGER = signal_field_name("direct_danger_now")


def step(client, number: int, data: dict, url=FORM_NL):
    """The step `number` as the buttons ask for it, coming from step 1."""
    return client.post(url, data | {"step": "1", "go": f"step-{number}"})


def banner(html: str) -> str:
    """The call-112 banner (role="alert") at the top of the page, or ""."""
    found = re.search(r'<div class="lens-acute" id="acute" role="alert">(.*?)</div>', html, re.S)
    return found.group(1) if found else ""


@pytest.mark.parametrize("audience", ["professional", "parent"])
def test_yes_to_danger_now_puts_the_112_banner_on_every_later_step(client, catalogue, audience):
    data = {DANGER: "yes", "audience": audience}
    response = client.post(FORM_NL, data | {"step": "1", "go": "next"})
    assert response.status_code == 200
    html = text(response)
    assert "Stap 2 van 5" in html
    top = banner(html)
    assert "Acuut gevaar: bel nu 112" in squash(top)
    assert 'href="tel:112"' in top
    # at the top: before the step's heading
    assert html.index('role="alert"') < html.index('<h1 class="utrecht-heading-1">')
    # straight to the outcome, without JavaScript: a submit button of the step's form
    (button,) = [a for _tag, a in elements(top, "button")]
    assert button["type"] == "submit"
    assert button["formaction"] == OUTCOME_NL
    assert re.search(rf'<form [^>]*id="{button["form"]}"', html)
    for number in (3, 4, 5):
        assert "Acuut gevaar: bel nu 112" in squash(banner(text(step(client, number, data))))
    # the button's form carries the answer: the outcome it leads to is the acute one
    outcome = squash(text(client.post(OUTCOME_NL, data)))
    assert "Acuut gevaar: bel nu 112" in outcome and "Niveau 4 van 4" in outcome


def test_the_banner_in_english(client, catalogue):
    html = text(step(client, 2, {DANGER: "yes"}, url=FORM_EN))
    assert "Acute danger: call 112 now" in squash(banner(html))
    assert 'formaction="/en/outcome/"' in banner(html)


@pytest.mark.parametrize("answer", ["no", "unknown", ""])
def test_no_banner_without_a_yes(client, catalogue, answer):
    data = {DANGER: answer} if answer else {}
    html = text(step(client, 2, data))
    assert "Stap 2 van 5" in html
    assert banner(html) == ""
    assert 'role="alert"' not in html


def doubt_text(catalogue) -> list[str]:
    phones = {c.role: c.phone for c in catalogue.contacts.values() if c.phone and not c.region}
    return [
        "Twijfelt u of er nu gevaar is? Bel 112 bij direct gevaar; twijfelt u, bel Veilig "
        f"Thuis ( {phones['veilig_thuis']} ) of de politie ( {phones['police']} ).",
        f'href="{tel_href(phones["veilig_thuis"])}"',
        f'href="{tel_href(phones["police"])}"',
    ]


@pytest.mark.parametrize("audience", ["professional", "parent"])
def test_dont_know_to_danger_now_gives_safety_guidance_not_a_blind_spot(
    client, catalogue, audience
):
    label = catalogue.signals["direct_danger_now"].label.nl  # "Is er nu direct gevaar?"
    coercion = catalogue.indicators["coercion_control"].label.nl
    response = client.post(OUTCOME_NL, {DANGER: "unknown", "audience": audience})
    assert response.status_code == 200
    html = text(response)
    plain = squash(html)
    sentence, veilig_thuis, police = doubt_text(catalogue)
    assert sentence in plain
    guidance = re.search(r'<p [^>]*id="danger-doubt">(.*?)</p>', html, re.S).group(1)
    assert veilig_thuis in guidance and police in guidance
    blind = html[html.index('id="blind"') :]
    assert label not in blind
    assert "U antwoordde weet ik niet bij" not in plain
    # "Dwang en controle" is, like the other areas, simply without information
    assert coercion in blind
    # not counted among the "don't know" answers others may know more about
    assert "antwoordde u weet ik niet" not in plain
    assert f"Weet ik niet: {label}" not in plain


def test_dont_know_to_another_signal_is_still_a_blind_spot(client, catalogue):
    other = catalogue.signals["family_threatened"]
    html = squash(text(client.post(OUTCOME_NL, {signal_field_name(other.code): "unknown"})))
    assert "U antwoordde weet ik niet bij" in html
    assert other.label.nl in html
    assert "Twijfelt u of er nu gevaar is?" not in html


def test_the_guidance_in_english(client, catalogue):
    html = squash(text(client.post(OUTCOME_EN, {DANGER: "unknown"})))
    assert "Not sure whether there is danger now? Call 112 in direct danger; in doubt" in html


def test_yes_to_danger_now_is_an_answer_not_a_signal_in_an_area_of_life(client, catalogue):
    """The outside probe: with danger yes and two Wonen & Financiën signals, the outcome
    said "3 signals in 2 areas" and listed the question under Werk & Sociaal."""
    danger = catalogue.signals["direct_danger_now"]
    housing = [
        s
        for s in catalogue.signals.values()
        if s.life_domains == ("wonen_financien",) and not s.check_only and not s.acute
    ][:2]
    data = {DANGER: "yes"} | {signal_field_name(s.code): "yes" for s in housing}
    html = text(client.post(OUTCOME_NL, data))
    plain = squash(html)
    assert "Niveau 4 van 4" in plain
    assert "Uw 2 signalen vallen in 1 van de 4 leefgebieden." in plain
    assert (
        "U gaf aan dat er nu direct gevaar is: bel eerst 112. Dat antwoord is geen signaal "
        "en telt niet mee bij uw signalen."
    ) in plain
    filled_in = html[html.index("Wat u heeft ingevuld") :]
    assert danger.label.nl not in filled_in
    figure = re.search(r'<ul class="lens-figure.*?</ul>', html, re.S).group(0)
    werk = catalogue.life_domains["werk_sociaal"].label.nl.replace("&", "&amp;")
    (item,) = [li for li in figure.split("<li")[1:] if werk in li]
    assert "gezien" not in item.replace("geen signalen gezien", "")


def _housing(catalogue, n=2):
    return [
        s
        for s in catalogue.signals.values()
        if s.life_domains == ("wonen_financien",) and not s.check_only and not s.acute
    ][:n]


def test_every_number_a_reader_sees_agrees_with_danger_now(client, catalogue, tmp_path):
    """The third outside probe: the summary said "Uw 2 signalen" while the calculation
    said "3 signalen geteld" (and "geen enkel signaal ja" beside "1 signaal geteld"): the
    answer "direct danger now" is context, counted nowhere but for acute danger (level 4),
    on the page, in "Hoe is dit berekend?", in the PDF summary and in the API."""
    from tests import pdf_reading

    from .test_summary_pdf import SUMMARY_NL

    data = {DANGER: "yes"} | {signal_field_name(s.code): "yes" for s in _housing(catalogue)}
    plain = squash(text(client.post(OUTCOME_NL, data)))
    assert "Niveau 4 van 4" in plain
    assert "Uw 2 signalen vallen in 1 van de 4 leefgebieden." in plain
    calculation = plain[plain.index("Hoe is dit berekend?") :]
    assert "2 signalen geteld, samen een signaalwaarde van 2." in calculation
    assert "3 signalen" not in plain and "signaalwaarde van 3" not in plain
    assert "Dat antwoord is geen signaal" in calculation
    response = client.post(SUMMARY_NL, data)
    assert response.status_code == 200
    found = pdf_reading.text(pdf_reading.write(response.content, tmp_path))
    assert "3 signalen" not in found
    # only the answer: no signal counted anywhere, still level 4
    alone = squash(text(client.post(OUTCOME_NL, {DANGER: "yes"})))
    assert "Niveau 4 van 4" in alone
    assert "U heeft bij geen enkel signaal ja geantwoord." in alone
    assert "1 signaal geteld" not in alone
    assert "Er zijn geen signalen ingevuld." in alone
