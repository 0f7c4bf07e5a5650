"""Every paged list, on the web and in the API, answers any page number in its link (one
past the largest offset the database reads, a negative one, zero, not a number) with a
page: the first or the last one with a notice and status 400 on the web, a 400 with a
reason in the API; never a 500. Through the real URLconf; the persons are synthetic."""

from __future__ import annotations

import pytest

from lens.data.registry import Role
from tests.api.conftest import Api
from tests.api.factories import make_client

from .test_list_notices import FIRST_PAGE, dutch, last_page_notice, text
from .test_views import url

pytestmark = pytest.mark.django_db

# Huge ones: 4e17 pages of 25 rows is an offset past SQLite's 64-bit integer; the next two
# are the largest 64-bit integer and one with more digits than it has.
HUGE = ("400000000000000000", "9223372036854775807", "99999999999999999999")
NOT_A_PAGE = ("-1", "0", "abc", "2.5")


def test_every_paged_list_answers_any_page_number(world, login):
    pseudonym = world.own_person.pseudonym
    lists = {
        Role.PROFESSIONAL: [
            (url("registry:persons"), "pagina"),
            (url("registry:person", pseudonym=pseudonym), "registraties"),
            (url("cases:work_list"), "pagina"),
        ],
        Role.AANDACHTSFUNCTIONARIS: [
            (url("registry:access_log", pseudonym=pseudonym), "pagina"),
            (url("registry:requests"), "pagina"),
            (url("cases:work_list"), "pagina"),
        ],
        Role.ZORGCOORDINATOR: [
            (url("coordination:worklist"), "pagina"),
            (url("cases:referrals"), "pagina"),
            (url("coordination:persons"), "pagina"),
            (url("coordination:links"), "pagina"),
            (url("coordination:links"), "besloten"),
            (url("coordination:links"), "automatisch"),
            (url("coordination:network"), "pagina"),
        ],
        Role.BEHEERDER: [(url("beheer:audit"), "pagina")],
    }
    failed = []
    for role, pages in lists.items():
        client = login(world.members[role])
        for path, parameter in pages:
            for asked in HUGE + NOT_A_PAGE:
                response = client.get(path, {parameter: asked})
                expected = dutch(FIRST_PAGE) if asked in NOT_A_PAGE else last_page_notice(1)
                if response.status_code != 400 or expected not in text(response):
                    failed.append((role, path, parameter, asked, response.status_code))
    api = Api(make_client(world.own)[1])
    for path, parameter in (
        ("/persons", "page"),
        (f"/persons/{pseudonym}", "registrations_page"),
    ):
        for asked in HUGE + NOT_A_PAGE:
            response = api.get(path, {parameter: asked})
            if response.status_code != 400 or parameter not in response.json()["error"]["fields"]:
                failed.append(("api", path, parameter, asked, response.status_code))
    assert failed == [], "\n".join(map(str, failed))
