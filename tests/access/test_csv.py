"""The CSV export of the access log ("wie heeft dit ingezien", `lens accesslog export`):
every field quoted, and no cell a spreadsheet could run as a formula, however it splits
(on ';', a tab, a line break: tests.access.spreadsheet), with an apostrophe only where
a formula could start (lens.data.cells)."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction

from lens.access import log
from lens.access.actor import Actor
from lens.access.models import Action
from lens.data.registry import Membership, Role
from tests.access import factories
from tests.access.spreadsheet import SEPARATORS, formulas

# Text that reaches the export from outside: a purpose, a user agent, a name.
HOSTILE = [
    "controle;=1+2",
    "Mozilla/5.0 ;=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x")',
    "+31 6 1234",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "a,=1",
    "a;+1",
    "a,-1;@2",
    ";;=1",
    "; =1",
    ";  -1",
    'a;"=1"',
    'a;""=1',
    '"=1',
    "regel\n=1",
    "regel\r\n@1",
    "=1;",
    "a;\t-1",
    "a;\r=1",
    'Mozilla\t=HYPERLINK("http://evil.example","klik")',
    "Mozilla\xa0;\xa0=3+3",
    "Mozilla\xa0=5+5",
    "Mozilla ;\u2003@SUM(A1)",
    "a,\u3000\u2009-1",
    "regel\u2028=1",
    "eind ;\xa0",
    "gewoon doel",
    "Jan - Piet",
]


def export(rows, lineterminator="\r\n") -> str:
    buffer = io.StringIO()
    log.write_csv(rows, buffer, lineterminator=lineterminator)
    return buffer.getvalue()


def row(number: int, text: str) -> dict:
    return {
        "id": number,
        "at": "2026-12-04T10:00:00+01:00",
        **{name: text for name in log.EXPORT_COLUMNS if name not in ("id", "at")},
    }


@pytest.mark.parametrize("lineterminator", ["\r\n", "\n"])
def test_no_cell_starts_a_formula_however_the_file_is_split(lineterminator):
    text = export([row(n, value) for n, value in enumerate(HOSTILE, 1)], lineterminator)
    assert formulas(text) == []
    # The check itself finds what it should: the same rows written plainly have formulas.
    plain = io.StringIO()
    writer = csv.DictWriter(plain, fieldnames=log.EXPORT_COLUMNS)
    writer.writerows([row(n, value) for n, value in enumerate(HOSTILE, 1)])
    found = {how for how, _cell in formulas(plain.getvalue())}
    expected = {f"{way} on {sep!r}" for way in ("naive split", "csv module") for sep in SEPARATORS}
    assert found == expected | {"csv module on ','"}


@pytest.mark.parametrize("value", HOSTILE)
def test_each_hostile_value_alone(value):
    assert formulas(export([row(1, value)])) == []


def test_every_field_is_quoted():
    text = export([row(7, "gewoon doel"), row(8, "controle;=1+2")])
    lines = text.split("\r\n")
    assert lines[0] == ",".join(f'"{name}"' for name in log.EXPORT_COLUMNS)
    assert lines[1].startswith('"7","2026-12-04T10:00:00+01:00","gewoon doel",')
    assert lines[2].split('","')[-1] == "controle;'=1+2\""
    assert lines[3] == ""


def test_what_is_read_back_is_the_text_with_apostrophes_only_before_the_danger():
    text = export([row(1, value) for value in HOSTILE])
    purposes = [r["purpose"] for r in csv.DictReader(io.StringIO(text, newline=""))]
    expected = {
        "controle;=1+2": "controle;'=1+2",
        "Mozilla/5.0 ;=cmd|' /C calc'!A0": "Mozilla/5.0 ;'=cmd|' /C calc'!A0",
        "+31 6 1234": "'+31 6 1234",
        "; =1": "; =1",  # a space before it: no formula
        'a;"=1"': 'a;"\'=1"',
        "regel\n=1": "regel\n'=1",
        "=1;": "'=1;",
        'Mozilla\t=HYPERLINK("http://evil.example","klik")': (
            'Mozilla\t\'=HYPERLINK("http://evil.example","klik")'
        ),
        "a,=1": "a,=1",  # the file's own separator: inside the quotes
        "a;\t-1": "a;'\t'-1",
        "regel\r\n@1": "regel\r\n'@1",
        "Mozilla\xa0=5+5": "Mozilla\xa0=5+5",
        "gewoon doel": "gewoon doel",
        "Jan - Piet": "Jan - Piet",
        "-2+3": "'-2+3",
    }
    for original, defused in expected.items():
        assert purposes[HOSTILE.index(original)] == defused
    # Nothing is lost: without the added apostrophes, each is the original.
    assert len(purposes) == len(HOSTILE)
    for original, defused in zip(HOSTILE, purposes, strict=True):
        assert defused.replace("'", "") == original.replace("'", "")


def test_the_command_export_uses_the_same_writer(django_user_model, db):
    organisation = factories.organisation("Jeugdzorg Oost")
    user = django_user_model.objects.create_user("ineke")
    membership = Membership.objects.create(
        user=user, role=Role.PROFESSIONAL, organisation=organisation
    )
    actor = Actor(user=user, membership=membership, user_agent=";=cmd|' /C calc'!A0")
    person = SimpleNamespace(pk=None, pseudonym="P-K7QX")  # deleted by now: the log keeps it
    with transaction.atomic():
        for purpose in ("controle;=1+2", "a,-1;@2"):
            log.record(actor, Action.READ, person=person, purpose=purpose)
    out = io.StringIO()
    call_command("accesslog", "export", "--person", "P-K7QX", stdout=out)
    text = out.getvalue()
    assert text.startswith('"id","at",')
    assert "controle;'=1+2" in text and ";'=cmd|' /C calc'!A0" in text
    assert formulas(text) == []
