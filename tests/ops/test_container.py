"""The image's commands work outside a container (no container engine runs in CI): the
Dockerfile's CMD and every `command:` of compose.yaml run here, with the Dockerfile's
ENV, on a fresh database: the migrations and catalogue load, the server's settings check,
the worker through an empty queue."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) per Dockerfile instruction, continuations joined."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            instruction, _, rest = line.partition(" ")
            found.append((instruction.upper(), rest.strip()))
    return found


def image_env() -> dict[str, str]:
    env = {}
    for instruction, rest in dockerfile():
        if instruction == "ENV":
            env.update(pair.split("=", 1) for pair in shlex.split(rest))
    return env


def image_cmd() -> list[str]:
    (cmd,) = [json.loads(rest) for instruction, rest in dockerfile() if instruction == "CMD"]
    return cmd


def compose_commands() -> dict[str, list[str]]:
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    return {name: s["command"] for name, s in services.items() if s.get("build") == "."}


def run(command: list[str], tmp_path: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        **image_env(),
        "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'lens.sqlite3'}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "TOMBSTONE_JOURNAL": str(tmp_path / "tombstones.jsonl"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    return subprocess.run(
        [*command, *extra],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_image_and_compose_name_the_commands_tested_here():
    assert image_cmd() == ["lens", "serve"]
    commands = compose_commands()
    assert set(commands) == {"migrate", "web", "worker"}
    assert commands["web"][:2] == ["lens", "serve"]
    assert commands["worker"] == ["lens", "worker"]
    for instruction, rest in dockerfile():
        if instruction == "COPY" and not rest.startswith(". "):
            for source in rest.split()[:-1]:
                assert (ROOT / source).exists(), source
    assert os.access(ROOT / "scripts" / "system-deps.sh", os.X_OK)


def test_the_commands_run_outside_a_container(tmp_path):
    commands = compose_commands()
    migrated = run(commands["migrate"], tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    for command in (image_cmd(), commands["web"]):
        checked = run(command, tmp_path, "--check")
        assert checked.returncode == 0, checked.stderr
        assert "gunicorn lens.wsgi:application" in checked.stdout
        assert "--bind 0.0.0.0:8000" in checked.stdout  # BIND from the image's ENV
    worked = run(commands["worker"], tmp_path, "--batch")
    assert worked.returncode == 0, worked.stderr
    assert all(json.loads(line) for line in worked.stderr.splitlines() if line.strip())
