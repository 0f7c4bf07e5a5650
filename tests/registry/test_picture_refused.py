"""A refused query of the local picture leaves its trace in the access log, on the page
and on each download (CSV, XLSX, the PDF report) alike (lens.picture.selectors.log_query):
a municipality analist asking for another municipality, a period or type the picture does
not know. The page shows the unfiltered view (400); a download is refused (400) and
nothing leaves the system, but the entry says what was asked."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from lens.access.models import AccessLogEntry
from lens.data.registry import Role

from . import factories

TILBURG, DONGEN = "GM0855", "GM0766"
KINDS = {  # route, kwargs, what the purpose names
    "page": ("picture:overview", {}, "lokaal beeld: "),
    "csv": ("picture:download", {"format": "csv"}, "lokaal beeld export csv geweigerd: "),
    "xlsx": ("picture:download", {"format": "xlsx"}, "lokaal beeld export xlsx geweigerd: "),
    "pdf": ("picture:report", {}, "lokaal beeld export pdf geweigerd: "),
}


def url(kind: str, query: str) -> str:
    name, kwargs, _said = KINDS[kind]
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs) + "?" + query


@pytest.fixture
def municipality_analist(world, login):
    return login(factories.membership(Role.ANALIST, municipality=TILBURG))


def one_new_entry(since: int) -> AccessLogEntry:
    entries = list(AccessLogEntry.objects.filter(id__gt=since))
    assert len(entries) == 1, [e.purpose for e in entries]
    return entries[0]


def last_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.parametrize("kind", list(KINDS))
def test_another_municipality_is_refused_and_logged(municipality_analist, kind):
    since = last_id()
    response = municipality_analist.get(url(kind, f"gebied={DONGEN}"))
    assert response.status_code == 400
    assert "Dongen" not in response.content.decode("utf-8", "replace")
    entry = one_new_entry(since)
    assert entry.purpose == f"{KINDS[kind][2]}gebied={TILBURG} (gevraagd: gebied={DONGEN})"
    assert entry.object_type == "local_picture" and entry.object_id == TILBURG
    assert entry.person_id is None and entry.role == Role.ANALIST
    assert entry.action == "read"  # shown unfiltered (the page) or refused: no export


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize(
    "query", ["periode=2026-13", "periode=1999", "type=bakery", "fenomeen=piracy&type=school"]
)
def test_a_bad_period_or_type_is_refused_and_logged(world, login, kind, query):
    client = login(world.members[Role.ANALIST])
    since = last_id()
    response = client.get(url(kind, query))
    assert response.status_code == 400
    entry = one_new_entry(since)
    assert entry.purpose.startswith(KINDS[kind][2] + "gebied=midden_brabant")
    assert entry.purpose.endswith(f"(gevraagd: {query})")
    assert ("type=school (gevraagd" in entry.purpose) == ("type=school" in query)


def test_the_downloads_log_a_refusal_as_the_page_does(municipality_analist):
    """The same entry but for what was done: one function writes them all."""
    found = {}
    for kind in KINDS:
        since = last_id()
        municipality_analist.get(url(kind, f"gebied={DONGEN}&periode=nonsense"))
        found[kind] = one_new_entry(since).purpose.removeprefix(KINDS[kind][2])
    assert len(set(found.values())) == 1, found
    assert found["page"] == f"gebied={TILBURG} (gevraagd: gebied={DONGEN}&periode=nonsense)"


def test_an_accepted_download_is_still_an_export(municipality_analist):
    since = last_id()
    assert municipality_analist.get(url("csv", "type=school")).status_code == 200
    entry = one_new_entry(since)
    assert entry.action == "export"
    assert entry.purpose == f"lokaal beeld export csv: gebied={TILBURG} type=school"


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_filter_given_twice_is_refused_with_its_reason(world, login, kind):
    """?type=school&type=youth_work: neither the first nor the last value is taken silently."""
    client = login(world.members[Role.ANALIST])
    since = last_id()
    response = client.get(url(kind, "type=school&type=youth_work"))
    assert response.status_code == 400
    said = response.content.decode()
    assert "school, youth_work" in said and "meer dan eens" in said, said[-600:]
    entry = one_new_entry(since)
    assert entry.purpose.endswith("(gevraagd: type=school&type=youth_work)")
    assert "type=youth_work (gevraagd" not in entry.purpose  # the last value was not taken


@pytest.mark.parametrize("kind", list(KINDS))
def test_too_many_parameters_get_a_dutch_400_with_the_reason(municipality_analist, kind):
    """The outside probe: more than 1000 query parameters gave Django's English "Bad Request
    (400)" (a 500 page under DEBUG)."""
    since = last_id()
    response = municipality_analist.get(url(kind, "&".join(f"p{i}=1" for i in range(1001))))
    assert response.status_code == 400
    text = response.content.decode()
    assert "te veel" in text and "Bad Request" not in text
    assert last_id() == since  # nothing was read


@pytest.mark.parametrize("kind", list(KINDS))
def test_head_answers_like_get_without_a_body(municipality_analist, kind):
    """The outside probe: HEAD on the picture's pages gave 405."""
    get = municipality_analist.get(url(kind, "periode=2026"))
    head = municipality_analist.head(url(kind, "periode=2026"))
    assert head.status_code == get.status_code == 200
    assert head["Content-Type"] == get["Content-Type"] and head.content == b""


@pytest.mark.parametrize("kind", ["csv", "xlsx", "pdf"])
def test_head_on_a_download_makes_and_logs_nothing(municipality_analist, kind):
    """The second outside probe: HEAD on the PDF report rendered it (about 2 s) and was
    logged as an export although no body was sent."""
    since = last_id()
    head = municipality_analist.head(url(kind, "periode=2026"))
    assert head.status_code == 200 and head.content == b""
    assert "attachment" in head["Content-Disposition"]
    assert last_id() == since  # nothing exported
    get = municipality_analist.get(url(kind, "periode=2026"))
    assert get["Content-Type"] == head["Content-Type"] and last_id() > since
