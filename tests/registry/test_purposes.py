"""Access-log purposes in the reader's language: stored in Dutch, shown translated."""

import re
from pathlib import Path

from django.urls import reverse
from django.utils import translation

from lens.access.purposes import KNOWN, shown
from lens.data.registry import Role

LENS = Path(__file__).resolve().parents[2] / "lens"
# PURPOSE_X = "..." and KNOWN_ALREADY = "...": the purposes the application writes.
CONSTANT = re.compile(r'^\s*(?:PURPOSE\w*|KNOWN_ALREADY)\s*=\s*"([^"]+)"', re.MULTILINE)


def written_purposes() -> set[str]:
    found = set()
    for path in LENS.rglob("*.py"):
        found.update(CONSTANT.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_purpose_the_application_writes_has_an_english_text():
    purposes = written_purposes()
    assert len(purposes) > 20  # the scan finds them
    with translation.override("en"):
        for purpose in purposes:
            for part in purpose.replace("%s", "lijst").split(": "):
                assert part in KNOWN, part
            assert shown(purpose) != purpose or purpose == "API", purpose


def test_parts_numbers_and_unknown_text():
    with translation.override("en"):
        assert shown("formulier: relatie vastleggen") == "form: recording a relation"
        assert shown("correctie van registratie 85") == "correction of registration 85"
        assert shown("export voor de FG: verzoek 12") == "export voor de FG: verzoek 12"
    with translation.override("nl"):
        assert shown("persoonspagina") == "persoonspagina"


def test_the_english_access_log_page_shows_english_purposes(client, world, login):
    login(world.members[Role.AANDACHTSFUNCTIONARIS])
    pseudonym = world.own_person.pseudonym
    with translation.override("en"):
        person = reverse("registry:person", kwargs={"pseudonym": pseudonym})
        page_url = reverse("registry:access_log", kwargs={"pseudonym": pseudonym})
    assert person.startswith("/en/")
    client.get(person)
    page = client.get(page_url).content.decode()
    assert "person&#x27;s page" in page or "person's page" in page
    assert "persoonspagina" not in page
    translation.activate("nl")
