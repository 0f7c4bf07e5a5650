"""The live server the browser tests run against: each request thread has a database
connection of its own.

pytest-django hands an in-memory SQLite database's one connection to every thread of
live_server; two requests at once (a browser fetching /favicon.ico after a page while
the test opens the next one) then used one sqlite3 connection together and one failed
with `sqlite3.InterfaceError: bad parameter or other API misuse`, a 500 that made
test_registry.py flaky. The test database is a file now (tests/conftest.py).
"""

from __future__ import annotations

import http.client
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

# As in test_registry.py: the database first, then the live server (session-scoped, so
# the first test that starts it decides for all: then it took the in-memory connection).
pytestmark = pytest.mark.usefixtures("transactional_db")

THREADS = 8
REQUESTS = 10


def test_the_live_server_shares_no_connection_with_the_test(live_server):
    assert live_server.thread.connections_override == {}
    assert not connection.is_in_memory_db()


def test_concurrent_requests_that_read_the_database(live_server, django_user_model):
    # Signed in without the second factor: each request reads the session, the user
    # and the OTP devices, then redirects to the code page.
    client = Client()
    client.force_login(django_user_model.objects.create_user("gelijktijdig"))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    address = urlsplit(live_server.url)
    path = reverse("registry:persons")
    start = threading.Barrier(THREADS)

    def fetch(_worker: int) -> list[int]:
        start.wait()
        statuses = []
        for _ in range(REQUESTS):
            server = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
            try:
                server.request("GET", path, headers={"Cookie": cookie})
                response = server.getresponse()
                response.read()
                statuses.append(response.status)
            finally:
                server.close()
        return statuses

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = [status for batch in pool.map(fetch, range(THREADS)) for status in batch]
    assert statuses == [302] * THREADS * REQUESTS
