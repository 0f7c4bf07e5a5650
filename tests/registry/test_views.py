"""The registry pages through the test client: forms, Dutch errors with status 400 and
nothing written, no names until revealed, and a log entry for every read."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from lens.access import log
from lens.access.models import AccessLogEntry, Action
from lens.data.registry import Person, Role
from lens.registry import actions
from tests.access.spreadsheet import formulas

from . import factories
from .conftest import OTHER_NOTE
from .factories import counts

pytestmark = pytest.mark.django_db

GIVEN, FAMILY = "Zwaantje", "Testdata-Verzonnen"


def url(name, **kwargs) -> str:
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs)


def text(response) -> str:
    body = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def soft(catalogue, n=1):
    return [s.code for s in catalogue.signals.values() if s.strength == "zacht" and not s.acute][:n]


def new_person_data(catalogue, **overrides):
    data = {
        "given_names": GIVEN,
        "family_name": FAMILY,
        "birth_date": "2011-04-05",
        "bsn": "",
        "sex": "",
        "signals": soft(catalogue, 2),
        "observed_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "how_learned": "seen_myself",
        "context_note": "Gezien op het schoolplein.",
        "risk_factors": [],
    }
    data.update(overrides)
    return data


@pytest.fixture
def professional(world, login):
    return login(world.members[Role.PROFESSIONAL])


# --- registering a new person --------------------------------------------------------------


def test_the_form_groups_signals_by_leefgebied(professional, catalogue):
    response = professional.get(url("registry:register"))
    assert response.status_code == 200
    html = response.content.decode()
    for domain in catalogue.life_domains.values():
        if any(s.life_domains[:1] == (domain.code,) for s in catalogue.signals.values()):
            assert escape(domain.label.nl) in html
    for signal in catalogue.signals.values():
        # a check-only question (is there danger now?) is never registered
        assert (f'value="{signal.code}"' in html) != signal.check_only, signal.code
    assert 'name="given_names"' in html and 'name="bsn"' in html
    assert "<script" not in html and "style=" not in html


def test_registering_a_new_person(professional, catalogue, world):
    before = Person.objects.count()
    response = professional.post(url("registry:register"), new_person_data(catalogue))
    assert response.status_code == 302
    person = Person.objects.exclude(pk__in=[world.own_person.pk, world.other_person.pk]).get()
    assert Person.objects.count() == before + 1
    assert response["Location"] == url("registry:person", pseudonym=person.pseudonym)
    assert person.registrations.count() == 1 and person.outcomes.count() == 1
    actions_logged = list(
        AccessLogEntry.objects.filter(person_id=person.pk).values_list("action", flat=True)
    )
    assert actions_logged == [Action.CREATE, Action.CREATE]  # the person, the registration
    page = professional.get(response["Location"])
    assert page.status_code == 200
    assert "Geregistreerd als " + person.pseudonym in text(page)


def test_registering_a_known_person_adds_to_them(professional, catalogue):
    bsn = factories.valid_bsn(11)
    professional.post(url("registry:register"), new_person_data(catalogue, bsn=bsn))
    person = Person.objects.latest("pk")
    response = professional.post(
        url("registry:register"),
        new_person_data(catalogue, bsn=bsn, given_names="Anders", family_name="Gespeld"),
        follow=True,
    )
    assert Person.objects.latest("pk") == person
    assert person.registrations.count() == 2
    assert "was al bekend in uw organisatie als " + person.pseudonym in text(response)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"bsn": "123456789"}, "bsn", "Dit is geen geldig BSN"),
        ({"given_names": ""}, "given_names", "Vul de voornamen in."),
        ({"given_names": "\u200b\u200b"}, "given_names", "minstens één letter"),
        ({"family_name": "\U0001f600"}, "family_name", "minstens één letter"),
        ({"given_names": "A\x07\x1b[2J"}, "given_names", "Haal de stuurtekens"),
        ({"family_name": "Jansen\x07\x7f\u0085"}, "family_name", "Haal de stuurtekens"),
        ({"given_names": "\u202eevil"}, "given_names", "onzichtbare opmaaktekens"),
        ({"family_name": "Jan\u2066sen"}, "family_name", "onzichtbare opmaaktekens"),
        ({"birth_date": "31-02-2010"}, "birth_date", "Vul een geldige datum in"),
        ({"birth_date": "2999-01-01"}, "birth_date", "Deze datum ligt in de toekomst."),
        ({"signals": []}, "signals", "Vink minstens één signaal aan."),
        ({"signals": ["made_up"]}, "signals", "staat niet in de lijst"),
        ({"observed_on": ""}, "observed_on", "Vul een datum in."),
        ({"how_learned": ""}, "how_learned", "Kies hoe u dit weet."),
        ({"risk_factors": ["made_up"]}, "risk_factors", "staat niet in de lijst"),
        ({"context_note": "x" * 4001}, "context_note", "4000"),
    ],
)
def test_bad_input_gets_a_dutch_message_at_the_field_and_nothing_is_written(
    professional, catalogue, overrides, field, message
):
    before = counts()
    response = professional.post(url("registry:register"), new_person_data(catalogue, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    errors = re.findall(
        r'<p class="utrecht-form-field-error-message lens-error" id="id_([a-z_]+)_error">(.*?)</p>',
        html,
        re.S,
    )
    assert field in dict(errors), errors
    assert message in dict(errors)[field]
    assert "Er is een probleem" in html  # the error summary
    assert counts() == before
    # What was typed is kept (except the field in error when it cannot be shown).
    if field != "given_names":
        assert f'value="{GIVEN}"' in html


def test_english_pages(professional):
    response = professional.get("/en" + url("registry:register"))
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    assert "Register signals about a new person" in text(response)


# --- the person page -----------------------------------------------------------------------


def register_new(client, catalogue, **overrides) -> Person:
    client.post(url("registry:register"), new_person_data(catalogue, **overrides))
    return Person.objects.latest("pk")


def test_no_name_on_any_page_until_revealed(professional, catalogue):
    person = register_new(professional, catalogue, bsn=factories.valid_bsn(12))
    pages = [
        url("registry:persons"),
        url("registry:person", pseudonym=person.pseudonym),
        url("registry:register_more", pseudonym=person.pseudonym),
        url("registry:informed", pseudonym=person.pseudonym),
        url("registry:reveal", pseudonym=person.pseudonym),
    ]
    for page in pages:
        body = professional.get(page).content.decode()
        assert GIVEN not in body and FAMILY not in body and "2011" not in body, page
    reveal_url = url("registry:reveal", pseudonym=person.pseudonym)
    refused = professional.post(reveal_url, {"purpose": " "})
    assert refused.status_code == 400 and GIVEN not in refused.content.decode()
    assert "Zeg waarom u de identiteit nodig hebt." in text(refused)
    shown = professional.post(reveal_url, {"purpose": "melding aan Veilig Thuis"})
    assert shown.status_code == 200
    assert GIVEN in text(shown) and FAMILY in text(shown) and "5 april 2011" in text(shown)
    assert "no-store" in shown["Cache-Control"]
    entry = AccessLogEntry.objects.filter(action=Action.REVEAL).get()
    assert (entry.person_id, entry.purpose) == (person.pk, "melding aan Veilig Thuis")
    # Shown once: the person page is pseudonymous again.
    again = professional.get(url("registry:person", pseudonym=person.pseudonym))
    assert GIVEN not in again.content.decode()


def test_every_person_read_writes_a_log_entry(professional, world):
    person = world.own_person
    for name, purpose in [
        ("registry:person", "persoonspagina"),
        ("registry:register_more", "formulier: signalen toevoegen"),
        ("registry:informed", "formulier: informeren"),
        ("registry:reveal", "formulier: identiteit tonen"),
    ]:
        before = AccessLogEntry.objects.count()
        assert professional.get(url(name, pseudonym=person.pseudonym)).status_code == 200
        [entry] = AccessLogEntry.objects.all()[before:]
        assert (entry.action, entry.person_id, entry.purpose) == (Action.READ, person.pk, purpose)
    registration = world.own_registration
    for name in ("registry:correct", "registry:withdraw"):
        before = AccessLogEntry.objects.count()
        page = professional.get(
            url(name, pseudonym=person.pseudonym, registration_id=registration.pk)
        )
        assert page.status_code == 200
        assert AccessLogEntry.objects.count() == before + 1


@pytest.mark.parametrize("name", ["registry:correct", "registry:withdraw"])
def test_a_change_form_for_no_registration_of_the_person_shows_and_logs_nothing(
    professional, world, name
):
    """Another organisation's registration id, a made-up id, a corrected (older) version:
    404 or back to the person's page, and no access-log entry: nothing was shown (issue
    10, M3)."""
    person = world.own_person
    older = world.own_registration
    factories.registration(world.actor(Role.PROFESSIONAL), person)
    actions.withdraw_registration(world.actor(Role.PROFESSIONAL), older, "Vergissing.")
    before = AccessLogEntry.objects.count()
    for registration_id, status in (
        (world.other_registration.pk, 404),
        (987654, 404),
        (older.pk, 302),
    ):
        page = professional.get(
            url(name, pseudonym=person.pseudonym, registration_id=registration_id)
        )
        assert page.status_code == status, registration_id
    assert AccessLogEntry.objects.count() == before


SAY_WHY = "Zeg waarom u de identiteit nodig hebt."
IN_WORDS = "Zeg in woorden waarom: minstens 3 letters of cijfers."


@pytest.mark.parametrize(
    ("purpose", "message"),
    [
        (".", IN_WORDS),
        ("...", IN_WORDS),
        ("ok", IN_WORDS),
        ("\u2060\ufeff\u200e-", IN_WORDS),
        ("\u200b", SAY_WHY),  # invisible only: nothing was said
        ("\u200b\u200b", SAY_WHY),
        ("\u3164\u3164\u3164", SAY_WHY),  # Hangul fillers: letters that show nothing
    ],
)
def test_a_purpose_that_says_nothing_reveals_nothing(professional, catalogue, purpose, message):
    person = register_new(professional, catalogue, bsn=factories.valid_bsn(13))
    refused = professional.post(
        url("registry:reveal", pseudonym=person.pseudonym), {"purpose": purpose}
    )
    assert refused.status_code == 400
    assert GIVEN not in refused.content.decode()
    assert message in text(refused)
    assert not AccessLogEntry.objects.filter(action=Action.REVEAL).exists()


def test_the_purpose_is_logged_without_its_invisible_characters(professional, catalogue):
    person = register_new(professional, catalogue, bsn=factories.valid_bsn(14))
    shown = professional.post(
        url("registry:reveal", pseudonym=person.pseudonym),
        {"purpose": "\u200bmelding\u00a0 aan\u200b Veilig\u2028Thuis\u202e"},
    )
    assert shown.status_code == 200 and GIVEN in text(shown)
    entry = AccessLogEntry.objects.get(action=Action.REVEAL)
    assert entry.purpose == "melding aan Veilig Thuis"


def test_the_list_logs_each_person_shown(professional, world):
    before = AccessLogEntry.objects.count()
    response = professional.get(url("registry:persons"))
    assert response.status_code == 200
    [entry] = AccessLogEntry.objects.all()[before:]
    assert (entry.action, entry.person_id) == (Action.LIST, world.own_person.pk)


def test_no_page_without_its_log_entry(professional, world, monkeypatch):
    def failing(*args, **kwargs):
        raise RuntimeError("log down")

    monkeypatch.setattr(log, "write_many", failing)  # record() writes through it
    for page in (
        url("registry:persons"),
        url("registry:person", pseudonym=world.own_person.pseudonym),
    ):
        with pytest.raises(RuntimeError, match="log down"):
            professional.get(page)
    with pytest.raises(RuntimeError, match="log down"):
        professional.post(
            url("registry:reveal", pseudonym=world.own_person.pseudonym), {"purpose": "doel"}
        )


def test_the_person_page_shows_outcome_and_timeline(professional, world, catalogue):
    page = professional.get(url("registry:person", pseudonym=world.own_person.pseudonym))
    body = text(page)
    assert "Waarom dit niveau?" in body
    assert "Wat zie ik nog niet?" in body
    code = world.own_registration.signals[0]
    assert catalogue.signals[code].label.nl in body
    assert "Context-van-de-eigen-organisatie" in body
    assert OTHER_NOTE not in body
    assert "nog niet vastgelegd" in body.lower()  # informing not recorded yet


def test_the_list_shows_level_and_filters(professional, world, catalogue, active):
    _catalogue, ruleset = active
    response = professional.get(url("registry:persons"))
    level = world.own_person.outcomes.latest().level
    assert world.own_person.pseudonym in text(response)
    label = next(lv.label.nl for lv in ruleset.levels if lv.number == level)
    assert f"{level} · {label}" in text(response)
    other_level = (level + 1) % 5
    filtered = professional.get(url("registry:persons"), {"niveau": str(other_level)})
    assert world.own_person.pseudonym not in text(filtered)
    assert professional.get(url("registry:persons"), {"niveau": "x"}).status_code == 400


def test_the_list_is_paginated(professional, world, monkeypatch):

    monkeypatch.setattr("lens.web.pages.PAGE_SIZE", 2)
    actor = world.actor(Role.PROFESSIONAL)
    for _ in range(3):
        factories.registration(actor, factories.person(actor))
    first = professional.get(url("registry:persons"))
    assert "Pagina 1 van 2" in text(first)
    second = professional.get(url("registry:persons"), {"pagina": "2"})
    assert second.status_code == 200 and "Pagina 2 van 2" in text(second)
    assert professional.get(url("registry:persons"), {"pagina": "99"}).status_code == 400


# --- more signals, correcting, withdrawing, informing ----------------------------------------


def test_register_more_signals(professional, world, catalogue):
    person = world.own_person
    data = {k: v for k, v in new_person_data(catalogue).items() if k not in ("given_names",)}
    response = professional.post(url("registry:register_more", pseudonym=person.pseudonym), data)
    assert response.status_code == 302
    assert person.registrations.count() == 2


def test_correcting_adds_a_version_shown_on_the_page(professional, world, catalogue):
    person, registration = world.own_person, world.own_registration
    data = new_person_data(catalogue, context_note="Gecorrigeerde context.")
    response = professional.post(
        url("registry:correct", pseudonym=person.pseudonym, registration_id=registration.pk),
        data,
    )
    assert response.status_code == 302
    page = text(professional.get(response["Location"]))
    assert "versie 2" in page and "1 eerdere versie" in page
    assert "Gecorrigeerde context." in page
    # The superseded version cannot be corrected again: back to the person page.
    again = professional.get(
        url("registry:correct", pseudonym=person.pseudonym, registration_id=registration.pk)
    )
    assert again.status_code == 302


def test_correcting_with_bad_input_writes_nothing(professional, world, catalogue):
    before = counts()
    response = professional.post(
        url(
            "registry:correct",
            pseudonym=world.own_person.pseudonym,
            registration_id=world.own_registration.pk,
        ),
        new_person_data(catalogue, signals=[]),
    )
    assert response.status_code == 400
    assert "Vink minstens één signaal aan." in text(response)
    assert counts() == before


def test_withdrawing_needs_a_reason(professional, world):
    target = url(
        "registry:withdraw",
        pseudonym=world.own_person.pseudonym,
        registration_id=world.own_registration.pk,
    )
    before = counts()
    refused = professional.post(target, {"reason": "   "})
    assert refused.status_code == 400
    assert "Geef de reden van het intrekken." in text(refused)
    assert counts() == before
    done = professional.post(target, {"reason": "Verkeerde persoon."})
    assert done.status_code == 302
    page = text(professional.get(done["Location"]))
    assert "ingetrokken" in page and "Verkeerde persoon." in page


@pytest.mark.parametrize("name", ["registry:correct", "registry:withdraw"])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("whose", ["own", "other"])
def test_a_registration_of_another_organisation_is_404(
    professional, world, catalogue, name, method, whose
):
    """Own pseudonym with their registration id, or theirs with it: 404, nothing written,
    nothing of theirs in the answer, whether the form is valid or not."""
    person = world.own_person if whose == "own" else world.other_person
    target = url(name, pseudonym=person.pseudonym, registration_id=world.other_registration.pk)
    valid = {
        "signals": soft(catalogue, 1),
        "observed_on": timezone.localdate().isoformat(),
        "how_learned": "seen_myself",
        "reason": "Verkeerde persoon.",
    }
    before = counts()
    response = getattr(professional, method)(target, valid if method == "post" else {})
    assert response.status_code == 404
    assert OTHER_NOTE not in response.content.decode()
    # Nothing written; the log names nobody of theirs. (A GET with the own pseudonym logs
    # the read of the own person before it finds no such registration.)
    assert counts()[:-1] == before[:-1]
    assert not AccessLogEntry.objects.filter(person_id=world.other_person.pk).exclude(
        user_id=world.other_professional.user_id
    )


@pytest.mark.parametrize("name", ["registry:register_more", "registry:informed", "registry:reveal"])
def test_posting_for_another_organisations_person_is_404(professional, world, catalogue, name):
    valid = {
        "signals": soft(catalogue, 1),
        "observed_on": timezone.localdate().isoformat(),
        "how_learned": "seen_myself",
        "informed": "no",
        "reason_not": "Gevaar.",
        "purpose": "Melding.",
    }
    before = counts()
    response = professional.post(url(name, pseudonym=world.other_person.pseudonym), valid)
    assert response.status_code == 404
    assert counts() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Kies ja of nee."),
        ({"informed": "yes", "who": "person"}, "Vul in wanneer ze zijn geïnformeerd."),
        ({"informed": "yes", "informed_on": "2020-01-01"}, "Kies wie is geïnformeerd."),
        ({"informed": "no"}, "Geef de reden om niet te informeren."),
    ],
)
def test_informed_form_errors(professional, world, data, message):
    before = counts()
    response = professional.post(
        url("registry:informed", pseudonym=world.own_person.pseudonym), data
    )
    assert response.status_code == 400
    assert message in text(response)
    assert counts() == before


def test_informed_is_shown_on_the_person_page(professional, world):
    response = professional.post(
        url("registry:informed", pseudonym=world.own_person.pseudonym),
        {"informed": "no", "reason_not": "Informeren brengt de persoon in gevaar."},
        follow=True,
    )
    assert "Niet geïnformeerd" in text(response)
    assert "Informeren brengt de persoon in gevaar." in text(response)


# --- wie heeft dit ingezien ----------------------------------------------------------------


def test_access_log_for_the_aandachtsfunctionaris(client, world, login):
    login(world.members[Role.AANDACHTSFUNCTIONARIS])
    pseudonym = world.own_person.pseudonym
    client.get(url("registry:person", pseudonym=pseudonym))
    page = client.get(url("registry:access_log", pseudonym=pseudonym))
    assert page.status_code == 200
    assert "persoonspagina" in text(page)
    assert AccessLogEntry.objects.latest("id").action == Action.EXPORT
    export = client.get(url("registry:access_log_csv", pseudonym=pseudonym))
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    assert "attachment" in export["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0]["person_pseudonym"] == pseudonym
    assert {"persoonspagina", "wie heeft dit ingezien: lijst"} <= {r["purpose"] for r in rows}
    last = AccessLogEntry.objects.latest("id")
    assert (last.action, last.purpose) == (Action.EXPORT, "wie heeft dit ingezien: CSV-export")


def test_csv_export_defuses_formulas(client, world, login):
    login(world.members[Role.AANDACHTSFUNCTIONARIS])
    pseudonym = world.own_person.pseudonym
    for agent in ("=HYPERLINK()", "Mozilla/5.0 ;=cmd|' /C calc'!A0"):
        client.get(url("registry:person", pseudonym=pseudonym), headers={"user-agent": agent})
    export = client.get(url("registry:access_log_csv", pseudonym=pseudonym))
    content = export.content.decode("utf-8-sig")
    assert "'=HYPERLINK()" in content and ";'=cmd|' /C calc'!A0" in content
    # Split on ',' or on ';' (Dutch Excel), with or without honouring quotes: no formula.
    assert formulas(content) == []


# --- no catalogue --------------------------------------------------------------------------


def test_without_a_catalogue_the_registry_says_so(client, db, login):
    org = factories.organisation()
    login(factories.membership(Role.PROFESSIONAL, org))
    response = client.get(url("registry:persons"))
    assert response.status_code == 503
    assert "lens catalogue load" in text(response)
