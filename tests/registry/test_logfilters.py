"""The server log: a refusal is one line without traceback or pseudonym; errors keep theirs."""

import logging

import pytest

from lens.data.registry import Role


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    return caplog


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.ANALIST])
def test_a_refused_person_page_is_logged_without_traceback_or_pseudonym(
    world, login, request_log, role
):
    # Another organisation's person (404 for the professional), or a page outside the
    # role (403 for the analist).
    client = login(world.members[role])
    pseudonym = world.other_person.pseudonym
    assert client.get(f"/registratie/{pseudonym}/").status_code in (403, 404)
    records = [r for r in request_log.records if r.name == "django.request"]
    assert records, "the refusal is logged"
    for record in records:
        assert record.exc_info is None
        assert pseudonym not in record.getMessage()
        assert "P-…" in record.getMessage()


def test_an_error_keeps_its_traceback():
    from lens.core.logfilters import QuietRefusals

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        info = sys.exc_info()
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/x/",), info
    )
    record.status_code = 500
    assert QuietRefusals().filter(record) is True
    assert record.exc_info is info
