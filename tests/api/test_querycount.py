"""The query counter of the API's query-count tests leaves out exactly the clock's
housekeeping (tests/api/querycount.py) and counts everything else."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lens.api.models import ThrottleCount
from lens.api.throttling import count_in_database
from tests.api.querycount import at_most, counted

pytestmark = pytest.mark.django_db


def test_the_throttles_new_window_delete_is_left_out_and_its_count_is_not():
    with CaptureQueriesContext(connection) as queries:
        count_in_database("api:1:new-window", expires=2e9)  # count 1: deletes ended windows
    assert len(queries) == 2
    assert counted(queries) == 1


def test_the_caches_expiry_delete_is_left_out():
    with CaptureQueriesContext(connection) as queries:
        cache.delete("some-key")
        ThrottleCount.objects.count()
    assert len(queries) == 2
    assert counted(queries) == 1


def test_at_most_fails_above_its_bound():
    with pytest.raises(AssertionError, match="2 queries, at most 1"), at_most(1):
        ThrottleCount.objects.count()
        ThrottleCount.objects.exists()
