"""`catalogue validate | load | export`: exit codes, messages, and what load stores."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError
from django.db import DatabaseError, transaction

from lens.accounts.audit import Operator
from lens.accounts.models import AuditKind, AuditRecord
from lens.catalogue import services
from lens.catalogue.models import CatalogueVersion, RulesetVersion

from .minimal import change, line_of, write_catalogue


def run(*args):
    """Run the command as from the command line; returns the exit status."""
    command = load_command_class("lens.ops", "catalogue")
    try:
        command.run_from_argv(["lens", "catalogue", *args])
    except SystemExit as exit:
        return exit.code
    return 0


@pytest.fixture
def bad_dir(tmp_path):
    return write_catalogue(tmp_path, change("signals.yaml", "strength: sterk", "strength: enorm"))


def test_validate_ok(tmp_path, capsys):
    assert run("validate", "--dir", str(write_catalogue(tmp_path))) == 0
    out = capsys.readouterr().out
    assert out.startswith("Catalogus in orde: 2 signalen, 1 indicatoren, 2 leefgebieden")
    assert "Regelset in orde: 5 niveaus, 5 regels" in out


def test_validate_bad_files_exit_1_with_file_and_line(bad_dir, capsys):
    assert run("validate", "--dir", str(bad_dir)) == 1
    err = capsys.readouterr().err
    path = bad_dir / "signals.yaml"
    assert f"{path}:{line_of(path, 'enorm')}: signals 'threatened': strength:" in err
    assert "1 fout in de catalogusbestanden" in err
    assert "Traceback" not in err


def test_validate_missing_directory(tmp_path, capsys):
    assert run("validate", "--dir", str(tmp_path / "nowhere")) == 1
    assert "the catalogue directory does not exist" in capsys.readouterr().err


def test_validate_as_a_process_prints_no_traceback(tmp_path):
    directory = write_catalogue(tmp_path, {"signals.yaml": "signals:\n  - code: [unclosed\n"})
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "lens.settings",
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "catalogue", "validate", "--dir", str(directory)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert f"{directory / 'signals.yaml'}:3: YAML syntax error" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_explains_the_subcommands(capsys):
    assert run("--help") == 0
    out = capsys.readouterr().out
    assert "validate" in out and "load" in out and "export" in out
    assert run("validate", "--help") == 0
    assert "file:line: reason" in capsys.readouterr().out


def test_export_json_from_files(tmp_path, capsys):
    assert run("export", "--json", "--dir", str(write_catalogue(tmp_path))) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {"catalogue", "ruleset"}
    assert [s["code"] for s in document["catalogue"]["signals"]] == ["cash", "threatened"]
    assert [level["number"] for level in document["ruleset"]["levels"]] == [0, 1, 2, 3, 4]


def test_export_needs_json(tmp_path, capsys):
    assert run("export", "--dir", str(write_catalogue(tmp_path))) != 0
    assert "--json" in capsys.readouterr().err


def test_export_bad_files_exit_1(bad_dir, capsys):
    assert run("export", "--json", "--dir", str(bad_dir)) == 1
    assert capsys.readouterr().out == ""


@pytest.mark.django_db
def test_export_active(tmp_path):
    with pytest.raises(CommandError, match="geen catalogus geladen") as caught:
        call_command("catalogue", "export", "--json", "--active")
    assert caught.value.returncode == 1
    directory = write_catalogue(tmp_path)
    call_command("catalogue", "load", "--dir", str(directory))
    out = io.StringIO()
    call_command("catalogue", "export", "--json", "--active", stdout=out)
    catalogue, _ = services.active()
    assert json.loads(out.getvalue())["catalogue"]["version"] == catalogue.version


@pytest.mark.django_db
def test_load_twice_stores_one_version(tmp_path):
    directory = write_catalogue(tmp_path)
    first, second = io.StringIO(), io.StringIO()
    call_command("catalogue", "load", "--dir", str(directory), stdout=first)
    call_command("catalogue", "load", "--dir", str(directory), stdout=second)
    assert "Nieuwe versie opgeslagen." in first.getvalue()
    assert "Geen nieuwe versie opgeslagen" in second.getvalue()
    assert CatalogueVersion.objects.count() == 1
    assert RulesetVersion.objects.count() == 1
    assert CatalogueVersion.objects.get().is_active


@pytest.mark.django_db
def test_load_changed_content_stores_and_activates_a_second_version(tmp_path):
    first_dir = write_catalogue(tmp_path / "first")
    changed = change("signals.yaml", "Lots of cash", "Much cash")
    second_dir = write_catalogue(tmp_path / "second", changed)
    call_command("catalogue", "load", "--dir", str(first_dir))
    first = CatalogueVersion.objects.get()
    call_command("catalogue", "load", "--dir", str(second_dir))
    assert CatalogueVersion.objects.count() == 2
    assert RulesetVersion.objects.count() == 1  # the ruleset did not change
    active = CatalogueVersion.objects.get(is_active=True)
    assert active.pk != first.pk
    catalogue, _ = services.active()
    assert catalogue.version == active.version
    assert catalogue.signals["cash"].label.en == "Much cash"


@pytest.mark.django_db
def test_load_earlier_content_activates_its_row_again(tmp_path):
    first_dir = write_catalogue(tmp_path / "first")
    second_dir = write_catalogue(tmp_path / "second", change("signals.yaml", "Lots of", "Much"))
    call_command("catalogue", "load", "--dir", str(first_dir))
    call_command("catalogue", "load", "--dir", str(second_dir))
    out = io.StringIO()
    call_command("catalogue", "load", "--dir", str(first_dir), stdout=out)
    assert "eerder geladen versie" in out.getvalue()
    assert CatalogueVersion.objects.count() == 2
    assert services.active()[0].signals["cash"].label.en == "Lots of cash"


@pytest.mark.django_db
def test_load_bad_files_exit_1_and_store_nothing(bad_dir, capsys):
    with pytest.raises(CommandError) as caught:
        call_command("catalogue", "load", "--dir", str(bad_dir))
    assert caught.value.returncode == 1
    assert f"{bad_dir / 'signals.yaml'}:" in capsys.readouterr().err
    assert not CatalogueVersion.objects.exists()
    assert not RulesetVersion.objects.exists()


def _load(directory) -> None:
    call_command("catalogue", "load", "--dir", str(directory), stdout=io.StringIO())


def _records(kind):
    return list(AuditRecord.objects.filter(kind=kind).order_by("id"))


@pytest.mark.django_db
def test_load_leaves_an_audit_record_per_version_made_active_naming_the_operator(tmp_path):
    first_dir = write_catalogue(tmp_path / "first")
    second_dir = write_catalogue(tmp_path / "second", change("signals.yaml", "Lots of", "Much"))
    operator = Operator.command_line()
    _load(first_dir)  # both new: one record for the catalogue, one for the ruleset
    loaded = _records(AuditKind.CATALOGUE_LOADED)
    assert [(r.object_type, r.object_id) for r in loaded] == [
        ("catalogueversion", str(CatalogueVersion.objects.get().pk)),
        ("rulesetversion", str(RulesetVersion.objects.get().pk)),
    ]
    assert all(r.user_id is None and r.os_user == operator.os_user for r in loaded)
    first = CatalogueVersion.objects.get()
    assert loaded[0].details == first.version
    _load(first_dir)  # unchanged: nothing written, nothing recorded
    assert AuditRecord.objects.count() == 2
    _load(second_dir)  # only the catalogue changed
    [second] = _records(AuditKind.CATALOGUE_LOADED)[2:]
    assert (second.object_type, second.object_id) == (
        "catalogueversion",
        str(CatalogueVersion.objects.get(is_active=True).pk),
    )
    assert not _records(AuditKind.CATALOGUE_REACTIVATED)
    _load(first_dir)  # the first catalogue becomes active again
    [again] = _records(AuditKind.CATALOGUE_REACTIVATED)
    assert (again.object_type, again.object_id, again.details) == (
        "catalogueversion",
        str(first.pk),
        first.version,
    )
    assert again.user_id is None and again.os_user == operator.os_user
    assert AuditRecord.objects.count() == 4


@pytest.mark.django_db
def test_load_whose_audit_record_fails_stores_nothing(tmp_path, monkeypatch):
    def broken(**fields):
        raise DatabaseError("synthetic failure of the audit insert")

    monkeypatch.setattr(AuditRecord.objects, "create", broken)
    with pytest.raises(CommandError) as caught:
        _load(write_catalogue(tmp_path))
    assert caught.value.returncode == 1 and "synthetic failure" in str(caught.value)
    assert not CatalogueVersion.objects.exists()
    assert not RulesetVersion.objects.exists()


@pytest.mark.django_db
def test_load_whose_store_fails_records_nothing(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("synthetic failure of the ruleset insert")

    monkeypatch.setattr(RulesetVersion.objects, "get_or_create", broken)
    with pytest.raises(CommandError):
        _load(write_catalogue(tmp_path))
    assert not CatalogueVersion.objects.exists()
    assert not AuditRecord.objects.exists()


@pytest.mark.django_db
def test_reactivating_in_a_rolled_back_transaction_keeps_no_record(tmp_path):
    first_dir = write_catalogue(tmp_path / "first")
    _load(first_dir)
    _load(write_catalogue(tmp_path / "second", change("signals.yaml", "Lots of", "Much")))
    with pytest.raises(RuntimeError), transaction.atomic():
        _load(first_dir)
        assert len(_records(AuditKind.CATALOGUE_REACTIVATED)) == 1
        raise RuntimeError("the surrounding transaction fails")
    assert not _records(AuditKind.CATALOGUE_REACTIVATED)
