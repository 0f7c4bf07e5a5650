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

from lens.catalogue import services
from lens.catalogue.models import CatalogueVersion, RulesetVersion

from .minimal import change, line_of, write_catalogue


def run(*args):
    """Run the command as from the command line; returns the exit status."""
    command = load_command_class("lens.catalogue", "catalogue")
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
