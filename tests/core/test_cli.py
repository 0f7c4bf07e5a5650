"""The `lens` console script: project help, and Django's commands behind it."""

import subprocess
import sys

from lens.cli import PROJECT_COMMANDS, main


def test_help_lists_every_project_command(capsys):
    assert main(["lens", "--help"]) == 0
    out = capsys.readouterr().out
    for name, text in PROJECT_COMMANDS.items():
        assert name in out and text in out
    assert "migrate" in out


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
