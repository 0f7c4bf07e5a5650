"""The check's outcome as a PDF summary (issue 12, section 3): made from the posted
answers as the outcome page is (lens.check.views.assess_posted), one A4 page, read back
with pdftotext/pdfinfo/pdftoppm; stored nowhere, no cookie."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone

from lens.api.models import ThrottleCount
from lens.check import summary as summary_module
from lens.check.forms import NOT_ASKED, signal_field_name
from lens.rules.engine import assess
from lens.rules.model import AssessmentInput, Observation
from lens.web import pdf
from tests import pdf_reading

from .test_views import OUTCOME_NL, answers, elements, text

pytestmark = pytest.mark.django_db

SUMMARY_NL, SUMMARY_EN = "/samenvatting.pdf", "/en/summary.pdf"


def summary(client, data, tmp_path, url=SUMMARY_NL):
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    return pdf_reading.write(response.content, tmp_path)


def test_the_summary_names_level_steps_contacts_and_what_was_seen(
    client, active, catalogue, soft_in_two_domains, region_with_own_contact, tmp_path
):
    first, second = soft_in_two_domains
    path = summary(client, answers(first, second, region=region_with_own_contact), tmp_path)
    found = pdf_reading.text(path)
    assert "Samenvatting van de signalencheck" in found
    assert first.label.get("nl") in found and second.label.get("nl") in found
    assert "Wat kunt u nu doen?" in found and "Wie kunt u bellen?" in found
    assert "Wat zie ik nog niet?" in found and "112" in found
    contact = next(
        c for c in catalogue.contacts.values() if c.region == region_with_own_contact and c.phone
    )
    assert contact.phone in found
    assert catalogue.regions[region_with_own_contact].label.get("nl") in found
    assert pdf_reading.pages(path) == 1
    assert pdf_reading.page_size_mm(path) == (210, 297)
    assert pdf_reading.inked_share(path) > 0.02  # page 1 has text on it, not a blank page
    assert pdf_reading.info(path)["Tagged"] == "yes"  # PDF/UA-1, as every PDF here


def test_the_level_is_the_outcome_pages_level(client, active, soft_in_two_domains, tmp_path):
    catalogue, ruleset = active
    first, second = soft_in_two_domains
    data = AssessmentInput(signals=(Observation(first.code), Observation(second.code)))
    expected = assess(catalogue, ruleset, data, today=timezone.localdate()).level
    found = pdf_reading.text(summary(client, answers(first, second), tmp_path))
    assert f"Niveau {expected.number} van 4: {expected.label.get('nl')}" in found


@pytest.mark.parametrize("audience", ["professional", "parent"])
def test_everything_answered_still_fits_one_page(
    client, catalogue, acute_signal, region_with_own_contact, audience, tmp_path
):
    """The README promises one A4 page: the compact layout (static/css/pdf.css,
    .pdf-summary) holds every signal and risk factor, a region's contacts and the steps."""
    everything = answers(
        *catalogue.signals.values(),
        risk_factors=list(catalogue.risk_factors),
        region=region_with_own_contact,
    )
    path = summary(client, everything | {"audience": audience}, tmp_path)
    found = pdf_reading.text(path)
    assert "Acuut gevaar: bel nu 112" in found
    assert pdf_reading.pages(path) == 1


def test_nothing_answered_is_level_0_on_one_page(client, active, tmp_path):
    # what the outcome page's form posts when nothing was answered
    path = summary(client, {"summary": "1"}, tmp_path)
    found = pdf_reading.text(path)
    assert "Niveau 0 van 4" in found and "U heeft bij geen enkel signaal ja geantwoord" in found
    assert pdf_reading.pages(path) == 1


def test_in_english(client, active, soft_in_two_domains, tmp_path):
    first, second = soft_in_two_domains
    found = pdf_reading.text(summary(client, answers(first, second), tmp_path, SUMMARY_EN))
    assert "Summary of the signal check" in found and first.label.get("en") in found


def test_a_get_goes_to_the_form_and_bad_answers_are_refused_in_dutch(client, catalogue):
    assert client.get(SUMMARY_NL)["Location"] == "/signalen/"
    some = next(iter(catalogue.signals))
    response = client.post(SUMMARY_NL, {signal_field_name(some): "misschien"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "geldige keuze" in text(response) or "Kies" in text(response)


def test_the_outcome_page_posts_its_answers_to_the_summary(client, soft_in_two_domains):
    first, second = soft_in_two_domains
    html = text(client.post(OUTCOME_NL, answers(first, second)))
    forms = [attrs for _, attrs in elements(html, "form") if attrs.get("action") == SUMMARY_NL]
    assert len(forms) == 1 and forms[0]["method"] == "post"
    part = html[html.index(f'action="{SUMMARY_NL}"') :]
    part = part[: part.index("</form>")]
    assert f'name="{signal_field_name(first.code)}" value="yes"' in part
    assert "Samenvatting downloaden (PDF)" in part


def test_making_the_summary_writes_nothing_to_the_database(client, soft_in_two_domains):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, second = soft_in_two_domains
    client.post(SUMMARY_NL, answers(first, second))  # the catalogue cache warmed up
    with CaptureQueriesContext(connection) as queries:
        response = client.post(SUMMARY_NL, answers(first, second))
    assert response.status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and ThrottleCount._meta.db_table not in q["sql"]  # the address's budget, below
    ]
    assert not writes, writes
    # The budget's count names a keyed hash of the address, never the address or answers.
    assert [c.key.split(":")[1] for c in ThrottleCount.objects.all()] == ["summary_pdf"]
    assert not ThrottleCount.objects.filter(key__contains="127.0.0.1").exists()


def test_the_same_answers_again_are_kept_and_an_address_has_a_budget(
    client, active, soft_in_two_domains, monkeypatch
):
    """The probe: each summary cost ~0.55 s CPU, with no login and no limit. The same
    answers again come from the cache (made once); past the address's budget 429 with
    Retry-After and a Dutch page; another address is not held back."""
    made = []
    render = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: made.append(1) or render(*a, **k))
    summary_module.SUMMARIES.clear()
    first, second = soft_in_two_domains
    data = answers(first, second)
    one, again = client.post(SUMMARY_NL, data), client.post(SUMMARY_NL, data)
    assert one.status_code == again.status_code == 200
    assert one.content == again.content and len(made) == 1
    budget = int(settings.PAGE_THROTTLE_RATES["summary_pdf"].split("/")[0])
    answered = [client.post(SUMMARY_NL, data) for _ in range(2 * budget)]
    codes = [r.status_code for r in answered]
    assert 429 in codes
    # 2 above, then `budget` in all (more only when a new minute began in between)
    assert budget - 2 <= codes.index(429) <= 2 * budget - 2
    refused = answered[codes.index(429)]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Wacht" in text(refused) and "probeer het opnieuw" in text(refused)
    # On the check's own layout: not the registration's header and access-log footer, which
    # would contradict "nothing is stored" (outside probe, December 2026).
    page = refused.content.decode()
    assert "Deze check slaat niets op" in page
    assert "toegangslogboek" not in page and "registratie</span>" not in page
    assert client.post(SUMMARY_NL, data, REMOTE_ADDR="192.0.2.9").status_code == 200


@pytest.mark.parametrize(
    ("url", "lang", "parent_step", "forbidden"),
    [
        (SUMMARY_NL, "nl", "Praat met de jongere", ("meldcode", "aandachtsfunctionaris")),
        (SUMMARY_EN, "en", "Talk with the young person", ("reporting code", "designated")),
    ],
)
def test_a_parent_gets_the_parents_steps_never_the_meldcode(
    client, catalogue, url, lang, parent_step, forbidden, tmp_path
):
    """The summary follows the chosen audience as the outcome page does
    (lens.check.next_steps.next_steps): at every level a parent gets what a parent can do."""
    signals = [s for s in catalogue.signals.values() if s.code not in NOT_ASKED]
    acute = [s for s in signals if s.acute][:1]
    strong = [s for s in signals if s.strength == "sterk" and not s.acute][:3]
    soft = [s for s in signals if s.strength == "zacht" and not s.acute][:12]
    meldcode = [s for s in catalogue.steps.values() if s.route == "meldcode"]
    professional_steps = {step.label.get(lang) for step in meldcode if step.number >= 2}
    assert professional_steps
    for yes in (soft[:1], soft + strong, acute):
        data = answers(*yes) | {"audience": "parent", "age": "16_17"}
        found = pdf_reading.text(summary(client, data, tmp_path, url))
        lowered = found.lower()
        assert parent_step in found
        for word in forbidden:
            assert word not in lowered, (word, found)
        for label in professional_steps:
            assert label not in found, label
    # the same answers from a professional do name the meldcode's steps (the test can fail)
    found = pdf_reading.text(summary(client, answers(*soft, *strong), tmp_path, url))
    assert parent_step not in found
    assert any(label in found for label in professional_steps)


def test_an_empty_post_is_refused_in_dutch(client, active):
    response = client.post(SUMMARY_NL, {})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Er zijn geen antwoorden ontvangen" in text(response)
    english = client.post(SUMMARY_EN, {})
    assert english.status_code == 400 and "No answers were received" in text(english)


def test_the_outcome_page_with_nothing_answered_still_gets_its_summary(client, active, tmp_path):
    html = text(client.post(OUTCOME_NL, {}))
    part = html[html.index(f'action="{SUMMARY_NL}"') :]
    part = part[: part.index("</form>")]
    posted = {a["name"]: a["value"] for _, a in elements(part, "input")}
    assert posted  # never an empty POST
    path = summary(client, posted, tmp_path)
    assert "Niveau 0 van 4" in pdf_reading.text(path)


def test_dont_know_to_danger_now_gives_the_safety_guidance_on_paper(client, catalogue, tmp_path):
    data = {"summary": "1", signal_field_name("direct_danger_now"): "unknown"}
    found = " ".join(pdf_reading.text(summary(client, data, tmp_path)).split())
    assert "Twijfelt u of er nu gevaar is? Bel 112 bij direct gevaar" in found
    phones = {c.role: c.phone for c in catalogue.contacts.values() if c.phone and not c.region}
    assert phones["veilig_thuis"] in found and phones["police"] in found
    assert catalogue.signals["direct_danger_now"].label.nl not in found
