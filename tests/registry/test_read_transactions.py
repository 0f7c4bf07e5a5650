"""One policy for every read (lens.access.policy_reads): what a registry page or the
policy serves is read in the transaction that writes its access-log entries, and a
failed log write serves nothing and leaves nothing half-done."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404

from lens.access import policy
from lens.access.models import AccessLogEntry, Action
from lens.cases import selectors as case_selectors
from lens.data import queries
from lens.data.coordination import InformationRequest
from lens.data.registry import Organisation, Role
from lens.registry import access_rows, views_forms
from lens.web import lists, pages
from tests.access.reads import LogDown, ReadWatch

from . import factories
from .test_views import url

pytestmark = pytest.mark.django_db


# --- the policy's read --------------------------------------------------------------------


def test_the_build_runs_in_the_transaction_that_writes_the_log(world, monkeypatch):
    watch = ReadWatch(monkeypatch)
    actor = world.actor(Role.PROFESSIONAL)

    def build(person):
        watch.reads.append(tuple(connection.atomic_blocks))
        return ("built", person.pseudonym)

    built = policy.get_person(actor, world.own_person.pseudonym, purpose="x", build=build)
    assert built == ("built", world.own_person.pseudonym)
    watch.assert_one_transaction()
    entry = AccessLogEntry.objects.latest("id")
    assert (entry.action, entry.person_id, entry.purpose) == (
        Action.READ,
        world.own_person.pk,
        "x",
    )


def test_a_failed_log_write_returns_nothing_and_undoes_the_build(world, monkeypatch):
    watch = ReadWatch(monkeypatch, fail=True)
    built = []

    def build(person):
        # A write in the read's transaction: it must not outlive the failed log write.
        built.append(factories.organisation("Half gedaan"))
        return person

    with pytest.raises(LogDown):
        policy.get_person(
            world.actor(Role.PROFESSIONAL), world.own_person.pseudonym, purpose="x", build=build
        )
    assert built, "the build ran before the log write"
    assert not Organisation.objects.filter(name="Half gedaan").exists()
    watch.assert_nothing_logged()


def test_out_of_scope_builds_nothing(world):
    def build(person):
        raise AssertionError("built for a person out of scope")

    with pytest.raises(Http404):
        policy.get_person(
            world.actor(Role.PROFESSIONAL), world.other_person.pseudonym, purpose="x", build=build
        )


def test_read_shown_logs_before_it_builds_in_one_transaction(world, monkeypatch):
    watch = ReadWatch(monkeypatch, fail=True)
    actor = world.actor(Role.PROFESSIONAL)

    def build(rows, _logged):
        raise AssertionError("built although the log write failed")

    with pytest.raises(LogDown):
        policy.read_shown(
            actor,
            lambda: list(policy.visible_persons(actor)),
            lambda rows: policy.log_list(actor, rows, purpose="x"),
            build,
        )
    watch.assert_nothing_logged()


# --- the pages ------------------------------------------------------------------------------


def pages_and_reads(world):
    """(page, the module and function the page reads what it shows with)."""
    pseudonym = world.own_person.pseudonym
    registration = world.own_registration.pk
    return [
        (url("registry:persons"), lists, "page_of"),
        (url("registry:person", pseudonym=pseudonym), queries, "timeline"),
        (url("registry:access_log", pseudonym=pseudonym), access_rows, "rows"),
        (url("registry:requests"), lists, "page_of"),
        # The form pages (lens.registry.pagekit.form_page): what they show beside the person.
        (
            url("registry:correct", pseudonym=pseudonym, registration_id=registration),
            queries,
            "registration_of",
        ),
        (
            url("registry:withdraw", pseudonym=pseudonym, registration_id=registration),
            views_forms,
            "registration_labels",
        ),
        (url("registry:refer", pseudonym=pseudonym), case_selectors, "open_case_of"),
    ]


PAGES = 7


@pytest.mark.parametrize("index", range(PAGES))
def test_each_page_reads_in_the_transaction_of_its_log_entries(
    client, login, world, monkeypatch, index
):
    # The aandachtsfunctionaris reaches every one of these pages (the access log, the
    # requests), a professional the first two (tests/registry/test_routes.py: every role).
    login(world.members[Role.AANDACHTSFUNCTIONARIS])
    page, module, name = pages_and_reads(world)[index]
    # A request to the organisation, so that the requests list shows a row.
    InformationRequest.objects.create(
        person=world.own_person, question="Vraag", asked_by=world.members[Role.ZORGCOORDINATOR].user
    )
    watch = ReadWatch(monkeypatch).spy(module, name).spy_render(pages)
    response = client.get(page)
    assert response.status_code == 200, page
    watch.assert_one_transaction()


@pytest.mark.parametrize("index", range(PAGES))
def test_no_page_is_served_when_its_log_entry_cannot_be_written(
    client, login, world, monkeypatch, index
):
    login(world.members[Role.AANDACHTSFUNCTIONARIS])
    page, _module, _name = pages_and_reads(world)[index]
    watch = ReadWatch(monkeypatch, fail=True).spy_render(pages)
    with pytest.raises(LogDown):
        client.get(page)
    assert not watch.renders, "a page was rendered without its log entry"
    watch.assert_nothing_logged()
