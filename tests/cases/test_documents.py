"""The case's documents (issue 13 §3 and §4): the conversation sheet (page and PDF) and
the case report (a tagged PDF), read back with pdftotext, pdfinfo and pdftoppm; each
read in the access log; the identity only after a POST with a purpose (the logged
reveal); Dutch and English; bad input a 4xx with a reason."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse
from django.utils import translation

from lens.access.models import AccessLogEntry
from lens.access.rotation import sealed_of
from lens.catalogue import services
from lens.data.registry import Role
from tests import pdf_reading
from tests.registry import factories

from .conftest import walk

SECRET_FAMILY = "Zwanenvoetje"


@pytest.fixture
def walked(world, own_case):
    """The own case walked to a weighing: signals mapped, two consultations (one
    anonymous), a conversation and the five answers."""
    return walk(
        world.actor(Role.PROFESSIONAL), own_case, "map_signals", "consult", "converse", "weigh"
    )


def url(name: str, case, language: str = "nl") -> str:
    with translation.override(language):
        return reverse(name, kwargs={"case_id": case.pk})


def entries_since(before: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(id__gt=before).order_by("id"))


def last_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def pdf_text(response, tmp_path, name="doc.pdf") -> tuple[str, object]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    path = pdf_reading.write(response.content, tmp_path, name)
    return pdf_reading.text(path), path


# --- the conversation sheet ------------------------------------------------------------------


def test_the_sheet_page_shows_the_catalogue_advice_blind_spots_and_contacts(world, walked, login):
    catalogue, _ruleset = services.active()
    before = last_id()
    response = login(world.members[Role.PROFESSIONAL]).get(url("cases:conversation", walked))
    assert response.status_code == 200
    body = response.content.decode()
    helps = [t for t in catalogue.conversation_tips.values() if t.kind == "helps"]
    hinders = [t for t in catalogue.conversation_tips.values() if t.kind == "hinders"]
    assert helps and hinders
    for tip in helps + hinders:
        assert tip.label.nl in body, tip.code
    assert len(catalogue.thresholds) == 10
    for threshold in catalogue.thresholds.values():
        assert threshold.label.nl in body, threshold.code
    assert catalogue.principles["non_punishment"].explanation.nl in body
    assert catalogue.sources["seed_002"].title in body  # the source named
    assert catalogue.sources["seed_003"].title in body
    # The region's own contacts (the zorgcoördinator of Midden-Brabant) and the national.
    for contact in catalogue.contacts_for(world.own.region):
        if contact.phone and contact.phone != "112":
            assert contact.label.nl in body, contact.code
    # The own outcome's blind spots (the factories' one signal leaves areas unseen).
    assert "Wat u nog niet ziet" in body
    assert walked.person.pseudonym in body
    [entry] = entries_since(before)
    assert (entry.action, entry.object_type, entry.object_id) == ("read", "case", str(walked.pk))
    assert entry.purpose == "casus: gespreksvoorbereiding"
    assert entry.person_id == walked.person.pk


def test_the_sheet_in_english(world, walked, login):
    catalogue, _ruleset = services.active()
    response = login(world.members[Role.PROFESSIONAL]).get(url("cases:conversation", walked, "en"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Preparing the conversation" in body
    assert catalogue.thresholds["am_i_seeing_it_right"].label.en in body
    assert catalogue.principles["non_punishment"].label.en in body
    assert catalogue.thresholds["am_i_seeing_it_right"].label.nl not in body


def test_the_sheet_as_pdf_fits_two_a4_pages(world, walked, login, tmp_path):
    catalogue, _ruleset = services.active()
    before = last_id()
    response = login(world.members[Role.AANDACHTSFUNCTIONARIS]).get(
        url("cases:conversation_pdf", walked)
    )
    text, path = pdf_text(response, tmp_path)
    assert "Het gesprek voorbereiden" in text
    assert "Wat helpt en wat hindert in het gesprek" in text
    assert catalogue.principles["non_punishment"].label.nl in text
    assert "Wie kunt u bellen?" in text and "112" in text
    assert 1 <= pdf_reading.pages(path) <= 2
    assert pdf_reading.page_size_mm(path) == (210, 297)
    assert pdf_reading.info(path)["Tagged"] == "yes"
    [entry] = entries_since(before)
    assert entry.purpose == "casus: gespreksvoorbereiding als PDF"


# --- the case report -------------------------------------------------------------------------


def test_the_report_holds_signals_outcome_steps_consultations_weighing_and_decision(
    world, walked, login, tmp_path
):
    catalogue, _ruleset = services.active()
    before = last_id()
    response = login(world.members[Role.PROFESSIONAL]).get(url("cases:report", walked))
    text, path = pdf_text(response, tmp_path)
    person = walked.person
    assert f"Casusrapport {walked.pk}" in text
    assert person.pseudonym in text
    # Signals with their date and organisation.
    registration = world.own_registration
    signal = catalogue.signals[registration.signals[0]].label.nl
    assert signal in text
    assert registration.observed_on.strftime("%-d-%-m-%Y") in text
    assert world.own.name in text
    # The outcome with its explanation and versions.
    stored = person.outcomes.order_by("-computed_at", "-id").first()
    assert f"Niveau {stored.level}" in text
    assert stored.catalogue_version in text and stored.ruleset_version in text
    assert "Waarom dit niveau" in text
    # Steps, consultations (the anonymous one by its organisation only), the weighing
    # and the decision.
    for heading in ("Genomen stappen", "Consultaties", "Weging (afwegingskader)", "Besluit"):
        assert heading in text, heading
    assert "Gedaan: consult" in text and "Gedaan: weigh" in text
    assert "ZVH Midden-Brabant" in text and "anoniem" in text
    assert "mentor" in text
    # Pseudonymous: no name, birth date or BSN.
    identity = _identity(person)
    assert identity.family_name not in text and identity.given_names not in text
    assert "geen naam, geboortedatum of BSN" in text
    # Nothing of the other organisation.
    assert world.other.name not in text and world.other_person.pseudonym not in text
    # Tagged for accessibility: PDF/UA-1 with its structure tree and language.
    info = pdf_reading.info(path)
    assert info["Tagged"] == "yes" and info["PDF version"] == "1.7"
    assert info["Title"] == f"Casusrapport {walked.pk} \u2013 {person.pseudonym}"
    assert 'pdfuaid:part="1"' in pdf_reading.xmp(path)
    # One read, logged on the case.
    [entry] = entries_since(before)
    assert (entry.action, entry.object_type, entry.purpose) == (
        "read",
        "case",
        "casus: casusrapport",
    )


def _identity(person):
    from lens.access.crypto import open_identity

    return open_identity(sealed_of(person), person.pseudonym.encode())


def test_the_report_in_english(world, walked, login, tmp_path):
    response = login(world.members[Role.PROFESSIONAL]).get(url("cases:report", walked, "en"))
    text, _path = pdf_text(response, tmp_path)
    for heading in ("Case report", "Steps taken", "Consultations", "Weighing", "Decision"):
        assert heading in text, heading
    assert "Genomen stappen" not in text


def test_the_report_with_the_identity_needs_a_purpose_and_logs_the_reveal(
    world, walked, login, tmp_path
):
    client = login(world.members[Role.PROFESSIONAL])
    identity = _identity(walked.person)
    before = last_id()
    refused = client.post(url("cases:report", walked), {"purpose": " . "})
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("text/html")
    body = refused.content.decode()
    assert identity.family_name not in body
    assert "Zeg waarom u de identiteit nodig hebt" in body or "identiteit" in body
    assert not [e for e in entries_since(before) if e.action == "reveal"]
    before = last_id()
    response = client.post(url("cases:report", walked), {"purpose": "dossier Veilig Thuis"})
    text, _path = pdf_text(response, tmp_path)
    assert identity.family_name in text and identity.given_names in text
    assert "dossier Veilig Thuis" in text
    actions = [(e.action, e.object_type, e.purpose) for e in entries_since(before)]
    assert ("reveal", "identity", "dossier Veilig Thuis") in actions
    assert ("read", "case", "casus: casusrapport met identiteit") in actions


def test_a_colleague_may_read_the_report_the_other_organisation_may_not(world, walked, login):
    colleague = factories.membership(Role.PROFESSIONAL, world.own)
    assert login(colleague).get(url("cases:report", walked)).status_code == 200
    other = login(world.other_professional).get(url("cases:report", walked))
    assert other.status_code == 404
    assert walked.person.pseudonym not in other.content.decode()


def test_the_case_page_offers_the_documents(world, walked, login):
    body = login(world.members[Role.PROFESSIONAL]).get(url("cases:case", walked)).content.decode()
    assert url("cases:conversation", walked) in body
    assert url("cases:report", walked) in body
    assert 'name="purpose"' in body


def test_a_look_at_the_report(world, walked, login, tmp_path):
    """Page 1 rendered to PNG (pdftoppm): A4 with ink on it; the image is kept in
    tmp_path for a person to look at."""
    response = login(world.members[Role.PROFESSIONAL]).get(url("cases:report", walked))
    _text, path = pdf_text(response, tmp_path, "report.pdf")
    assert pdf_reading.inked_share(path) > 0.03
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(path), str(tmp_path / "look")],
        check=True,
        timeout=60,
    )
    assert (tmp_path / "look-1.png").exists()


def test_another_organisation_asking_the_identity_gets_404_and_nothing_is_revealed(
    world, walked, login
):
    before = last_id()
    response = login(world.other_professional).post(
        url("cases:report", walked), {"purpose": "dossier Veilig Thuis"}
    )
    assert response.status_code == 404
    assert _identity(walked.person).family_name not in response.content.decode()
    assert entries_since(before) == []


@pytest.mark.parametrize("role", [Role.ZORGCOORDINATOR, Role.ANALIST, Role.BEHEERDER])
def test_roles_without_person_data_get_403_before_anything_is_read(world, walked, login, role):
    before = last_id()
    client = login(world.members[role])
    assert client.post(url("cases:report", walked), {"purpose": "dossier"}).status_code == 403
    assert client.get(url("cases:report", walked)).status_code == 403
    assert entries_since(before) == []


def test_a_case_without_an_outcome_still_gives_both_documents(world, login, tmp_path):
    """A person without registrations has no outcome: the documents say so, no 500."""
    from .conftest import open_for

    actor = world.actor(Role.PROFESSIONAL)
    case = open_for(actor, factories.person(actor))
    client = login(world.members[Role.PROFESSIONAL])
    sheet = client.get(url("cases:conversation", case))
    assert sheet.status_code == 200
    assert "Uw organisatie heeft nog geen uitkomst voor deze persoon." in sheet.content.decode()
    text, _path = pdf_text(client.get(url("cases:report", case)), tmp_path)
    assert "Uw organisatie heeft nog geen uitkomst voor deze persoon." in text
    assert "Geen geldende signalen." in text and "Nog niet gewogen." in text


def test_a_long_unbroken_text_wraps_inside_the_report_page(world, own_case, login, tmp_path):
    """The outside probe: a step's 3,990 x "A" ran off the right edge of the report; only
    about 85 characters could be read. Every word's box stays inside the page."""
    import re

    from lens.cases import actions

    from .conftest import data

    long_word = "A" * 600
    actor = world.actor(Role.PROFESSIONAL)
    actions.take_step(actor, own_case, "map_signals", data("map_signals", done=long_word))
    response = login(world.members[Role.PROFESSIONAL]).get(url("cases:report", own_case))
    _text, path = pdf_text(response, tmp_path)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    widths = [float(w) for w in re.findall(r'<page width="([\d.]+)"', boxes)]
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', boxes)
    assert widths and words
    assert all(float(x_max) <= min(widths) for _x, x_max, _w in words)
    # all of it is there, in pieces that each fit
    assert sum(w.count("A") for _x, _m, w in words if set(w) == {"A"}) >= len(long_word)


def test_the_report_shows_every_weighing_and_a_decision_the_steps_support(
    world, own_case, login, tmp_path
):
    """The outside probe: a case weighed twice (first a report is due, then "not
    confirmed") showed only the latest weighing and "Besluit: Zorg niet bevestigd"
    while the report was still due."""
    from lens.cases import actions
    from tests.casework.factories import ALL_YES, NOT_CONFIRMED

    from .conftest import data

    actor = world.actor(Role.PROFESSIONAL)
    walk(actor, own_case, "map_signals", "consult", "converse")
    actions.take_step(
        actor, own_case, "weigh", data("weigh", done="Eerste weging", answers=ALL_YES)
    )
    actions.take_step(
        actor, own_case, "weigh", data("weigh", done="Tweede weging", answers=NOT_CONFIRMED)
    )
    first, second = own_case.steps.filter(transition="weigh").order_by("number")
    response = login(world.members[Role.PROFESSIONAL]).get(url("cases:report", own_case))
    text, _path = pdf_text(response, tmp_path)
    flat = " ".join(text.split())
    assert "Eerste weging" in flat and "Tweede weging" in flat
    for step in (first, second):
        assert f"(stap {step.number})" in flat, step.number
    assert "Zorg niet bevestigd: sluit de casus af" in flat  # what the second one proposed
    decision = flat.rsplit("Besluit", 1)[1]
    assert "Melden bij Veilig Thuis" in decision, decision
    assert "Zorg niet bevestigd" not in decision
