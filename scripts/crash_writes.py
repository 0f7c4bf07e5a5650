#!/usr/bin/env python3
"""Kill the server with SIGKILL in the middle of concurrent API writes, start it again,
and check that every write it acknowledged (2xx) is there and the access log verifies.

    .venv/bin/python scripts/crash_writes.py                       # SQLite in a temp dir
    .venv/bin/python scripts/crash_writes.py --database-url postgres://postgres@127.0.0.1:5432/wt_crash
    .venv/bin/python scripts/crash_writes.py --rounds 3 --writers 8 --kill-after 3

Each round: start `lens runserver` (threaded, no autoreload) on its own port, let
`--writers` threads register persons with a first observation and add observations to
persons acknowledged before (each request with an Idempotency-Key), kill the server's
process group with SIGKILL after `--kill-after` seconds, start it again, and read every
acknowledged write back through the API. Then `lens accesslog verify`. Prints, per round
and in total: writes sent, acknowledged, lost (acknowledged but absent: must be 0), and
unanswered (cut off by the kill: allowed to be there or not). Exit 1 if anything
acknowledged was lost or the log does not verify.

The PostgreSQL database (if given) must exist and is emptied first (flush).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LENS = str(ROOT / ".venv" / "bin" / "lens")
ORGANISATION = "Crashtest Synthetische School"
SIGNALS = ["unexplained_debts", "unexplained_money_or_possessions"]


def lens(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [LENS, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        sys.exit(f"lens {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def prepare(env: dict[str, str], postgres: bool) -> str:
    """An empty database with the catalogue, one organisation and an API client: its token."""
    lens(env, "migrate", "--no-input")
    if postgres:
        # The access log refuses deletes (append-only triggers); start from an empty
        # schema instead of flushing.
        lens(env, "migrate", "--no-input", "access", "zero")
        lens(env, "flush", "--no-input")
        lens(env, "migrate", "--no-input")
    lens(env, "catalogue", "load")
    lens(
        env,
        *("organisations", "add", "--name", ORGANISATION, "--type", "school"),
        *("--region", "midden_brabant", "--contact-name", "Crash Test"),
        *("--contact-phone", "013-0000000", "--contact-email", "crash@example.org"),
    )
    out = lens(env, "apiclient", "create", "--organisation", ORGANISATION, "--name", "crash")
    tokens = [w for w in out.stdout.split() if len(w) >= 40]
    if not tokens:
        sys.exit(f"no token in the output of apiclient create:\n{out.stdout}")
    return tokens[0]


class Server:
    def __init__(self, env: dict[str, str], port: int):
        self.env, self.port = env, port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [LENS, "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, killed as a whole
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v1/persons", timeout=2)
            except urllib.error.HTTPError:
                return  # 401: it answers
            except OSError:
                time.sleep(0.2)
        sys.exit("the server did not start within 60 seconds")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def call(port: int, token: str, method: str, path: str, body=None, key: str = ""):
    """(status, parsed body); status 0 when the connection broke (no answer)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1{path}", data=data, method=method
    )
    request.add_header("Authorization", f"Token {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None
    except (OSError, ValueError):
        return 0, None


def observation(rng: random.Random) -> dict:
    return {
        "signals": rng.sample(SIGNALS, rng.randint(1, 2)),
        "observed_on": (date.today() - timedelta(days=rng.randint(1, 300))).isoformat(),
        "how_learned": "seen_myself",
    }


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent = self.unanswered = self.refused = 0
        self.persons: dict[str, int] = {}  # acknowledged pseudonym -> registration id
        self.registrations: list[tuple[str, int]] = []  # acknowledged (pseudonym, id)


def writer(number: int, port: int, token: str, stop: threading.Event, tally: Tally) -> None:
    rng = random.Random(number)
    while not stop.is_set():
        with tally.lock:
            known = list(tally.persons)
            tally.sent += 1
        if known and rng.random() < 0.4:
            pseudonym = rng.choice(known)
            path, body = f"/persons/{pseudonym}/registrations", observation(rng)
        else:
            name = "".join(rng.choices(string.ascii_lowercase, k=10)).capitalize()
            identity = {
                "given_names": name,
                "family_name": f"Crash{number}",
                "birth_date": "2008-05-06",
            }
            path, body = "/persons", {"identity": identity, "registration": observation(rng)}
        status, answer = call(port, token, "POST", path, body, key=str(uuid.uuid4()))
        with tally.lock:
            if status == 0:
                tally.unanswered += 1
            elif 200 <= status < 300 and path == "/persons":
                tally.persons[answer["pseudonym"]] = answer["registration"]["id"]
                tally.registrations.append((answer["pseudonym"], answer["registration"]["id"]))
            elif 200 <= status < 300:
                tally.registrations.append((path.split("/")[2], answer["id"]))
            else:
                tally.refused += 1
        if status == 0:
            return  # the server is gone


def check(port: int, token: str, tally: Tally) -> int:
    """How many acknowledged writes are missing after the restart."""
    present: dict[str, set[int]] = {}
    for pseudonym in {p for p, _ in tally.registrations}:
        status, answer = call(port, token, "GET", f"/persons/{pseudonym}")
        present[pseudonym] = {r["id"] for r in answer["registrations"]} if status == 200 else set()
    return sum(1 for p, rid in tally.registrations if rid not in present[p])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="", help="PostgreSQL URL; SQLite if empty")
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--kill-after", type=float, default=3.0, help="seconds of writing")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--var-dir", default="", help="VAR_DIR (default: a new temp dir)")
    args = parser.parse_args()

    var_dir = args.var_dir or tempfile.mkdtemp(prefix="lens-crash-")
    env = {**os.environ, "DEBUG": "1", "VAR_DIR": var_dir}
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    database = "PostgreSQL" if args.database_url else f"SQLite in {var_dir}"
    print(f"database: {database}; {args.writers} writers, kill after {args.kill_after}s")
    token = prepare(env, postgres=bool(args.database_url))
    server = Server(env, args.port)
    totals = {"sent": 0, "acknowledged": 0, "lost": 0, "unanswered": 0, "refused": 0}
    for round_ in range(1, args.rounds + 1):
        server.start()
        tally, stop = Tally(), threading.Event()
        threads = [
            threading.Thread(target=writer, args=(n + 100 * round_, args.port, token, stop, tally))
            for n in range(args.writers)
        ]
        for thread in threads:
            thread.start()
        time.sleep(args.kill_after)
        server.kill()
        stop.set()
        for thread in threads:
            thread.join()
        server.start()
        lost = check(args.port, token, tally)
        server.kill()
        figures = {
            "sent": tally.sent,
            "acknowledged": len(tally.registrations),
            "lost": lost,
            "unanswered": tally.unanswered,
            "refused": tally.refused,
        }
        for name, value in figures.items():
            totals[name] += value
        print(f"round {round_}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    verify = lens(env, "accesslog", "verify", check=False)
    print("total: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    print(f"lens accesslog verify: exit {verify.returncode} {verify.stdout.strip()[:300]}")
    return 0 if totals["lost"] == 0 and totals["refused"] == 0 and verify.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
