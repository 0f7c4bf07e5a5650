"""The beheerder's audit page (lens.core.beheer) and `lens audit export`.

Only the beheerder opens the page; every other role gets 403, as the route table says
(lens.access.routes), and an anonymous visitor goes to the login. The page is Dutch,
names objects by id, and costs the same number of queries for 10 rows as for 50.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from lens.access import routes
from lens.accounts import audit
from lens.accounts.audit import Operator
from lens.accounts.models import AuditKind
from lens.data.registry import Role
from tests.access.spreadsheet import formulas
from tests.registry import test_list_notices as notices

from .conftest import ROLES
from .test_home import text

pytestmark = pytest.mark.django_db

BEHEERDER = Operator(user_id=41, username="synthetic-beheerder", role=Role.BEHEERDER)


def url(language: str = "nl", **query) -> str:
    with translation.override(language):
        path = reverse("beheer:audit")
    return path + (f"?pagina={query['pagina']}" if query else "")


def records(count: int, by: Operator | None = None) -> None:
    with transaction.atomic():
        for number in range(count):
            audit.record(
                by, AuditKind.MEMBERSHIP_ADDED, "membership", number + 1, "user 3, analist"
            )


def test_only_the_beheerder_is_in_the_table():
    assert routes.ROUTES["beheer:audit"].roles == frozenset({Role.BEHEERDER})


@pytest.mark.parametrize("role", ROLES)
def test_only_the_beheerder_may_open_it(client, member, login, role):
    records(1)
    login(member(role))
    response = client.get(url())
    assert response.status_code == (200 if role == Role.BEHEERDER else 403)
    if role != Role.BEHEERDER:
        assert "membership" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_page_in_dutch_names_who_what_and_which_object(client, member, login):
    records(1)
    records(1, by=BEHEERDER)
    login(member(Role.BEHEERDER))
    page = text(client.get(url()))
    assert "Auditlog van het beheer" in page
    assert "2 regels" in page
    assert "lidmaatschap toegevoegd" in page and "lidmaatschap 1" in page
    assert "synthetic-beheerder (Beheerder)" in page
    assert "opdrachtregel (" in page
    english = text(client.get(url("en")))
    assert "Audit record of administration" in english and "membership added" in english


def test_every_kind_and_the_operators_objects_have_a_dutch_label(client, member, login):
    objects = {
        "catalogueversion": "catalogusversie 3",
        "rulesetversion": "regelsetversie 3",
        "period": "periode 3",
        "picture": "lokaal beeld 3",
        "person": "personen 3",
    }
    with transaction.atomic():
        for kind in AuditKind:
            audit.record(None, kind, "user", 1)
        for object_type in objects:
            audit.record(None, AuditKind.PERSON_ERASED, object_type, 3)
    login(member(Role.BEHEERDER))
    page = text(client.get(url()))
    for kind in AuditKind:
        with translation.override("nl"):
            dutch = str(kind.label)
        with translation.override("en"):
            assert dutch != str(kind.label), kind  # translated
        assert dutch in page, kind
    for label in objects.values():
        assert label in page


def test_no_records_yet(client, member, login):
    login(member(Role.BEHEERDER))
    assert "Er is nog niets gewijzigd." in text(client.get(url()))


def test_only_get_and_head(client, member, login):
    login(member(Role.BEHEERDER))
    assert client.post(url()).status_code == 405


@pytest.mark.parametrize("count", [10, 50])
def test_constant_queries_whatever_the_rows(
    client, member, login, django_assert_max_num_queries, count
):
    login(member(Role.BEHEERDER))
    records(count)
    # The same 8 for 10 rows as for 50: those of every logged-in page (session, user,
    # second factor, membership), then one count and one page of records.
    with django_assert_max_num_queries(8):
        response = client.get(url())
    assert response.status_code == 200
    assert text(response).count("lidmaatschap toegevoegd") == count


def test_pages_of_fifty_newest_first(client, member, login):
    login(member(Role.BEHEERDER))
    records(51)
    first = text(client.get(url()))
    assert "lidmaatschap 51 " in first and "lidmaatschap 1 " not in first
    assert "Pagina 1 van 2" in first
    assert "lidmaatschap 1 " in text(client.get(url(pagina=2)))


def test_export_writes_every_record_as_csv(db):
    records(2, by=BEHEERDER)
    out = io.StringIO()
    call_command("audit", "export", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [row["object_id"] for row in rows] == ["1", "2"]
    assert rows[0]["kind"] == "membership.added" and rows[0]["username"] == "synthetic-beheerder"
    out = io.StringIO()
    call_command("audit", "export", "--since", "2999-01-01", stdout=out)
    header = "id,at,user_id,username,role,os_user,kind,object_type,object_id,details"
    assert out.getvalue().strip() == header
    # A wrong date is refused in the operator's language, Dutch (LANGUAGE_CODE).
    with pytest.raises(CommandError, match="'1-1-2026' is geen datum"):
        call_command("audit", "export", "--since", "1-1-2026", stdout=io.StringIO())


def test_export_leaves_no_formula_in_any_cell(db):
    hostile = 'user 3;=1+2, Mozilla\t=HYPERLINK("http://evil.example","klik") \xa0@SUM(A1)'
    operator = Operator(user_id=42, username="=cmd|' /C calc'!A0", role=Role.BEHEERDER)
    with transaction.atomic():
        audit.record(operator, AuditKind.MEMBERSHIP_ADDED, "membership", 1, hostile)
    out = io.StringIO()
    call_command("audit", "export", stdout=out)
    assert formulas(out.getvalue()) == []
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["username"] == "'=cmd|' /C calc'!A0"
    assert row["details"].replace("'", "") == hostile.replace("'", "")


def test_a_page_the_record_does_not_have_shows_a_notice(client, member, login):
    login(member(Role.BEHEERDER))
    records(51)
    beyond = client.get(url(pagina=99999))
    assert beyond.status_code == 400
    assert notices.last_page_notice(2) in notices.text(beyond)
    assert "lidmaatschap 1 " in text(beyond)  # the last page
    wrong = client.get(url(pagina="abc"))
    assert wrong.status_code == 400 and notices.dutch(notices.FIRST_PAGE) in notices.text(wrong)
    assert "lidmaatschap 51 " in text(wrong)  # the first page
    assert notices.NOTICE not in client.get(url(pagina=2)).content.decode()
