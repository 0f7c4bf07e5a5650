"""HEAD answers as GET on every page route (the outside probe: `curl -I` on the login page
and on a person's page gave 405 with `Allow: GET`, whereas / and /healthz answered 200).
lens.web.head hands a HEAD to the view as a GET: the same status and headers, no body,
and the same access-log entries as GET (the view reads the same data; the second outside
probe found HEAD leaving no trace while its Content-Length told of the page)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from lens.access.models import AccessLogEntry
from lens.data.registry import Role

from .test_routes import ANONYMOUS, project_routes

pytestmark = pytest.mark.django_db

SAME_HEADERS = ("Content-Type", "Location", "Allow", "Content-Disposition", "Cache-Control")
UNKNOWN_ID = 999_999  # a case or link that does not exist: 404 for GET and HEAD alike


def kwargs_for(pattern, world) -> dict:
    values = {
        "pseudonym": world.own_person.pseudonym,
        "registration_id": world.own_registration.pk,
        "format": "csv",
        "transition": "close",
    }
    return {name: values.get(name, UNKNOWN_ID) for name in pattern.pattern.converters}


@pytest.mark.parametrize("who", [ANONYMOUS, str(Role.AANDACHTSFUNCTIONARIS)])
def test_every_get_route_answers_head_with_gets_status_and_log_entries(client, world, login, who):
    if who != ANONYMOUS:
        login(world.members[who])
    problems, statuses = [], set()
    for name, pattern in project_routes(settings.ROOT_URLCONF):
        with translation.override("nl"):
            url = reverse(name, kwargs=kwargs_for(pattern, world))
        logged = AccessLogEntry.objects.count()
        head = client.head(url)
        by_head = AccessLogEntry.objects.count() - logged
        get = client.get(url)
        by_get = AccessLogEntry.objects.count() - logged - by_head
        if by_head != by_get:
            problems.append(f"HEAD {url}: {by_head} access-log entries, GET {by_get}")
        statuses.add(get.status_code)
        if head.status_code != get.status_code:
            problems.append(f"HEAD {url}: {head.status_code}, GET {get.status_code}")
        for header in SAME_HEADERS:
            if head.get(header) != get.get(header):
                problems.append(
                    f"HEAD {url}: {header} {head.get(header)!r}, GET {get.get(header)!r}"
                )
        if head.content:
            problems.append(f"HEAD {url}: a body")
    assert not problems, "\n".join(problems)
    assert 200 in statuses  # the public pages at least


def test_head_on_a_person_page_logs_the_read_as_get_does(client, world, login):
    login(world.members[Role.AANDACHTSFUNCTIONARIS])
    url = reverse("registry:person", kwargs={"pseudonym": world.own_person.pseudonym})
    logged = AccessLogEntry.objects.count()
    assert client.head(url).status_code == 200
    by_head = list(
        AccessLogEntry.objects.order_by("pk")[logged:].values_list("action", "person_id", "purpose")
    )
    assert by_head and all(person == world.own_person.pk for _, person, _ in by_head)
    assert client.get(url).status_code == 200
    by_get = list(
        AccessLogEntry.objects.order_by("pk")[logged + len(by_head) :].values_list(
            "action", "person_id", "purpose"
        )
    )
    assert by_head == by_get


def test_head_is_refused_where_get_is(client, world, login):
    """Another organisation's person: 404 for HEAD as for GET (no existence leak)."""
    login(world.members[Role.AANDACHTSFUNCTIONARIS])
    url = reverse("registry:person", kwargs={"pseudonym": world.other_person.pseudonym})
    assert client.head(url).status_code == client.get(url).status_code == 404


def test_a_405_names_head_beside_get(client):
    response = client.put(reverse("accounts:login"))
    assert response.status_code == 405
    assert "HEAD" in [m.strip() for m in response["Allow"].split(",")]
