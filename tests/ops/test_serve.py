"""`lens serve` (gunicorn, WhiteNoise, JSON logs) and `lens worker`, as real processes."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from lens.ops.management.commands import serve
from lens.registry.tasks import recompute_outcomes
from tests.ops.processes import LENS, lens_env, stop

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def wait_until_up(base: str, process: subprocess.Popen, seconds: float = 180) -> None:
    """Until /healthz answers. Generous: on a machine as busy as a full test run makes it
    (load 14 on 2 cores), starting two workers alone took most of a minute."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"lens serve exited with {process.returncode}"
        try:
            if get(f"{base}/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"lens serve did not answer /healthz within {seconds}s")


def test_serve_answers_probes_and_static_files_with_json_logs(loaded_catalogue, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("w+")
    env = lens_env(VAR_DIR=str(tmp_path), STATIC_MANIFEST="1")
    # Collected once before, untimed (hashing every vendored file takes 6 s of a quiet
    # machine, a minute of a busy one); serve's own collectstatic then finds nothing new.
    subprocess.run([LENS, "collectstatic", "--no-input", "-v0"], env=env, check=True)
    process = subprocess.Popen(
        [LENS, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        # The production static storage (hashed names) in a folder of this test's own.
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until_up(base, process)
        status, body, _ = get(f"{base}/readyz")
        assert (status, body) == (200, b"ready\n")
        hashed = next((tmp_path / "staticfiles" / "css").glob("app.*.css"))
        status, body, headers = get(f"{base}/static/css/{hashed.name}")
        assert status == 200 and body == hashed.read_bytes()
        assert "immutable" in headers["Cache-Control"]  # WhiteNoise, for hashed names
        assert get(f"{base}/registratie/personen/P-ABCD2345/")[0] in (302, 404)
    finally:
        stop(process)
    log.seek(0)
    lines = [line for line in log.read().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    messages = " ".join(r["message"] for r in records)
    assert "Booting worker" in messages and '"GET /readyz" 200' in messages
    assert "P-ABCD2345" not in "\n".join(lines)  # a pseudonym in a path is masked
    assert process.returncode is not None


def test_workers_from_the_cores_or_web_concurrency(monkeypatch):
    monkeypatch.setattr(serve, "cores", lambda: 2)
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    assert serve.default_workers() == 5  # 2 x 2 + 1
    monkeypatch.setattr(serve, "cores", lambda: 64)
    assert serve.default_workers() == serve.MAX_WORKERS
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert serve.default_workers() == 3


def test_worker_runs_an_enqueued_task_and_stops(loaded_catalogue):
    catalogue, ruleset = loaded_catalogue
    backend = DatabaseBackend("default", {"BACKEND": "django_tasks_db.DatabaseBackend"})
    result = backend.enqueue(recompute_outcomes, (catalogue.version, ruleset.version), {})
    assert DBTaskResult.objects.get(pk=result.id).status == "READY"
    done = subprocess.run(
        [LENS, "worker", "--batch", "--max-tasks", "1"],
        env=lens_env(TASKS_BACKEND="django_tasks_db.DatabaseBackend"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL"
    assert row.return_value == 0  # nothing was stale


def test_worker_refuses_the_immediate_backend():
    done = subprocess.run(
        [LENS, "worker", "--batch"],
        env=lens_env(TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("lens: TASKS_BACKEND is ")


def test_a_refusal_is_logged_once_also_with_debug_on(loaded_catalogue, tmp_path):
    """Django's own console handler (DEBUG only) printed each django.request record a
    second time, as plain text, beside the JSON line."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("w+")
    env = lens_env(VAR_DIR=str(tmp_path), STATIC_MANIFEST="1")
    # Collected once before, untimed (hashing every vendored file takes 6 s of a quiet
    # machine, a minute of a busy one); serve's own collectstatic then finds nothing new.
    subprocess.run([LENS, "collectstatic", "--no-input", "-v0"], env=env, check=True)
    process = subprocess.Popen(
        [LENS, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-collectstatic"],
        env=lens_env(VAR_DIR=str(tmp_path), DEBUG="1"),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_until_up(base, process)
        assert get(f"{base}/bestaat-niet/")[0] == 404
    finally:
        stop(process)
    log.seek(0)
    lines = [line for line in log.read().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    refusals = [r for r in records if r["message"] == "Not Found: /bestaat-niet/"]
    assert len(refusals) == 1


@pytest.mark.parametrize("bad", ["0", "-1", "many"])
def test_worker_refuses_a_task_limit_below_one(bad):
    """The outside probe: `lens worker --max-tasks -1` was taken as no limit."""
    with pytest.raises(CommandError) as refused:
        call_command("worker", "--max-tasks", bad)
    assert "geen geheel getal van 1 of meer" in str(refused.value)
