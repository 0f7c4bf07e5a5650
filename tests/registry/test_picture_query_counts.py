"""The local picture, its download and its PDF report cost the same with 10 persons
behind them as with 50 (issue "One house"): the counts come from the maintained
aggregates, not from the registrations (django_assert_max_num_queries, one bound for all
sizes: what each needs at 10 persons on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from lens.data.registry import Role
from lens.picture import pending

from . import factories
from .test_picture import DONGEN, GOIRLE, TILBURG, place
from .test_query_counts import seen_now

pytestmark = pytest.mark.django_db

SIZES = [10, 50]
# The picture from the maintained aggregates (after a look for pending changes before the
# periods on offer are read and again before the cells), the filters' choices (with the
# first year with data, lens.picture.years), the session and membership, and the
# access-log entry of the query (on PostgreSQL with its advisory lock: one more than on
# SQLite, which these bounds allow).
OVERVIEW = 17
DOWNLOAD = 16
# The PDF report also spends from the user's budget (lens.web.throttle: one upsert of the
# window's count, and where a new window begins one delete of the ended ones).
REPORT = 18


def address(name: str, **kwargs) -> str:
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def persons(world):
    """`n` persons in three municipalities, with one to three registrations each, at two
    organisations: what the picture counts."""

    def make(n: int) -> None:
        school = world.actor(Role.PROFESSIONAL)
        youth_care = factories.actor(world.other_professional)
        for i in range(n):
            by = (school, youth_care)[i % 2]
            person = factories.person(by)
            for j in range(1 + i % 3):
                place(by, person, (TILBURG, DONGEN, GOIRLE)[(i + j) % 3])
        # Applied as `lens picture catch-up` does between the writes and the read: what
        # is measured is the page, not the upkeep the writes left (one batch, either way).
        pending.catch_up()

    return make


@pytest.fixture
def analist(world, login):
    """The analist, after a first look at the empty picture: what a process loads once
    (the first request of a test run on PostgreSQL takes three queries more) is not what
    the rows cost. The rows are made after it."""
    client = login(world.members[Role.ANALIST])
    assert client.get(address("picture:overview")).status_code == 200
    return client


@pytest.mark.parametrize("n", SIZES)
def test_the_picture(analist, persons, n, django_assert_max_num_queries):
    persons(n)
    seen_now(analist)
    with django_assert_max_num_queries(OVERVIEW):
        response = analist.get(address("picture:overview"), {"type": "school"})
    assert response.status_code == 200


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_the_download(analist, persons, n, format, django_assert_max_num_queries):
    persons(n)
    seen_now(analist)
    with django_assert_max_num_queries(DOWNLOAD):
        response = analist.get(address("picture:download", format=format))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{format}"')


@pytest.mark.parametrize("n", SIZES)
def test_the_report(analist, persons, n, django_assert_max_num_queries):
    persons(n)
    seen_now(analist)
    with django_assert_max_num_queries(REPORT):
        response = analist.get(address("picture:report"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
