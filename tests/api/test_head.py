"""HEAD on the API (issue 10, M2): Django answers HEAD with the GET handler, which reads
person data and logs it (a case report rendered, an identity revealed, a list of persons
logged) for a reply without a body. Every API route answers HEAD with 405 and an Allow
header without HEAD, before anything is read: no access-log entry."""

from __future__ import annotations

import pytest
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from lens.access.models import AccessLogEntry
from tests.api.conftest import API
from tests.api.test_case_report import open_case

pytestmark = pytest.mark.django_db


def api_paths() -> list[str]:
    """Every route of the API as the OpenAPI schema (built from the URLconf) lists it."""
    with translation.override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(schema["paths"])


def test_every_api_route_refuses_head_without_a_log_entry(ours):
    open_case(ours)  # the case report has a case to render
    paths = api_paths()
    assert len(paths) >= 9 and "/api/v1/persons" in paths
    before = AccessLogEntry.objects.count()
    for path in paths:
        url = path.format(pseudonym=ours.person.pseudonym, registration_id=ours.registration.pk)
        assert url.startswith(API) and "{" not in url, url
        response = ours.api.client.head(
            url, {"identity": "true"}, headers=ours.api.headers({"X-Purpose": "dossier"})
        )
        assert response.status_code == 405, (url, response.status_code)
        assert "HEAD" not in response["Allow"], (url, response["Allow"])
        assert response["Allow"], url
        assert not response.content, url
    assert AccessLogEntry.objects.count() == before


def test_head_says_why_in_the_error_format(ours):
    """The reason, in the API's error shape (the server drops a HEAD reply's body; the
    test client keeps what the view answered in `data`), and an Allow header that names
    only the methods that are answered."""
    before = AccessLogEntry.objects.count()
    for path, allow in ((f"/persons/{ours.person.pseudonym}", "GET"), ("/persons", "GET, POST")):
        response = ours.api.client.head(API + path, headers=ours.api.headers())
        assert response.status_code == 405
        assert response["Allow"] == allow
        assert response.data == {
            "error": {
                "code": "method_not_allowed",
                "message": 'Method "HEAD" not allowed.',
                "fields": {},
            }
        }
    assert AccessLogEntry.objects.count() == before
