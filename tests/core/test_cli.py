"""The `lens` console script: project help, and Django's commands behind it."""

import json
import os
import subprocess
import sys
from pathlib import Path

from lens.cli import PROJECT_COMMANDS, main


def test_help_lists_every_project_command(capsys):
    assert main(["lens", "--help"]) == 0
    out = capsys.readouterr().out
    for name, text in PROJECT_COMMANDS.items():
        assert name in out and text in out
    assert "migrate" in out


def project_command_names() -> set[str]:
    """Every management command the project defines (lens/*/management/commands)."""
    root = Path(__file__).resolve().parents[2] / "lens"
    return {
        path.stem.replace("_", "-")
        for path in root.glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    }


def test_help_and_readme_name_every_project_command(capsys):
    names = project_command_names()
    assert {"accesslog", "audit", "demo-code"} <= names  # the scan finds them
    assert names <= set(PROJECT_COMMANDS)  # (db-worker comes from django_tasks_db)
    main(["lens", "--help"])
    out = capsys.readouterr().out
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name in names:
        assert f"  {name} " in out, name
        assert f"| `lens {name}" in readme, name


def test_no_arguments_prints_help(capsys):
    assert main(["lens"]) == 0
    assert "Project commands" in capsys.readouterr().out


def test_django_commands_run_through_lens():
    result = subprocess.run(
        [sys.executable, "-c", "from lens.cli import main; main(['lens', 'help', '--all'])"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for command in ("migrate", "runserver", "assess", "catalogue", "demo"):
        assert command in result.stdout


def test_project_commands_may_be_typed_with_hyphens():
    result = subprocess.run(
        [sys.executable, "-c", "from lens.cli import main; main(['lens', 'demo-code', '--help'])"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: lens demo_code" in result.stdout


ROOT = Path(__file__).resolve().parents[2]


def lens(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`lens ARGS` as a newcomer runs it: from the project folder, with a clean
    environment (no DEBUG, no secrets, no DATABASE_URL) and an empty VAR_DIR."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "VAR_DIR": str(tmp_path / "var")}
    return subprocess.run(
        [sys.executable, "-c", "import sys; from lens.cli import main; sys.exit(main())", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**clean, **env},
    )


def test_assess_works_without_secrets_and_without_a_database(tmp_path):
    result = lens(tmp_path, "assess", "--json", "examples/assess/school-and-debts.json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["level"] == 2
    assert result.stderr == ""
    assert list((tmp_path / "var").iterdir()) == []  # no database file was made


def assess_refuses(tmp_path, *args: str) -> str:
    """`lens assess ARGS` as a newcomer runs it: refused with status 2 and a message on
    standard error, no traceback and nothing on standard output; the message."""
    result = lens(tmp_path, "assess", *args)
    assert result.returncode == 2, result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    return result.stderr


def test_assess_refuses_bad_input_in_dutch(tmp_path):
    unknown = tmp_path / "unknown.json"
    unknown.write_text('{"signals": ["zzz"], "extra": 1}', encoding="utf-8")
    said = assess_refuses(tmp_path, str(unknown))
    assert said == "lens: onbekende sleutels ['extra']\n"
    codes = tmp_path / "codes.json"
    codes.write_text('{"signals": ["zzz"]}', encoding="utf-8")
    assert assess_refuses(tmp_path, str(codes)) == "lens: onbekende code 'zzz' in signals\n"
    broken = tmp_path / "broken.json"
    broken.write_text("{bad", encoding="utf-8")
    assert assess_refuses(tmp_path, str(broken)).startswith(
        "lens: De invoer is geen geldige JSON: regel 1, kolom 2: "
    )
    missing = tmp_path / "missing.json"
    assert assess_refuses(tmp_path, str(missing)) == (
        f"lens: Kan {missing} niet lezen: het bestand bestaat niet\n"
    )
    lines = tmp_path / "lines.jsonl"
    lines.write_text('{"signals": ["zzz"]}\n{bad\n', encoding="utf-8")
    result = lens(tmp_path, "assess", "--jsonl", str(lines))
    assert result.returncode == 2
    assert result.stderr == "lens: 2 regels hadden onjuiste invoer.\n"
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["error"] == "onbekende code 'zzz' in signals"
    assert second["error"].startswith("geen geldige JSON: ")
    # In the language of --lang, as the outcome's labels.
    assert assess_refuses(tmp_path, "--lang", "en", str(codes)) == (
        "lens: unknown code 'zzz' in signals\n"
    )


def test_assess_refuses_a_code_in_more_than_one_list_in_one_dutch_line(tmp_path):
    """The outside probe: a code in signals, unknown and absent gave level 1, status 0."""
    both = tmp_path / "both.json"
    both.write_text(
        '{"signals": ["truancy"], "unknown": ["truancy"], "absent": ["truancy"]}',
        encoding="utf-8",
    )
    assert assess_refuses(tmp_path, str(both)) == (
        "lens: code 'truancy' staat in meer dan één van signals, unknown, absent; "
        "geef elke code in één lijst\n"
    )


def test_assess_says_its_usage_errors_in_dutch(tmp_path):
    example = "examples/assess/school-and-debts.json"
    said = assess_refuses(tmp_path, "--lang", "xx", example)
    assert said.startswith("usage: lens assess")
    assert said.endswith("lens assess: fout: --lang: 'xx' is geen keuze (kies uit 'nl', 'en')\n")
    said = assess_refuses(tmp_path, example, "extra.json")
    assert said.endswith("lens assess: fout: onbekende argumenten: extra.json\n")
    said = assess_refuses(tmp_path, "--json", "--jsonl", example)
    assert said.endswith("lens assess: fout: --jsonl kan niet samen met --json worden gegeven\n")


def test_other_commands_still_refuse_to_start_without_the_secret_in_one_line(tmp_path):
    result = lens(tmp_path, "users", "list")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "lens: SECRET_KEY must be set when DEBUG is off. (see README.md, Configuration)\n"
    )


def test_a_database_without_tables_is_one_line_not_a_traceback(tmp_path):
    result = lens(tmp_path, "demo-code", "demo-prof-school-tilburg", DEBUG="1", DEMO_MODE="1")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("lens: the database is not ready (no such table: ")
    assert "lens migrate" in result.stderr


def test_a_wrong_setting_is_one_line_for_assess_too(tmp_path):
    result = lens(
        tmp_path, "assess", "--json", "examples/assess/school-and-debts.json", DEBUG="maybe"
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "DEBUG must be a boolean" in result.stderr


def conn_max_age(*argv: str) -> str:
    code = (
        f"import sys; sys.argv = {list(argv)!r}; import django; django.setup(); "
        "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lens.settings",
        "DEBUG": "1",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "CONN_MAX_AGE": "600",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return result.stdout.strip()


def test_the_development_server_keeps_no_connections():
    # Its thread per request would never reuse a kept connection (an outside probe ran
    # PostgreSQL out of connections with it); the production server keeps them.
    assert conn_max_age("lens", "runserver", "127.0.0.1:8000") == "0"
    assert conn_max_age("gunicorn", "lens.wsgi") == "600"


def test_the_catalogue_files_are_validated_and_exported_without_secrets(tmp_path):
    # The demo's tour prints `lens catalogue export --json` as it is to be typed.
    result = lens(tmp_path, "catalogue", "export", "--json")
    assert result.returncode == 0, result.stderr
    assert "signals" in json.loads(result.stdout)["catalogue"]
    result = lens(tmp_path, "catalogue", "validate")
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "var").iterdir()) == []  # no database file was made


def test_exporting_the_active_version_needs_the_database_settings(tmp_path):
    result = lens(tmp_path, "catalogue", "export", "--json", "--active")
    assert result.returncode == 1
    assert "SECRET_KEY must be set" in result.stderr


def test_help_needs_no_secret(tmp_path):
    for args in (("users", "--help"), ("help", "users"), ("accesslog", "-h")):
        result = lens(tmp_path, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stdout.startswith("usage: lens "), args
    assert list((tmp_path / "var").iterdir()) == []


def test_an_unknown_command_is_named_without_asking_for_the_secret(tmp_path):
    result = lens(tmp_path, "nosuch")
    assert result.returncode == 2
    assert result.stderr == "lens: unknown command 'nosuch'; `lens --help` lists them.\n"


def test_a_database_url_with_an_unknown_scheme_is_one_line(tmp_path):
    result = lens(tmp_path, "migrate", DEBUG="1", DATABASE_URL="foo://bar")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("lens: DATABASE_URL has a scheme the lens cannot use ('foo')")


def test_a_missing_postgresql_database_says_to_create_it(tmp_path):
    url = "postgres://postgres@127.0.0.1:5432/lens_no_such_database"
    result = lens(tmp_path, "users", "list", DEBUG="1", DATABASE_URL=url)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "does not exist" in result.stderr and "Create the database" in result.stderr


def test_a_command_refusal_reads_like_every_other_lens_line(tmp_path):
    assert lens(tmp_path, "migrate", "-v0", DEBUG="1").returncode == 0
    result = lens(tmp_path, "accounts", "unlock", "nobody", DEBUG="1")
    assert result.returncode == 1
    assert result.stderr == (
        "lens: Geen gebruiker 'nobody' en geen mislukte aanmeldingen onder die naam.\n"
    )


def test_the_embedded_database_is_readable_by_its_owner_only(tmp_path):
    result = lens(tmp_path, "migrate", "-v0", DEBUG="1")
    assert result.returncode == 0, result.stderr
    files = sorted((tmp_path / "var").glob("lens.sqlite3*"))
    assert files
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600, path


def test_a_reader_that_stops_early_is_no_error(tmp_path):
    """`lens catalogue export --json | head -1`: the pipe closes while the command still writes;
    that ends the command quietly, not with a BrokenPipeError traceback."""
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "VAR_DIR": str(tmp_path / "var")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from lens.cli import main; sys.exit(main())",
            "catalogue",
            "export",
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=clean,
    )
    assert process.stdout.read(10)  # the command wrote something
    process.stdout.close()  # like `head`, the reader goes away
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


USAGE_MISTAKES = [
    *([name, "--no-such-option"] for name in sorted(PROJECT_COMMANDS)),
    ["users", "add"],
    ["users", "end-membership", "demo-beheerder", "--id", "abc"],
    ["organisations", "add", "x", "--type", "bogus"],
    ["catalogue"],
    ["serve", "--workers", "abc"],
    ["frob"],
    ["help", "frob"],
]


def test_every_usage_error_exits_2_in_one_line_without_traceback(monkeypatch, capsys):
    """A wrong command line is argparse's exit status 2 for every command (outside probe:
    `lens users`, `lens organisations` and an unknown command exited with 1)."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test database
    wrong = []
    for args in USAGE_MISTAKES:
        try:
            status = main(["lens", *args])
        except SystemExit as exited:
            status = exited.code
        err = capsys.readouterr().err
        last = err.strip().splitlines()[-1] if err.strip() else ""
        if (
            status != 2
            or "Traceback" in err
            or not ("error:" in last or "fout:" in last or last.startswith("lens: "))
        ):
            wrong.append((args, status, last))
    assert not wrong, wrong
