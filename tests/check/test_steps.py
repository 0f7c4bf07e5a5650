"""The check in steps (issue 12 §1-§3): who asks first, the signals they typically see
first, answers kept going back and forth, and an outcome in the asker's own words (a
parent is never sent to a meldcode)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template.loader import get_template

from lens.check.forms import NOT_ASKED, signal_field_name
from lens.check.steps import MAX_ON_SCREEN, domain_groups, seen_by

from .conftest import checked_answers, elements, inputs, soft_signals
from .test_views import FORM_NL, OUTCOME_EN, OUTCOME_NL, escape, squash, text

pytestmark = pytest.mark.django_db

FORBIDDEN_FOR_PARENTS = ("meldcode", "aandachtsfunctionaris", "uw organisatie")


def on_step(client, step: int, data: dict) -> str:
    return text(client.post(FORM_NL, data | {"step": "1", "go": f"step-{step}"}))


def first_and_more(html: str) -> tuple[list[str], list[str]]:
    """Signal field names in view, and those behind 'more signals', in page order."""
    cut = html.find('<details class="lens-details lens-more">')
    names = [a["name"] for a in inputs(html) if a.get("type") == "radio" and a["value"] == "yes"]
    if cut < 0:
        return names, []
    later = [a["name"] for a in inputs(html[cut:]) if a.get("type") == "radio"]
    return [n for n in names if n not in later], [n for n in names if n in later]


def test_start_page_asks_who_you_are(client, active):
    html = text(client.get("/"))
    assert 'href="/signalen/?audience=professional"' in html
    assert 'href="/signalen/?audience=parent"' in html
    first = text(client.get("/signalen/?audience=parent"))
    assert checked_answers(first) == {"audience": "parent"}
    assert 'id="id_organisation_type"' not in first  # a parent has no organisation
    assert 'id="id_organisation_type"' in text(client.get("/signalen/?audience=professional"))
    assert checked_answers(text(client.get("/signalen/?audience=bogus"))) == {}


@pytest.mark.parametrize("kind", ["school", "general_practitioner", "parent", ""])
def test_the_signals_an_asker_typically_sees_come_first(client, catalogue, kind):
    data = {"audience": "parent"} if kind == "parent" else {"organisation_type": kind}
    score = seen_by(catalogue, kind)
    for step, (domain, signals) in enumerate(domain_groups(catalogue), start=2):
        first, more = first_and_more(on_step(client, step, data))
        assert len(first) <= MAX_ON_SCREEN
        assert sorted(first + more) == sorted(signal_field_name(s.code) for s in signals)
        by_name = {signal_field_name(s.code): score(s) for s in signals}
        if more:  # nothing behind the disclosure ranks above what is in view
            assert min(by_name[n] for n in first) >= max(by_name[n] for n in more), domain.code
        if kind:
            assert all(by_name[n] > 0 for n in first), domain.code


def test_school_sees_school_signals_first_and_the_rest_one_click_away(client, catalogue):
    groups = domain_groups(catalogue)
    largest = max(range(len(groups)), key=lambda i: len(groups[i][1]))
    html = on_step(client, largest + 2, {"organisation_type": "school"})
    first, more = first_and_more(html)
    assert len(first) == MAX_ON_SCREEN and more
    last = on_step(client, 5, {"organisation_type": "school"})
    assert "signal_truancy" in first_and_more(last)[0]
    assert re.search(r"Nog \d+ signalen in dit leefgebied</summary>", html)


def test_an_answered_signal_stays_in_view(client, catalogue):
    html = on_step(client, 3, {"organisation_type": "housing_corporation"})
    _first, more = first_and_more(html)
    chosen = more[0]
    html = on_step(client, 3, {"organisation_type": "housing_corporation", chosen: "yes"})
    assert chosen in first_and_more(html)[0]


def test_answers_are_kept_going_back_and_forth(client, catalogue):
    groups = domain_groups(catalogue)
    a, b = groups[0][1][0], groups[1][1][0]
    data = {"audience": "professional", "age": "16_17", "region": next(iter(catalogue.regions))}
    data |= {signal_field_name(a.code): "yes"}
    # from step 2 to 3: the answer on step 2 rides along hidden
    html = text(client.post(FORM_NL, data | {"step": "2", "go": "next"}))
    assert "Stap 3 van 5" in html
    hidden = {(x["name"], x["value"]) for x in inputs(html) if x["type"] == "hidden"}
    assert (signal_field_name(a.code), "yes") in hidden
    assert ("age", "16_17") in hidden and ("audience", "professional") in hidden
    # answer on step 3, then back: step 2 shows its answer chosen, step 3's rides along
    data[signal_field_name(b.code)] = "unknown"
    html = text(client.post(FORM_NL, data | {"step": "3", "go": "back"}))
    assert "Stap 2 van 5" in html
    assert checked_answers(html)[signal_field_name(a.code)] == "yes"
    hidden = {(x["name"], x["value"]) for x in inputs(html) if x["type"] == "hidden"}
    assert (signal_field_name(b.code), "unknown") in hidden
    # and back to step 1: the context is chosen again
    html = text(client.post(FORM_NL, data | {"step": "2", "go": "back"}))
    assert checked_answers(html)["age"] == "16_17"


@pytest.mark.parametrize("step", ["", "0", "-3", "99", "abc", "2.5"])
def test_odd_step_values_give_a_page_not_an_error(client, active, step):
    for go in ("next", "back", "step-x", ""):
        response = client.post(FORM_NL, {"step": step, "go": go})
        assert response.status_code == 200
        assert re.search(r"Stap [1-5] van 5", text(response))


def test_bad_context_answers_get_a_dutch_message_on_step_1(client, active):
    response = client.post(FORM_NL, {"step": "3", "go": "next", "age": "100", "audience": "x"})
    assert response.status_code == 400
    html = squash(text(response))
    assert "Stap 1 van 5" in html
    assert "Kies een leeftijd uit de lijst." in html
    assert "Kies professional of ouder/verzorger." in html


# --- the outcome in the asker's words -----------------------------------------------------


def outcome(client, *yes, **context) -> str:
    data = {signal_field_name(s.code): "yes" for s in yes} | context
    return text(client.post(OUTCOME_NL, data))


def opening(html: str) -> str:
    return html[html.index('<section class="lens-now"') : html.index("</section>")]


def test_the_outcome_opens_with_what_to_do_and_one_number(
    client, catalogue, soft_in_three_domains, region_with_own_contact
):
    coordinator = next(
        c
        for c in catalogue.contacts.values()
        if c.role == "zorgcoordinator" and c.region == region_with_own_contact
    )
    html = outcome(client, *soft_in_three_domains, region=region_with_own_contact)
    now = opening(html)
    assert "Overleg deze week met een collega of de aandachtsfunctionaris" in now
    tel = re.findall(r'href="(tel:[^"]+)"', now)
    assert tel[0] == "tel:" + re.sub(r"[^\d+]", "", coordinator.phone)
    assert html.index('class="lens-now"') < html.index('class="lens-level')
    # a parent, same answers: Veilig Thuis, in a parent's words
    now = opening(outcome(client, *soft_in_three_domains, audience="parent", age="16_17"))
    assert "Praat met de jongere" in now and 'href="tel:08002000"' in now
    # an adult (or an age not given) is not "de jongere"
    now = opening(outcome(client, *soft_in_three_domains, audience="parent", age="older"))
    assert "Praat met hem of haar" in now and 'href="tel:08002000"' in now


def test_acute_puts_112_first_for_everyone(client, acute_signal):
    for audience in ("professional", "parent"):
        html = outcome(client, acute_signal, audience=audience)
        assert "Er is acuut gevaar: bel nu 112." in opening(html)
        assert re.findall(r'href="(tel:[^"]+)"', html)[0] == "tel:112"


def test_why_is_in_plain_words_and_the_calculation_behind_a_disclosure(
    client, soft_in_three_domains
):
    html = outcome(client, *soft_in_three_domains)
    why = html[html.index('id="why"') : html.index("<details")]
    flat = squash(why)
    assert "Uw 3 signalen vallen in 3 van de 4 leefgebieden." in flat
    assert "Signalen uit verschillende leefgebieden samen wegen zwaarder" in flat
    for engine_word in ("≥", "&gt;=", "regel", "signaalwaarde"):
        assert engine_word not in flat
    details = html[html.index("<details") :]
    assert "Hoe is dit berekend?</summary>" in details
    calculation = squash(details[: details.index("</details>")])  # the full calculation
    assert "signaalwaarde 3 (nodig: 3 of meer)" not in flat
    assert "signaalwaarde 3 (nodig: 3 of meer)" in calculation
    assert "Thema (indicator)</th>" in details  # indicators not mistaken for leefgebieden
    assert 'href="/niveaus/"' in html


def test_the_levels_link_keeps_the_posted_outcome(client, soft_in_two_domains):
    """The outcome exists only as the answer to a POST: the levels open in a new window,
    and the link says so in its text."""
    html = outcome(client, *soft_in_two_domains)
    links = [a for _, a in elements(html, "a") if a.get("href") == "/niveaus/"]
    assert links and all(a.get("target") == "_blank" for a in links)
    assert all("noopener" in a.get("rel", "") for a in links)
    start = html.index('href="/niveaus/"')
    link_text = squash(html[html.index(">", start) + 1 : html.index("</a>", start)]).strip()
    assert link_text == "Wat betekenen de niveaus? (opent in nieuw venster)"


def test_age_is_context_not_a_signal(client, catalogue):
    signal = soft_signals(catalogue)[0]
    young = outcome(client, signal, age="under_16")
    older = outcome(client, signal, age="18_23")
    level = re.compile(r"Niveau (\d) van 4")
    assert level.search(squash(young)).group(1) == level.search(squash(older)).group(1)
    assert "geen dwang nodig" in opening(young) and "geen dwang nodig" not in opening(older)


def test_the_parent_path_never_speaks_of_meldcode_or_organisations(
    client, catalogue, soft_in_three_domains
):
    signals = [s for s in catalogue.signals.values() if s.code not in NOT_ASKED]
    acute = [s for s in signals if s.acute][:1]
    strong = [s for s in signals if s.strength == "sterk" and not s.acute][:3]
    soft = soft_signals(catalogue)[:12]
    region = next(iter(catalogue.regions))
    pages = [text(client.get("/signalen/?audience=parent"))]
    for yes in ([], soft[:1], list(soft_in_three_domains), soft + strong, acute):
        for age in ("under_16", "18_23"):
            data = {"audience": "parent", "age": age, "region": region, "risk_factors": []}
            data |= {signal_field_name(s.code): "yes" for s in yes}
            pages.append(text(client.post(OUTCOME_NL, data)))
            for step in range(1, 6):
                pages.append(on_step(client, step, data))
    levels = {re.search(r"Niveau (\d) van 4", squash(p)).group(1) for p in pages if "Niveau" in p}
    assert levels == {"0", "1", "2", "3", "4"}  # every level seen by a parent
    for page in pages:
        lowered = squash(page).lower()
        for word in FORBIDDEN_FOR_PARENTS:
            assert word not in lowered, word
    # and the same outcome for a professional does name them (the test can fail)
    assert "aandachtsfunctionaris" in squash(outcome(client, *soft)).lower()


def test_levels_page(client, ruleset):
    for url, word in (("/niveaus/", "Wat betekenen de niveaus?"), ("/en/levels/", "What do")):
        html = text(client.get(url))
        assert word in html
        for level in ruleset.levels:
            assert escape(level.label.nl if url.startswith("/n") else level.label.en) in html


def test_english_outcome_speaks_to_a_parent(client, soft_in_two_domains):
    data = {signal_field_name(s.code): "yes" for s in soft_in_two_domains}
    html = text(client.post(OUTCOME_EN, data | {"audience": "parent", "age": "18_23"}))
    assert "Talk with the young person" in html
    seen = "Your 2 signals fall in 2 of the 4 parts of someone's life (areas of life)."
    assert escape(seen) in squash(html)


def test_the_language_switch_on_a_step_keeps_the_answers_and_the_step(client, catalogue):
    signal = domain_groups(catalogue)[1][1][0]
    data = {signal_field_name(signal.code): "yes", "age": "18_23"}
    html = text(client.post(FORM_NL, data | {"step": "2", "go": "next"}))
    nav = html[html.index('<nav class="lens-language"') :]
    nav = nav[: nav.index("</nav>")]
    switch = {(a["name"], a["value"]) for a in inputs(nav)}
    assert {("step", "3"), ("age", "18_23"), (signal_field_name(signal.code), "yes")} <= switch
    english = text(client.post("/en/signals/", dict(switch)))
    assert "Step 3 of 5" in english
    assert checked_answers(english)[signal_field_name(signal.code)] == "yes"


# --- one question template ------------------------------------------------------------------


def _fieldsets(html: str) -> list[str]:
    return re.findall(r'<fieldset class="[^"]*lens-question[^"]*".*?</fieldset>', html, re.S)


def _shape(fieldset: str) -> str:
    """A question's markup with its own words, ids and answers taken out."""
    shape = re.sub(r"id_signal_\w+", "ID", fieldset)
    shape = re.sub(r">[^<]+<", "><", shape)
    shape = re.sub(r'<div class="lens-options">.*?</div>', "OPTIONS", shape, flags=re.S)
    return re.sub(r" lens-question--danger", "", re.sub(r"\s+", " ", shape))


def test_the_danger_question_and_the_signals_share_one_question_template(client, catalogue):
    """A question's fieldset is written in one place, for the danger question and for
    every signal row, so their accessible markup (legend, help text tied by
    aria-describedby, error, labelled answers) cannot drift: form.html's three lists of
    questions come from lens.check.rendered.questions, which writes what
    check/includes/question.html writes (tests/check/test_rendered.py)."""
    source = Path(get_template("check/form.html").origin.name).read_text()
    assert "row.label" not in source and "row.help" not in source
    for shown in ("danger_rows_shown", "rows_shown", "more_rows_shown"):
        assert source.count("{{ " + shown + " }}") == 1, shown
    included = Path(get_template("check/includes/question.html").origin.name).read_text()
    assert "<legend" in included and 'aria-describedby="{{ row.id }}_help' in included
    # rendered, with an error on each: the same markup but for the danger modifier
    soft = soft_signals(catalogue)[0]
    danger_error = {signal_field_name("direct_danger_now"): "maybe", "step": "1", "go": ""}
    first = client.post("/signalen/", danger_error).content.decode()
    (danger,) = [f for f in _fieldsets(first) if "lens-question--danger" in f]
    page = client.post("/signalen/", {signal_field_name(soft.code): "x"}).content.decode()
    signal = next(f for f in _fieldsets(page) if f"id_{signal_field_name(soft.code)}_" in f)
    assert "lens-question--invalid" in danger and "lens-question--invalid" in signal
    assert _shape(danger) == _shape(signal)
