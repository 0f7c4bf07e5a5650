"""`lens assess`: JSON in, JSON out, with clear errors and stable keys."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lens.core.management.commands.assess import EXIT_BAD_INPUT, EXIT_NO_CATALOGUE
from lens.rules import validation
from lens.rules.limits import MAX_CODES, SUGGESTED_CODES

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
    # two soft signals in two leefgebieden: level 1 since ruleset 2026.12 (issue 12 §4)
    assert result["level"] == 1
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


@pytest.mark.parametrize(
    ("lang", "wording"),
    [
        ("nl", "onbekende code 'nope' in signals"),
        ("en", "unknown code 'nope' in signals"),
    ],
)
def test_bad_input_is_one_line_and_a_region_gets_known_codes(
    loaded_catalogue, monkeypatch, lang, wording
):
    """The README: "2 bad input, in one line"; every problem named in it, in the user's
    language, an unknown region with the known ones (outside probe: three lines, "unknown
    signals code 'nope'" in English, no region suggested)."""
    text = '{"signals": ["nope", "truancyy"], "region": "mars"}'
    with pytest.raises(CommandError) as info:
        assess(monkeypatch, text, "--lang", lang)
    message = str(info.value)
    assert "\n" not in message and message.count("; ") == 2
    assert message.startswith(wording)
    assert "'mars'" in message and "amsterdam, midden_brabant" in message.split("'mars'")[1]


def test_invalid_json_names_line_and_column(loaded_catalogue, monkeypatch):
    with pytest.raises(CommandError, match="regel 1, kolom") as info:
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


# --- bounds (issue 9): a request full of unknown codes costs little and answers briefly ---


@pytest.fixture
def searches(monkeypatch) -> list[str]:
    """The codes that the closest-codes search ran for."""
    seen: list[str] = []
    original = validation.closest_codes

    def counting(code, known, labels):
        seen.append(code)
        return original(code, known, labels)

    monkeypatch.setattr(validation, "closest_codes", counting)
    return seen


def nonsense(n: int) -> list[str]:
    return [f"no_such_code_{i}" for i in range(n)]


def test_too_many_codes_exit_2_with_a_short_message_naming_the_bound(
    loaded_catalogue, monkeypatch, searches
):
    text = json.dumps({"signals": nonsense(20_000), "risk_factors": nonsense(20_000)})
    with pytest.raises(CommandError) as info:
        assess(monkeypatch, text, "--json")
    assert info.value.returncode == EXIT_BAD_INPUT
    message = str(info.value)
    assert f"hoogstens {MAX_CODES} codes" in message and len(message) < 500
    assert searches == []


def test_too_many_codes_in_jsonl_give_a_short_error_line(loaded_catalogue, monkeypatch, searches):
    lines = json.dumps({"signals": nonsense(20_000)}) + '\n{"signals": ["truancy"]}\n'
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("assess", "--jsonl", stdout=out)
    assert info.value.returncode == EXIT_BAD_INPUT
    first, second = out.getvalue().splitlines()
    assert len(first) < 500 and f"hoogstens {MAX_CODES} codes" in json.loads(first)["error"]
    assert json.loads(second)["level"] == 1
    assert searches == []


@pytest.mark.parametrize("mode", ["--json", "--jsonl"])
def test_only_the_first_unknown_codes_get_closest_codes(
    loaded_catalogue, monkeypatch, searches, mode
):
    codes = nonsense(MAX_CODES)
    with pytest.raises(CommandError) as info:
        assess(monkeypatch, json.dumps({"signals": codes}), mode)
    assert info.value.returncode == EXIT_BAD_INPUT
    assert searches == codes[:SUGGESTED_CODES]


@pytest.mark.parametrize("written", ["20260101", "2026-1-1", ""])
def test_dates_only_as_yyyy_mm_dd(loaded_catalogue, monkeypatch, written):
    with pytest.raises(CommandError, match="is geen datum") as info:
        assess(monkeypatch, json.dumps({"signals": ["truancy"], "as_of": written}))
    assert info.value.returncode == EXIT_BAD_INPUT


# --- hostile input: a one-line error, never a traceback ------------------------------------

DEEP = '{"signals":' + "[" * 100_000 + "]" * 100_000 + "}"


def test_deeply_nested_json_exits_2_with_one_line(loaded_catalogue, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text(DEEP, encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("assess", "--json", str(deep), stdout=io.StringIO())
    assert info.value.returncode == EXIT_BAD_INPUT
    assert str(info.value) == "De invoer is geen geldige JSON: te diep genest"


def test_a_deep_or_surrogate_line_in_jsonl_is_an_error_line_and_the_rest_goes_on(
    loaded_catalogue, monkeypatch
):
    lines = [DEEP, '{"signals": ["truancy", "\\ud800"]}', '{"signals": ["truancy"]}']
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 regels hadden onjuiste invoer") as info:
        call_command("assess", "--jsonl", stdout=out)
    assert info.value.returncode == EXIT_BAD_INPUT
    deep, surrogate, fine = (json.loads(line) for line in out.getvalue().splitlines())
    assert deep == {"line": 1, "error": "geen geldige JSON: te diep genest"}
    assert surrogate["line"] == 2 and "losse surrogaat" in surrogate["error"]
    assert fine["level"] == 1


def test_input_that_is_not_utf8_exits_2(loaded_catalogue, tmp_path):
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"signals": ["verzuim é"]}'.encode("latin-1"))
    with pytest.raises(CommandError, match="geen UTF-8-tekst") as info:
        call_command("assess", "--json", str(latin), stdout=io.StringIO())
    assert info.value.returncode == EXIT_BAD_INPUT
