"""The one guard against formula injection (lens.data.cells), and each CSV or spreadsheet
writer of the project through its real URL or command: an apostrophe only before a
formula character at the start of a field or right after a ';', a tab or a line break
inside it (the earlier defect: a formula through ';')."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from lens.accounts import audit
from lens.accounts.audit import Operator
from lens.accounts.models import AuditKind
from lens.data.cells import defused
from lens.data.registry import Role
from tests.access.spreadsheet import formulas
from tests.registry import conftest as registry

active = registry.active
catalogue = registry.catalogue
catalogue_files = registry.catalogue_files
login = registry.login
world = registry.world

LENS = Path(__file__).resolve().parents[2] / "lens"
# Files written with the csv module that no person reads: intermediate files of the bulk
# recompute that DuckDB reads back (an apostrophe would change the data).
INTERNAL = {"registry/recompute_input.py", "picture/bulk.py"}

DEFECT = "controle;=1+2"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t'=1"),
        ("\r=1", "'\r'=1"),
        (DEFECT, "controle;'=1+2"),
        ("a\t-1", "a\t'-1"),
        ("regel\n@1", "regel\n'@1"),
        ("regel\r\n+1", "regel\r\n'+1"),
        ('a;"=1', "a;\"'=1"),
        # Nothing else changes.
        ("Jan - Piet", "Jan - Piet"),
        ("a, =1", "a, =1"),
        ("a,=1", "a,=1"),
        ("e-mail: x@y.nl", "e-mail: x@y.nl"),
        ("1;2", "1;2"),
        ("", ""),
    ],
)
def test_the_rule(value, expected):
    assert defused(value) == expected
    assert defused(value).replace("'", "") == value.replace("'", "")


def test_anything_but_text_is_left_alone():
    assert defused(12) == 12 and defused(None) is None and defused(1.5) == 1.5


def test_every_writer_for_people_uses_the_guard():
    """Every module that writes CSV with the csv module, or an XLSX, defuses its cells."""
    missing = []
    for path in sorted(LENS.rglob("*.py")):
        name = path.relative_to(LENS).as_posix()
        source = path.read_text(encoding="utf-8")
        writes = re.search(r"csv\.(writer|DictWriter)\(|Workbook\(", source)
        if writes and name not in INTERNAL and "defused(" not in source:
            missing.append(name)
    assert missing == []


@pytest.mark.django_db
def test_the_access_log_page_export(client, world, login):
    login(world.members[Role.AANDACHTSFUNCTIONARIS])
    with translation.override("nl"):
        person = reverse("registry:person", kwargs={"pseudonym": world.own_person.pseudonym})
        export = reverse(
            "registry:access_log_csv", kwargs={"pseudonym": world.own_person.pseudonym}
        )
    client.get(person, headers={"user-agent": f"Mozilla {DEFECT}"})
    client.get(person, headers={"user-agent": "Jan - Piet"})
    content = client.get(export).content.decode("utf-8-sig")
    assert formulas(content) == []
    agents = {r["user_agent"] for r in csv.DictReader(io.StringIO(content, newline=""))}
    assert "Mozilla controle;'=1+2" in agents and "Jan - Piet" in agents


@pytest.mark.django_db
def test_the_access_log_command_export(world):
    from lens.access import log
    from lens.access.models import Action

    actor = world.actor(Role.PROFESSIONAL)
    with transaction.atomic():
        log.record(actor, Action.READ, person=world.own_person, purpose=DEFECT)
    out = io.StringIO()
    call_command("accesslog", "export", "--person", world.own_person.pseudonym, stdout=out)
    assert formulas(out.getvalue()) == []
    assert "controle;'=1+2" in out.getvalue()


@pytest.mark.django_db
def test_the_audit_command_export():
    operator = Operator(user_id=42, username="=cmd", role=Role.BEHEERDER)
    with transaction.atomic():
        audit.record(operator, AuditKind.MEMBERSHIP_ADDED, "membership", 1, DEFECT)
    out = io.StringIO()
    call_command("audit", "export", stdout=out)
    assert formulas(out.getvalue()) == []
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["username"] == "'=cmd" and row["details"] == "controle;'=1+2"


def test_the_local_picture_tables():
    """The picture's CSV and XLSX writer (lens.picture.tables, behind `lens picture
    export` and the analist's download): its text is catalogue and area names, which no
    user types, so it is tested on the writer itself."""
    from lens.picture import tables

    table = tables.Table("t", ["area", "persons"], [[DEFECT, 12], ["Jan - Piet", "<10"]])
    rows = list(csv.reader(io.StringIO(tables.as_csv([table]))))
    assert rows[2] == ["controle;'=1+2", "12"] and rows[3] == ["Jan - Piet", "<10"]
    assert formulas(tables.as_csv([table])) == []
