"""The analist's local picture in a real browser: axe-clean in Dutch and English, for the
region's analist (with co-occurrence and a filter value the picture does not know) and for
a municipality's analist (with "Wat zie ik nog niet?"), following test_coordination.py:
the real login, axe on each page, the screenshots in test-artifacts/."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from lens.accounts.actions import enrol_totp
from lens.data.registry import Role
from tests.registry import factories

from .test_coordination import axe, log_in, make_user, no_violations, url
from .test_registry import (
    PASSWORD,
    Professional,
    new_page,  # noqa: F401  (a fixture)
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("access_log_emptied_afterwards")]

TILBURG, DONGEN, GOIRLE = "GM0855", "GM0766", "GM0785"


@pytest.fixture
def picture_world(site):
    school = factories.organisation("Synthetische Basisschool Het Beeld")
    teacher = factories.actor(factories.membership(Role.PROFESSIONAL, school))
    for municipality, count in ((TILBURG, 12), (DONGEN, 11), (GOIRLE, 3)):
        for _ in range(count):
            factories.registration(
                teacher,
                factories.person(teacher),
                signals=["money_mule", "injuries"],
                municipality_code=municipality,
                phenomena=["fraud"],
            )
    return {
        "region": make_user(Role.ANALIST, username="synthetische-analist-regio"),
        "tilburg": municipality_analist(TILBURG, "synthetische-analist-tilburg"),
    }


def municipality_analist(municipality: str, username: str) -> Professional:
    """make_user (test_coordination.py) for an analist of one municipality."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    enrol_totp(user)
    member = factories.membership(Role.ANALIST, user=user, municipality=municipality)
    return Professional(membership=member, username=username)


def test_no_axe_violations_on_the_local_picture(new_page, picture_world, site, artifacts):  # noqa: F811
    found: dict[str, list] = {}
    for who, checks in (
        ("region", [("nl", {}), ("en", {}), ("nl", {"gebied": "GM0363", "fenomeen": "x"})]),
        ("tilburg", [("nl", {}), ("en", {})]),
    ):
        page = new_page(bypass_csp=True)  # axe is injected as a <script>: see test_check.py
        log_in(page, site, picture_world[who], url("core:home"))
        for language, query in checks:
            address = url("picture:overview", language)
            address += "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
            response = page.goto(site + address)
            assert response is not None
            assert response.status == (400 if query else 200)
            heading = page.locator("h1").inner_text()
            assert heading.startswith("Lokaal beeld" if language == "nl" else "Local picture")
            assert page.locator("#together-title").is_visible()
            if query:
                assert page.locator("#unknown-filters").is_visible()
            if who == "tilburg":
                assert page.locator("#blind-title").is_visible()
            name = f"picture-{who}-{language}" + ("-unknown" if query else "")
            found[name] = axe(page)
            page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    no_violations(found)
