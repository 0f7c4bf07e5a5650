# ruff: noqa: F811 - the fixtures imported by name
"""The access request through the real URLconf, as the person reads it: labels and codes
in words (Dutch, English on the English page), a reference's own message, the staff's
network address and browser left out, and the export named in "Wie heeft dit ingezien"."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from lens.access.models import AccessLogEntry
from lens.data.registry import HowLearned, Role
from tests.registry.test_views import text

from .test_access_request import (  # noqa: F401 - fixtures, used by name
    active,
    catalogue,
    catalogue_files,
    held,
    login,
    post,
    url,
    world,
)

pytestmark = pytest.mark.django_db

RAW = ("given_names", "family_name", "birth_date", "observed_on", "how_learned",
       "told_by_person", "context_note", "ip_address", "user_agent", "access_request")  # fmt: skip


@pytest.fixture
def told(world):
    from lens.data.registry import Registration

    Registration.objects.filter(pk=world.own_registration.pk).update(
        how_learned=HowLearned.TOLD_BY_PERSON
    )


def readable(client, person, language="nl"):
    with translation.override(language):
        path = reverse("retention:access_request", kwargs={"pseudonym": person.pseudonym})
    return post(client, path, reference="Verzoek 2026-20", format="html", identity="on")


def test_the_readable_page_shows_labels_and_codes_in_dutch(world, held, told, login):
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    response = readable(officer, world.own_person)
    assert response.status_code == 200
    body = text(response)
    for raw in RAW:
        assert f" {raw} " not in body, raw
    for words in (
        "Voornamen",
        "Achternaam",
        "Geboortedatum",
        "Datum waargenomen",
        "Hoe bekend geworden",
        "Verteld door de persoon",
        "Context",
        "Signalen in kaart brengen",  # a step's transition
        "Advies gegeven",  # the referral's answer
    ):
        assert words in body, words
    signal = world.own_registration.signals[0]
    from lens.catalogue import services

    assert services.active()[0].signals[signal].label.get("nl") in body


def test_the_readable_page_in_english(world, held, told, login):
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    body = text(readable(officer, world.own_person, "en"))
    for words in ("Given names", "Family name", "Date of birth", "Told by the person"):
        assert words in body, words
    assert " told_by_person " not in body and " given_names " not in body


def test_a_reference_of_one_letter_gets_a_reference_message(world, login):
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    response = post(
        officer,
        url("retention:access_request", pseudonym=world.own_person.pseudonym),
        reference="t",
        format="json",
    )
    assert response.status_code == 400
    body = text(response)
    assert "Geef het kenmerk van het verzoek: minstens 3 letters of cijfers." in body
    assert "Zeg in woorden waarom" not in body


def test_the_export_leaves_out_staff_addresses_and_browsers(world, held, login):
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    officer.get(url("registry:person", pseudonym=world.own_person.pseudonym), HTTP_USER_AGENT="B/1")
    assert AccessLogEntry.objects.filter(user_agent="B/1").exclude(ip_address=None).exists()
    response = post(
        officer,
        url("retention:access_request", pseudonym=world.own_person.pseudonym),
        reference="Verzoek 2026-21",
        format="json",
    )
    document = json.loads(response.content)
    assert document["access_log"]
    for entry in document["access_log"]:
        assert "ip_address" not in entry and "user_agent" not in entry
        assert entry["role"] and entry["organisation_name"] is not None and entry["purpose"]


def test_who_has_seen_this_names_the_access_request(world, held, login):
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    readable(officer, world.own_person)
    body = text(officer.get(url("registry:access_log", pseudonym=world.own_person.pseudonym)))
    assert "access_request" not in body
    assert "geëxporteerd: alles wat de organisatie vastlegt (inzageverzoek)" in body
    assert "inzageverzoek (AVG art. 15): Verzoek 2026-20" in body
    with translation.override("en"):
        english = reverse("registry:access_log", kwargs={"pseudonym": world.own_person.pseudonym})
    body = text(officer.get(english))
    assert "exported: everything the organisation holds (access request)" in body
    assert "access request (GDPR art. 15): Verzoek 2026-20" in body


@pytest.fixture
def placed(world):
    from lens.data.registry import Registration

    Registration.objects.filter(pk=world.own_registration.pk).update(
        municipality_code="GM0855", wijk_code="WK085510", areas_year=2024
    )


def test_the_readable_page_is_for_the_person_it_is_about(world, held, told, placed, login):
    """No internal codes, database numbers, user names, digests or ISO times; staff as
    role and organisation; places by name; versions by their month; no empty labels."""
    from lens.data.registry import PersonOutcome

    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    response = readable(officer, world.own_person)
    page = response.content.decode()
    body = text(response)
    users = [m.user.get_username() for m in world.members.values()]
    for secret in users:
        assert secret not in body, secret
    for digest in PersonOutcome.objects.values_list("digest", flat=True):
        assert not digest or digest not in body
    catalogue_version = world.own_registration.catalogue_version
    assert catalogue_version not in body and catalogue_version.split("-")[1] not in body
    for raw in ("GM0855", "WK085510", "Nummer", "Versie van het formaat", "Objectnummer"):
        assert raw not in body, raw
    assert not re.search(r"\d{4}-\d{2}-\d{2}", body), "an ISO date or time"
    assert "Tilburg" in body and "wijk 10 van Tilburg" in body
    assert "versie van december 2026" in body
    assert re.search(r"\d{1,2} \w+ 20\d\d om \d\d:\d\d", body), "a time written out"
    assert "Professional bij Eigen Synthetische School" in body
    assert "Gedaan: Signalen in kaart brengen" in body and "map_signals" not in body
    # The outcome in words: counted signals, not the engine's rules and numbers.
    from lens.catalogue import services

    signal = services.active()[0].signals[world.own_registration.signals[0]]
    assert f"Meegetelde signalen: {signal.label.get('nl')}." in body
    assert "regel '" not in body and "nodig:" not in body
    # Every label has a value: no <dt> followed by an empty <dd>.
    assert not re.search(r"<dd>\s*</dd>", page)


def test_the_readable_page_is_the_default(world, held, login):
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    path = url("retention:access_request", pseudonym=world.own_person.pseudonym)
    form = text(officer.get(path))
    assert "Leesbare pagina" in form
    response = post(officer, path, reference="Verzoek 2026-22")
    assert response.status_code == 200 and "text/html" in response["Content-Type"]
    assert "Registraties (elke versie)" in text(response)


def test_the_json_names_staff_by_role_and_organisation(world, held, told, login):
    officer = login(world.members[Role.AANDACHTSFUNCTIONARIS])
    response = post(
        officer,
        url("retention:access_request", pseudonym=world.own_person.pseudonym),
        reference="Verzoek 2026-23",
        format="json",
    )
    raw = response.content.decode()
    document = json.loads(raw)
    assert document["request"]["format_version"] == 2
    assert document["request"]["made_by"] == {
        "role": "aandachtsfunctionaris",
        "organisation": world.own_person.organisation.name,
    }
    assert document["person"]["created_by"]["role"] == "professional"
    for member in world.members.values():
        assert f'"{member.user.get_username()}"' not in raw
    assert all("digest" not in o for o in document["outcomes"])
    assert all("username" not in e for e in document["access_log"])


def test_the_person_reads_roles_without_an_article_and_no_your_organisation():
    """The outside probe: the readable export said "Rol De aandachtsfunctionaris" beside
    "Rol Professional", and "Voorgesteld door de uitkomst van uw organisatie" to a person
    who has no organisation."""
    from lens.retention import readable

    with translation.override("nl"):
        codes = readable._codes()
        roles = {code: str(label) for code, label in codes["role"].items()}
        trigger = str(codes["trigger"]["proposed"])
    assert roles["aandachtsfunctionaris"] == "Aandachtsfunctionaris"
    assert roles["professional"] == "Professional"
    assert not any(roles[role].startswith("De ") for role in Role.values), roles
    assert "uw organisatie" not in trigger and trigger.startswith("Voorgesteld")
