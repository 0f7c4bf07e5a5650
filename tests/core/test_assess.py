"""`lens assess`: JSON in, JSON out, with clear errors and stable keys."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lens.core.management.commands.assess import EXIT_BAD_INPUT, EXIT_NO_CATALOGUE

pytestmark = pytest.mark.django_db

STABLE_KEYS = {
    "level",
    "label",
    "values",
    "explanation",
    "blind_spots",
    "next_steps",
    "catalogue_version",
    "ruleset_version",
}


def assess(monkeypatch, text, *args):
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    out = io.StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


def test_outcome_has_the_documented_keys(loaded_catalogue, monkeypatch):
    data = {"signals": [{"code": "truancy"}, {"code": "injuries"}], "region": "amsterdam"}
    result = json.loads(assess(monkeypatch, json.dumps(data), "--json"))
    assert set(result) >= STABLE_KEYS
    assert result["level"] == 2  # two soft signals in two leefgebieden
    assert result["values"]["total"] == 2
    assert {"indicators", "life_domains", "total"} <= set(result["values"])
    assert result["catalogue_version"] == loaded_catalogue[0].version
    assert result["ruleset_version"] == loaded_catalogue[1].version
    phones = [c["phone"] for c in result["next_steps"]["contacts"]]
    assert "06 105 994 58" in phones  # the Amsterdam zorgcoördinator (seed 004)


def test_example_file_in_the_readme_works(loaded_catalogue, settings):
    out = io.StringIO()
    example = settings.BASE_DIR / "examples" / "assess" / "school-and-debts.json"
    call_command("assess", "--json", str(example), stdout=out)
    result = json.loads(out.getvalue())
    assert result["level"] == 2
    assert result["as_of"] == "2026-11-23"


def test_english_labels(loaded_catalogue, monkeypatch):
    result = json.loads(assess(monkeypatch, '{"signals": ["truancy"]}', "--lang", "en"))
    assert result["label"] == "Map the signals and stay alert"


def test_unknown_codes_exit_2_naming_each_code_and_its_closest_codes(loaded_catalogue, monkeypatch):
    with pytest.raises(CommandError) as info:
        assess(monkeypatch, '{"signals": ["truancyy", "two_phone"], "risk_factors": ["lvbb"]}')
    assert info.value.returncode == EXIT_BAD_INPUT
    message = str(info.value)
    assert "'truancyy'" in message and "truancy" in message.split("'truancyy'")[1]
    assert "'two_phone'" in message and "two_phones" in message
    assert "'lvbb'" in message


def test_invalid_json_names_line_and_column(loaded_catalogue, monkeypatch):
    with pytest.raises(CommandError, match="line 1, column") as info:
        assess(monkeypatch, '{"signals": [}')
    assert info.value.returncode == EXIT_BAD_INPUT


def test_jsonl_writes_one_outcome_per_line_and_reports_bad_lines(loaded_catalogue, monkeypatch):
    lines = '{"signals": ["truancy"]}\n\n{"signals": ["nope"]}\n{"signals": []}\n'
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("assess", "--jsonl", stdout=out)
    assert info.value.returncode == EXIT_BAD_INPUT
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r.get("level") for r in results] == [1, None, 0]
    assert results[1]["line"] == 3 and "nope" in results[1]["error"]


def test_without_a_loaded_catalogue_the_files_are_read(monkeypatch, parsed_catalogue):
    result = json.loads(assess(monkeypatch, '{"signals": ["truancy"]}'))
    assert result["catalogue_version"] == parsed_catalogue.catalogue.version
    assert result["ruleset_version"] == parsed_catalogue.ruleset.version


def test_without_a_loaded_catalogue_and_invalid_files_exit_3(monkeypatch, settings, tmp_path):
    (tmp_path / "catalogue.yaml").write_text("catalogue: [\n", encoding="utf-8")
    settings.CATALOGUE_DIR = tmp_path
    with pytest.raises(CommandError) as info:
        assess(monkeypatch, '{"signals": []}')
    assert info.value.returncode == EXIT_NO_CATALOGUE
    assert f"{tmp_path / 'catalogue.yaml'}:" in str(info.value)
