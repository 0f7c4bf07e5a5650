"""`lens demo` prints the address the server actually uses (make run passes HOST:PORT),
and its accounts have names, which the pages show instead of usernames."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE, settings.DEBUG = True, True


def test_the_demo_prints_the_port_it_was_given_and_names_its_accounts(demo_mode):
    out = io.StringIO()
    call_command("demo", "--persons", "0", "--url", "http://127.0.0.1:8200/", stdout=out)
    printed = out.getvalue()
    assert "http://127.0.0.1:8200/accounts/login/" in printed
    assert "http://127.0.0.1:8200/regie/" in printed
    assert ":8000" not in printed
    users = get_user_model().objects.filter(username__startswith="demo-")
    assert users.exists()
    assert all(user.get_full_name() for user in users)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_gives_the_server_its_own_address_for_the_work_list_emails(settings):
    """The work-list e-mails (lens.coordination.notify) link to SITE_URL: `make run` sets
    it to the host and port it serves on, for the demo data and for the server."""
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=8301"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    commands = [line for line in dry.stdout.splitlines() if "/lens " in line]
    server = next(line for line in commands if " runserver " in line)
    demo = next(line for line in commands if " demo " in line)
    for line in (server, demo):
        assert "SITE_URL=http://127.0.0.1:8301 " in line, line
    assert server.endswith("runserver 127.0.0.1:8301")
    assert demo.endswith("--url http://127.0.0.1:8301")
    assert ":8000" not in dry.stdout


def test_every_command_the_demo_prints_is_written_so_in_the_readme(demo_mode):
    """The tour and the account help print commands to type: each as the README's tour
    writes it (from the checkout: `.venv/bin/lens`, not a `lens` that is not on the PATH)."""
    out = io.StringIO()
    call_command("demo", "--persons", "0", stdout=out)
    commands = [
        line.strip()
        for line in out.getvalue().splitlines()
        if re.match(r"\s+(\S+=\S+ )*(\.venv/bin/)?lens ", line)
    ]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert len(commands) >= 3, out.getvalue()
    # USERNAME stands for an account of the table above it: the README's tour names one.
    written = [c.replace("USERNAME", "demo-prof-school-tilburg") for c in commands]
    assert [c for c in written if f"`{c}`" not in readme.replace("\n   ", " ")] == []
