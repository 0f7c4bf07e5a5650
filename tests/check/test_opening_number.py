"""The opening sentence's phone number is the one its words name, and it is among "Wie
kunt u bellen?" (acceptance review: with no region the professional was told "bel de
zorgcoördinator mensenhandel" with the CoMensha helpdesk's number, which the contacts
did not list)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

CASE = {
    "audience": "professional",
    "signal_truancy": "yes",
    "signal_two_phones": "yes",
    "signal_money_mule": "yes",
}


def opening_and_contacts(html: str) -> tuple[str, list[str]]:
    start = html.index("Wie kunt u bellen?")
    opening = html[:start]
    phones = re.findall(r'lens-contact__phone"><a [^>]*>([^<]+)</a>', html[start:])
    return opening, phones


def call_in_opening(opening: str) -> str:
    """The first phone link of the page before the contacts (the opening's number)."""
    found = re.search(r'href="tel:[^"]+">([^<]+)</a>', opening)
    assert found, "no phone number in the opening"
    return found.group(1)


@pytest.mark.parametrize("region", ["", "midden_brabant"])
@pytest.mark.parametrize(
    "signals",
    [
        CASE,
        {"audience": "professional", "signal_truancy": "yes"},  # level 1
        {"audience": "professional"},  # level 0
    ],
)
def test_the_opening_number_is_among_the_contacts(client, catalogue, region, signals):
    html = client.post("/uitkomst/", signals | {"region": region}).content.decode()
    opening, phones = opening_and_contacts(html)
    assert call_in_opening(opening) in phones


def test_without_a_region_the_sentence_names_the_helpdesk_it_gives(client, catalogue):
    helpdesk = next(c for c in catalogue.contacts.values() if c.role == "expert")
    html = client.post("/uitkomst/", CASE | {"region": ""}).content.decode()
    opening, _phones = opening_and_contacts(html)
    assert call_in_opening(opening) == helpdesk.phone
    sentence = re.search(r'lens-now__text">([^<]+)</p>', opening).group(1)
    assert helpdesk.label.nl in sentence
    assert "bel de zorgcoördinator" not in sentence


def test_with_a_region_the_sentence_still_names_its_care_coordinator(client, catalogue):
    coordinator = next(
        c for c in catalogue.contacts.values() if c.region == "midden_brabant" and c.phone
    )
    html = client.post("/uitkomst/", CASE | {"region": "midden_brabant"}).content.decode()
    opening, _phones = opening_and_contacts(html)
    assert call_in_opening(opening) == coordinator.phone
    assert "zorgcoördinator mensenhandel" in opening
