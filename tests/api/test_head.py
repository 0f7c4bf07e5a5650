"""HEAD on the API (the outside probe: 405 with `Allow: GET` on GET /api/v1/persons,
which monitoring tools and link checkers ask with HEAD). lens.web.head answers a HEAD as
its GET without the body: the same status and headers (a refusal included), and the same
access-log entries (the view reads the same data and the Content-Length tells of it: the
second outside probe found HEAD leaving no trace)."""

from __future__ import annotations

import pytest
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from lens.access.models import AccessLogEntry
from tests.api.conftest import API
from tests.api.test_case_report import open_case

pytestmark = pytest.mark.django_db

SAME_HEADERS = ("Content-Type", "Allow", "Cache-Control", "Content-Language")


def api_paths() -> list[str]:
    """Every route of the API as the OpenAPI schema (built from the URLconf) lists it."""
    with translation.override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(schema["paths"])


def test_every_api_route_answers_head_as_get_without_a_body_and_logs_as_get(ours):
    open_case(ours)  # the case report has a case to render
    paths = api_paths()
    assert len(paths) >= 9 and "/api/v1/persons" in paths
    answered = set()
    for path in paths:
        url = path.format(pseudonym=ours.person.pseudonym, registration_id=ours.registration.pk)
        assert url.startswith(API) and "{" not in url, url
        headers = ours.api.headers({"X-Purpose": "dossier"})
        before = AccessLogEntry.objects.count()
        head = ours.api.client.head(url, {"identity": "true"}, headers=headers)
        by_head = AccessLogEntry.objects.count() - before
        get = ours.api.client.get(url, {"identity": "true"}, headers=headers)
        by_get = AccessLogEntry.objects.count() - before - by_head
        assert by_head == by_get, (url, by_head, by_get)  # read as GET reads, logged as GET
        assert head.status_code == get.status_code, (url, head.status_code, get.status_code)
        for name in SAME_HEADERS:
            assert head.get(name) == get.get(name), (url, name)
        assert head.content == b"", url
        answered.add(get.status_code)
    assert 200 in answered and 405 in answered  # reads answered; POST-only routes refused


def test_head_is_refused_where_get_is(ours, theirs):
    """Another organisation's person: 404 for HEAD as for GET, nothing logged."""
    before = AccessLogEntry.objects.count()
    url = f"{API}/persons/{theirs.person.pseudonym}"
    head = ours.api.client.head(url, headers=ours.api.headers())
    assert head.status_code == ours.api.client.get(url, headers=ours.api.headers()).status_code
    assert head.status_code == 404
    assert AccessLogEntry.objects.count() == before


def test_the_allow_header_names_head_beside_get(ours):
    response = ours.api.client.put(API + "/persons", headers=ours.api.headers())
    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD", "POST"]


def test_head_on_the_case_report_renders_no_pdf(ours, monkeypatch):
    """The case report answers HEAD with GET's headers and no PDF rendered (third outside
    probe: it rendered the PDF, seconds of CPU, only to drop it), as the picture's
    download does; the case is read and logged as for GET."""
    from lens.cases import documents

    open_case(ours)
    rendered = []
    real = documents.report_pdf
    monkeypatch.setattr(
        documents, "report_pdf", lambda context: rendered.append(1) or real(context)
    )
    url = f"{API}/persons/{ours.person.pseudonym}/case/report"
    before = AccessLogEntry.objects.count()
    head = ours.api.client.head(url, headers=ours.api.headers())
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Type"] == "application/pdf" and "attachment" in head["Content-Disposition"]
    assert rendered == []
    assert AccessLogEntry.objects.count() > before  # read and logged as GET
    get = ours.api.client.get(url, headers=ours.api.headers())
    assert get.status_code == 200 and rendered == [1]
    assert head["Content-Disposition"] == get["Content-Disposition"]
