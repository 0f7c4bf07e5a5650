"""The anonymous signal check, through the Django test client.

What is checked here: every catalogue signal is on the form under its first leefgebied;
posted answers give the level the engine gives; bad input gives a 400 with a Dutch
message and keeps the other answers; nothing sets a cookie; every page has a CSP and no
inline styles or scripts; without a catalogue the check answers 503.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from lens.check.forms import NOT_ASKED, help_text, signal_field_name
from lens.check.steps import domain_groups
from lens.check.views import tel_href
from lens.rules.engine import assess
from lens.rules.model import AssessmentInput, Observation
from lens.rules.report import PHRASES

from .conftest import checked_answers, elements, inputs, soft_signals

pytestmark = pytest.mark.django_db

FORM_NL, FORM_EN = "/signalen/", "/en/signals/"
OUTCOME_NL, OUTCOME_EN = "/uitkomst/", "/en/outcome/"


def answers(*yes, unknown=(), no=(), risk_factors=(), region=""):
    data = {signal_field_name(s.code): "yes" for s in yes}
    data.update({signal_field_name(s.code): "unknown" for s in unknown})
    data.update({signal_field_name(s.code): "no" for s in no})
    data["risk_factors"] = [r for r in risk_factors]
    if region:
        data["region"] = region
    return data


def text(response) -> str:
    return response.content.decode()


def squash(html: str) -> str:
    """Text without tags and with single spaces, for phrase checks."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- start page and URLs -------------------------------------------------------------


def test_start_page_in_dutch(client):
    response = client.get("/")
    assert response.status_code == 200
    html = text(response)
    assert '<html lang="nl"' in html
    assert "Signalencheck criminele uitbuiting" in html
    assert 'href="/signalen/"' in html
    assert 'href="tel:112"' in html
    assert "Er wordt niets opgeslagen" in html
    assert 'href="/en/"' in html and 'hreflang="en"' in html  # the language switch


def test_the_start_button_and_the_form_name_the_professional_alike(client):
    """The start page's button and the form's choice both say young people or adults
    (outside probe: "Ik werk met jongeren" on the button)."""
    from django.utils import translation

    from lens.check.forms import PROFESSIONAL, audience_choices

    with translation.override("nl"):
        choice = str(dict(audience_choices())[PROFESSIONAL])
    assert choice == "Ik werk met jongeren of volwassenen (professional)"
    assert choice.removesuffix(" (professional)") + "</a>" in text(client.get("/"))


def test_start_page_in_english(client):
    response = client.get("/en/")
    assert response.status_code == 200
    html = text(response)
    assert '<html lang="en"' in html
    assert "Signal check: criminal exploitation" in html
    assert 'href="/en/signals/"' in html
    assert 'href="/"' in html and 'hreflang="nl"' in html


def test_dutch_is_the_default_whatever_the_browser_asks(client):
    html = text(client.get("/", headers={"accept-language": "en"}))
    assert '<html lang="nl"' in html


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_get_on_the_outcome_url_goes_to_the_form(client, active):
    # Answers never travel in a URL, so a GET has nothing to show.
    response = client.get(OUTCOME_NL + "?signal_truancy=yes")
    assert response.status_code == 302
    assert response["Location"] == FORM_NL


# --- the form ------------------------------------------------------------------------


def step_page(client, step: int, data=None, url=FORM_NL):
    """A step of the check as the buttons ask for it (POST with go=step-N)."""
    return client.post(url, (data or {}) | {"step": "1", "go": f"step-{step}"})


def domain_steps(catalogue):
    return list(enumerate(domain_groups(catalogue), start=2))


def test_form_shows_every_signal_once_under_its_first_life_domain(client, catalogue):
    asked = {s.code for _, (_d, signals) in domain_steps(catalogue) for s in signals}
    # Age is asked as context on step 1, never as a signal (issue 12 §1).
    assert asked == set(catalogue.signals) - NOT_ASKED
    for step, (domain, signals) in domain_steps(catalogue):
        html = text(step_page(client, step))
        assert f"Stap {step} van 5" in html
        assert f'<h1 class="utrecht-heading-1">{escape(domain.label.nl)}</h1>' in html
        shown = {a["name"] for a in inputs(html) if a.get("type") == "radio"}
        assert shown == {signal_field_name(s.code) for s in signals}, domain.code
        for signal in signals:
            name = signal_field_name(signal.code)
            radios = [a for a in inputs(html) if a.get("name") == name]
            assert [r["value"] for r in radios] == ["yes", "no", "unknown"], signal.code
            assert all(r["type"] == "radio" and "checked" not in r for r in radios)
            legend = re.search(
                rf'<legend[^>]*>([^<]*)</legend>\s*<p[^>]*id="id_{name}_help">([^<]*)</p>', html
            )
            assert legend, signal.code
            assert legend.group(1) == escape(signal.label.nl)
            assert legend.group(2) == escape(help_text(signal, "nl"))
    # "Is er nu direct gevaar?" is asked on step 1, before the leefgebieden, and only there.
    assert {"direct_danger_now"} == NOT_ASKED
    for code in NOT_ASKED:
        first = text(step_page(client, 1))
        radios = [a for a in inputs(first) if a.get("name") == signal_field_name(code)]
        assert [r["value"] for r in radios] == ["yes", "no", "unknown"]
        assert escape(catalogue.signals[code].label.nl) in first
        for step in range(2, 6):
            assert signal_field_name(code) not in text(step_page(client, step))


def test_direct_danger_now_gives_112_a_threat_or_a_knife_alone_does_not(client, catalogue):
    danger = catalogue.signals["direct_danger_now"]
    html = squash(text(client.post(OUTCOME_NL, answers(danger))))
    assert "Niveau 4 van 4" in html and "Acuut gevaar: bel nu 112" in html
    for code in ("threatened_with_violence", "carries_knife", "family_threatened"):
        assert not catalogue.signals[code].acute
        html = squash(text(client.post(OUTCOME_NL, answers(catalogue.signals[code]))))
        assert "Niveau 4 van 4" not in html, code
        assert "Acuut gevaar: bel nu 112" not in html, code
    # Firearms and explosives stay acute, as does being held against one's will.
    for code in ("weapon_or_explosive", "held_against_will"):
        assert catalogue.signals[code].acute
        html = squash(text(client.post(OUTCOME_NL, answers(catalogue.signals[code]))))
        assert "Niveau 4 van 4" in html, code


def escape(value: str) -> str:
    from django.utils.html import escape as django_escape

    return str(django_escape(value))


def test_form_labels_every_answer(client, catalogue):
    for step in range(1, 6):
        html = text(step_page(client, step))
        labels = {a["for"] for _, a in elements(html, "label")}
        for field in inputs(html) + [a for _, a in elements(html, "select")]:
            if field.get("type") != "hidden" and field.get("id") != "signal-search":
                assert field["id"] in labels, field
    html = text(step_page(client, 2))
    for signal in domain_steps(catalogue)[0][1][1][:3]:
        for value, word in (("yes", "Ja"), ("no", "Nee"), ("unknown", "Weet ik niet")):
            input_id = f"id_{signal_field_name(signal.code)}_{value}"
            assert re.search(rf'for="{input_id}">{word}</label>', html)


def test_form_has_risk_factors_and_regions(client, catalogue):
    first = text(client.get(FORM_NL))
    regions = re.search(r'<select[^>]*id="id_region".*?</select>', first, re.S).group(0)
    options = [a["value"] for _, a in elements(regions, "option")]
    assert options[0] == ""
    assert sorted(options[1:]) == sorted(catalogue.regions)
    assert ">Landelijk / weet ik niet</option>" in first
    ages = [a["value"] for a in inputs(first) if a.get("name") == "age"]
    assert ages == ["under_16", "16_17", "18_23", "older", "unknown"]
    kinds = re.search(r'<select[^>]*id="id_organisation_type".*?</select>', first, re.S).group(0)
    assert {a["value"] for _, a in elements(kinds, "option")} == {""} | (
        set(catalogue.organisation_types) - {"parent"}
    )
    last = text(step_page(client, 5))
    boxes = [a["value"] for a in inputs(last) if a.get("type") == "checkbox"]
    # all but young age, which the age answer gives (tests/check/test_age_risk_factor.py)
    assert boxes == [c for c in catalogue.risk_factors if c != "young_age"]
    assert "Risicofactoren zijn geen signalen" in last


def test_form_posts_and_never_uses_get(client, active):
    for step in range(1, 6):
        html = text(step_page(client, step))
        forms = [a for _, a in elements(html, "form")]
        assert all(f["method"] == "post" for f in forms)
        steps = [f for f in forms if "lens-form" in f["class"]]
        assert steps == [
            {
                "method": "post",
                "action": FORM_NL,
                "class": steps[0]["class"],
                "id": "check-form",  # the call-112 banner's button posts it to the outcome
                "novalidate": "",
            }
        ]
        buttons = [a for _, a in elements(html, "button")]
        to_outcome = [b for b in buttons if b.get("formaction") == OUTCOME_NL]
        # the last step's main button, and a shortcut on the steps between
        assert bool(to_outcome) == (step > 1), step


def test_form_in_english_uses_the_catalogue_english_texts(client, catalogue):
    html = text(client.get(FORM_EN))
    assert '<html lang="en"' in html
    assert ">National / I don&#x27;t know</option>" in html
    assert "Step 1 of 5" in html
    html = text(step_page(client, 2, url=FORM_EN))
    signal = domain_steps(catalogue)[0][1][1][0]
    assert escape(signal.label.en) in html
    assert ">Don&#x27;t know</label>" in html
    assert f'action="{FORM_EN}"' in html and f'formaction="{OUTCOME_EN}"' in html


# --- outcomes --------------------------------------------------------------------------


def expected_level(active, data: AssessmentInput) -> int:
    catalogue, ruleset = active
    return assess(catalogue, ruleset, data, today=timezone.localdate()).level.number


def test_no_answers_gives_level_0_and_still_shows_112(client, active):
    response = client.post(OUTCOME_NL, {})
    assert response.status_code == 200
    html = squash(text(response))
    assert "Niveau 0 van 4" in html
    assert "Geen signalen" in html
    assert 'href="tel:112"' in text(response)
    assert PHRASES["nl"]["caveat"] in html


def test_one_soft_signal_gives_level_1(client, catalogue):
    signal = soft_signals(catalogue)[0]
    html = squash(text(client.post(OUTCOME_NL, answers(signal))))
    assert "Niveau 1 van 4" in html
    assert escape(signal.label.nl) in html


def test_two_soft_signals_in_two_life_domains_give_level_1(client, active, soft_in_two_domains):
    # Ruleset 2026.12 (issue 12 §4, over-alerting): two soft signals alone, even in two
    # leefgebieden, are "in kaart brengen en alert blijven", not consultation.
    first, second = soft_in_two_domains
    response = client.post(OUTCOME_NL, answers(first, second))
    assert response.status_code == 200
    html = squash(text(response))
    data = AssessmentInput(signals=(Observation(first.code), Observation(second.code)))
    assert expected_level(active, data) == 1
    assert "Niveau 1 van 4" in html
    assert "Signalen in kaart brengen en alert blijven" in html
    assert "Minstens één signaal" in html  # the decisive rule, explained
    assert "Voor niveau 2 ontbreekt nog: signaalwaarde 3 of meer (nu 2)." in html


def test_acute_signal_gives_level_4_with_112_at_the_top(client, acute_signal):
    html = text(client.post(OUTCOME_NL, answers(acute_signal)))
    assert "Niveau 4 van 4" in squash(html)
    main = html[html.index('<main id="main"') :]
    first_link = re.search(r'<a [^>]*href="([^"]+)"', main).group(1)
    assert first_link == "tel:112"
    assert main.index("Acuut gevaar: bel nu 112") < main.index("<h1")


def test_outcome_matches_the_engine_for_a_mixed_answer(client, active, catalogue):
    soft = soft_signals(catalogue)
    strong = [s for s in catalogue.signals.values() if s.strength == "sterk" and not s.acute]
    risk = list(catalogue.risk_factors)[:2]
    data = AssessmentInput(
        signals=tuple(Observation(s.code) for s in (*soft[:3], strong[0])),
        unknown=(soft[5].code,),
        absent=(soft[6].code,),
        risk_factors=tuple(risk),
    )
    level = expected_level(active, data)
    post = answers(*soft[:3], strong[0], unknown=[soft[5]], no=[soft[6]], risk_factors=risk)
    html = squash(text(client.post(OUTCOME_NL, post)))
    assert f"Niveau {level} van 4" in html


def test_outcome_explains_lens_blind_spots_and_next_steps(client, catalogue, ruleset):
    signal = soft_signals(catalogue)[0]
    unknown = next(
        s for s in soft_signals(catalogue) if s.life_domains[0] != signal.life_domains[0]
    )
    html = text(client.post(OUTCOME_NL, answers(signal, unknown=[unknown])))
    flat = squash(html)
    # the explanation lines of the engine's report
    assert "1 signaal geteld" in flat
    # the lens picture as a real table with headers
    assert '<caption class="utrecht-table__caption lens-table__caption"' in html
    assert html.count('<th scope="row"') == len(catalogue.indicators) + 1
    assert html.count('<th scope="col"') == len(catalogue.life_domains) + 2
    # the four leefgebieden as one figure, what was seen and what is blind
    assert html.count('class="lens-figure__item') == len(catalogue.life_domains)
    assert "lens-figure__item--unknown" in html and "lens-figure__item--seen" in html
    # blind spots with who could see them
    assert "Wat zie ik nog niet?" in flat
    assert "U antwoordde weet ik niet bij: " + escape(unknown.label.nl) in flat
    assert "Wie dit kan zien:" in flat
    # next steps, conversation advice, the drempels, the principles, the route
    for step in catalogue.steps.values():
        if step.route == "route":
            assert escape(step.label.nl) in flat
    for threshold in catalogue.thresholds.values():
        assert escape(threshold.label.nl) in flat
    for tip in catalogue.conversation_tips.values():
        assert escape(tip.label.nl) in flat
    assert "non-punishment" in flat.lower()
    assert "<details" in html


def test_outcome_shows_the_regions_contacts_as_phone_links(
    client, catalogue, region_with_own_contact
):
    signal = soft_signals(catalogue)[0]
    html = text(client.post(OUTCOME_NL, answers(signal, region=region_with_own_contact)))
    contact = next(
        c for c in catalogue.contacts.values() if c.region == region_with_own_contact and c.phone
    )
    assert f'href="{tel_href(contact.phone)}"' in html
    assert escape(contact.label.nl) in html
    if contact.hours:
        assert escape(contact.hours.nl) in html
    assert 'href="tel:112"' in html


def test_tel_href():
    assert tel_href("06 105 994 58") == "tel:0610599458"
    assert tel_href("0800-7000") == "tel:08007000"
    assert tel_href("+31 (0)13 549 8430") == "tel:+310135498430"


def test_outcome_never_calls_anyone_a_victim(client, catalogue, acute_signal):
    everything = answers(*list(catalogue.signals.values())[:20], acute_signal)
    html = squash(text(client.post(OUTCOME_NL, everything))).lower()
    assert "is slachtoffer" not in html.replace("niet of iemand slachtoffer is", "")
    assert "geen oordeel" in html
    assert "een lage uitkomst betekent niet dat er geen uitbuiting is" in html


def test_outcome_in_english(client, catalogue, soft_in_two_domains):
    first, second = soft_in_two_domains
    response = client.post(OUTCOME_EN, answers(first, second))
    html = squash(text(response))
    assert response.status_code == 200
    assert "Level 1 of 4" in html  # two soft signals alone (ruleset 2026.12)
    assert escape(first.label.en) in html
    assert PHRASES["en"]["caveat"] in html


def test_change_answers_reposts_them_to_the_form(client, catalogue, soft_in_two_domains):
    first, second = soft_in_two_domains
    risk = next(iter(catalogue.risk_factors))
    region = next(iter(catalogue.regions))
    post = answers(first, unknown=[second], risk_factors=[risk], region=region)
    html = text(client.post(OUTCOME_NL, post))
    edit = html[html.index('action="/signalen/"') :]
    edit = edit[: edit.index("</form>")]
    hidden = {(a["name"], a["value"]) for a in inputs(edit) if a["type"] == "hidden"}
    assert hidden == {
        (signal_field_name(first.code), "yes"),
        (signal_field_name(second.code), "unknown"),
        ("risk_factors", risk),
        ("region", region),
    }
    assert "Antwoorden aanpassen" in edit
    # posting them to the form opens the first leefgebied; every answer is still there,
    # chosen on the step that shows it or carried along as a hidden field
    response = client.post(FORM_NL, dict(hidden) | {"risk_factors": [risk]})
    assert response.status_code == 200
    page = text(response)
    assert "Stap 2 van 5" in page
    kept = {(a["name"], a["value"]) for a in inputs(page) if a["type"] == "hidden"}
    kept |= set(checked_answers(page).items())
    assert hidden <= kept, hidden - kept


def test_language_switch_on_the_outcome_keeps_the_answers(client, catalogue):
    signal = soft_signals(catalogue)[0]
    html = text(client.post(OUTCOME_NL, answers(signal)))
    nav = html[html.index('<nav class="lens-language"') : html.index("</nav>")]
    assert 'method="post" action="/en/outcome/"' in nav
    assert f'name="{signal_field_name(signal.code)}" value="yes"' in nav
    assert 'lang="en"' in nav


# --- bad input -------------------------------------------------------------------------


def test_bad_answer_value_gives_400_with_dutch_message_and_keeps_answers(client, catalogue):
    good, bad = soft_signals(catalogue)[:2]
    post = answers(good) | {signal_field_name(bad.code): "misschien"}
    response = client.post(OUTCOME_NL, post)
    assert response.status_code == 400
    html = text(response)
    message = "Kies ja, nee of weet ik niet bij dit signaal (of laat het open)."
    summary = html[
        html.index('id="error-summary"') : html.index("</ul>", html.index('id="error-summary"'))
    ]
    assert message in summary
    assert f'href="#id_{signal_field_name(bad.code)}_yes"' in summary  # linked to the field
    field_error = f'id="id_{signal_field_name(bad.code)}_error">{message}'
    assert field_error in html
    assert 'aria-invalid="true"' in html
    assert checked_answers(html) == {signal_field_name(good.code): "yes"}
    assert "<title>Fout: " in html


@pytest.mark.parametrize(
    "post, message",
    [
        ({"signal_does_not_exist": "yes"}, "horen bij signalen die niet in de lijst staan"),
        ({"region": "atlantis"}, "Kies een regio uit de lijst"),
        ({"risk_factors": ["not_a_factor"]}, "De risicofactor not_a_factor staat niet in de lijst"),
    ],
)
def test_unknown_codes_give_400_with_a_dutch_message(client, active, post, message):
    response = client.post(OUTCOME_NL, post)
    assert response.status_code == 400
    assert message in text(response)
    assert '<html lang="nl"' in text(response)


def quoted(label: str) -> str:
    """A label between the Dutch single quotes of the messages."""
    return "\u2018" + label + "\u2019"


def error_summary(html: str) -> str:
    start = html.index('id="error-summary"')
    return html[start : html.index("</ul>", start)]


@pytest.mark.parametrize("url", [OUTCOME_NL, FORM_NL])
def test_retired_codes_are_refused_by_their_label_and_what_replaced_them(client, catalogue, url):
    # a page kept open across a catalogue update posts the old codes
    by_signal = next(r for r in catalogue.retired_signals.values() if r.replaced_by)
    by_risk = next(r for r in catalogue.retired_signals.values() if r.replaced_by_risk_factor)
    kept = soft_signals(catalogue)[0]
    post = answers(kept) | {
        signal_field_name(by_signal.code): "yes",
        signal_field_name(by_risk.code): "unknown",
    }
    response = client.post(url, post)
    assert response.status_code == 400
    summary = squash(error_summary(text(response)))
    new_signal = catalogue.signals[catalogue.resolve_signal(by_signal.code)[1]]
    new_risk = catalogue.risk_factors[by_risk.replaced_by_risk_factor]
    assert (
        f"{quoted(by_signal.label.nl)} wordt niet meer apart gevraagd: het valt nu onder "
        f"{quoted(new_signal.label.nl)}." in summary
    )
    assert (
        f"{quoted(by_risk.label.nl)} is geen signaal meer: het is nu de risicofactor "
        f"{quoted(new_risk.label.nl)}" in summary
    )
    for code in (by_signal.code, by_risk.code, "signal_"):
        assert code not in summary
    assert checked_answers(text(response)).get(signal_field_name(kept.code), "yes") == "yes"


def test_retired_codes_in_english(client, catalogue):
    retired = next(r for r in catalogue.retired_signals.values() if r.replaced_by)
    response = client.post(OUTCOME_EN, {signal_field_name(retired.code): "yes"})
    assert response.status_code == 400
    assert f"“{retired.label.en}” is no longer asked on its own" in text(response)


def test_unknown_codes_are_refused_without_naming_them(client, active):
    retired = next(iter(active[0].retired_signals.values()))
    post = {"signal_made_up_code": "yes", "signal_another_one": "no"}
    response = client.post(OUTCOME_NL, post | {signal_field_name(retired.code): "yes"})
    assert response.status_code == 400
    summary = squash(error_summary(text(response)))
    assert "Sommige antwoorden horen bij signalen die niet in de lijst staan." in summary
    assert summary.count("Sommige antwoorden") == 1  # one message for all unknown codes
    assert retired.label.nl in summary
    assert "made_up" not in summary and "another_one" not in summary


@pytest.mark.parametrize(
    "post",
    [
        {"signal_truancy": ["yes", "no"]},
        {"region": ["amsterdam", "midden_brabant"]},
        {"risk_factors": "x" * 5000},
        {"signal_" + "x" * 300: "yes"},
        {"region": "\x00"},
        {"signal_truancy": "\ud800".encode("utf-8", "surrogatepass")},
    ],
)
def test_odd_posts_never_give_a_server_error(client, active, post):
    for url in (OUTCOME_NL, FORM_NL, OUTCOME_EN):
        response = client.post(url, post)
        assert response.status_code in (200, 400), (url, post)


def test_bad_post_in_english_gives_an_english_message(client, active):
    response = client.post(OUTCOME_EN, {"region": "atlantis"})
    assert response.status_code == 400
    assert "Choose a region from the list" in text(response)


# --- privacy and security headers ------------------------------------------------------


def every_page(client: Client, catalogue):
    signal = soft_signals(catalogue)[0]
    yield client.get("/")
    yield client.get("/en/")
    yield client.get(FORM_NL)
    yield client.get(FORM_EN)
    yield client.post(FORM_NL, answers(signal))
    yield client.post(OUTCOME_NL, answers(signal))
    yield client.post(OUTCOME_EN, answers(signal))
    yield client.post(OUTCOME_NL, {"region": "atlantis"})
    yield client.get("/bestaat-niet/")


def test_no_page_sets_a_cookie(client, catalogue):
    for response in every_page(client, catalogue):
        assert "Set-Cookie" not in response.headers, response.request["PATH_INFO"]
        assert not response.cookies
    assert not client.cookies


def test_every_page_has_a_content_security_policy_and_no_inline_code(client, catalogue):
    for response in every_page(client, catalogue):
        policy = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        html = text(response)
        assert " style=" not in html and "<style" not in html
        # scripts only as files of our own (the search on the steps), never inline
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        assert len(scripts) == html.count("<script")
        for attributes, body in scripts:
            assert 'src="/static/' in attributes and not body.strip()


def test_answers_are_not_cached(client, catalogue):
    response = client.post(OUTCOME_NL, answers(soft_signals(catalogue)[0]))
    assert "no-store" in response.headers["Cache-Control"]


def test_posting_works_without_a_csrf_token(active):
    # The check is csrf_exempt on purpose (no side effects, no cookie): see lens/check/views.py.
    client = Client(enforce_csrf_checks=True)
    assert client.post(OUTCOME_NL, {}).status_code == 200
    assert client.post(FORM_NL, {}).status_code == 200


def test_without_a_catalogue_the_check_answers_503(client):
    for url in (FORM_NL, FORM_EN):
        response = client.get(url)
        assert response.status_code == 503
        assert "lens catalogue load" in text(response)
    response = client.post(OUTCOME_NL, {"signal_truancy": "yes"})
    assert response.status_code == 503
    assert "De signalencheck is nu niet beschikbaar" in text(response)
    assert client.get("/").status_code == 200  # the start page needs no catalogue


def test_engine_input_error_is_shown_as_a_form_error(client, catalogue, monkeypatch):
    # The form and the engine check codes against the same catalogue; should they ever
    # disagree, the person sees a Dutch form error, not a server error.
    from lens.check import views
    from lens.rules.engine import InputError, InputProblem

    def refuse(*args, **kwargs):
        raise InputError([InputProblem("signals", "truancy", "unknown signals code")])

    monkeypatch.setattr(views, "assess", refuse)
    response = client.post(OUTCOME_NL, answers(soft_signals(catalogue)[0]))
    assert response.status_code == 400
    html = text(response)
    assert "Sommige antwoorden passen niet bij de lijst met signalen" in html
    assert "truancy" not in squash(error_summary(html))  # no code the asker cannot read


def test_head_requests(client, active):
    assert client.head("/").status_code == 200
    assert client.head("/healthz").status_code == 200
    assert client.head(FORM_NL).status_code == 200


def test_a_parent_with_an_acute_outcome_is_told_112_first(client, acute_signal, catalogue):
    """At level 4 a parent's "What can you do now?" starts with calling 112, not with a
    conversation (outside probe); below level 4 it starts with the conversation."""

    def first_step(data) -> str:
        html = text(client.post(OUTCOME_NL, data | {"audience": "parent", "age": "under_16"}))
        call, talk = html.index("Bij acuut gevaar: bel 112"), html.index("Praat met de jongere")
        return "112" if call < talk else "talk"

    assert first_step(answers(acute_signal)) == "112"
    soft = next(s for s in catalogue.signals.values() if s.strength == "zacht" and not s.acute)
    assert first_step(answers(soft)) == "talk"


def test_a_huge_invalid_value_is_named_shortened(client, catalogue):
    """A refused value is named by its first 40 characters and "…": a 2 MB value posted
    to the outcome came back whole in the 400 page (outside probe)."""
    huge = "z" * 2_000_000
    response = client.post(OUTCOME_NL, {**answers(), "risk_factors": [huge]})
    assert response.status_code == 400
    assert len(response.content) < 200_000
    assert "z" * 40 + "…" in response.content.decode()
