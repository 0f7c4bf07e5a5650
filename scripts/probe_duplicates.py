#!/usr/bin/env python3
"""Probe a running demo server from outside for duplicate persons and double-submits.

    DEBUG=1 DEMO_MODE=1 VAR_DIR=/tmp/var-x .venv/bin/lens runserver 127.0.0.1:8102 &
    .venv/bin/python scripts/probe_duplicates.py --base http://127.0.0.1:8102 \\
        --token TOKEN --var-dir /tmp/var-x [--database-url postgres://...]

Three probes, `--rounds` times each (new identities each round, no BSN):
- api: two simultaneous `POST /api/v1/persons` of the same identity; a duplicate is two
  different pseudonyms both answered 201;
- web: the registration form sent twice at once by one logged-in user, as a double click
  does (the same form, so the same hidden submission key if the page has one); a
  duplicate is two persons, or one person with two registrations;
- api-key: the same `POST /api/v1/persons` twice at once with one Idempotency-Key; a
  duplicate is more than one registration.
Prints the count of duplicates per probe. Needs a demo database (`lens demo`) and an API
client of the demo user's organisation (`lens apiclient create`).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import random
import re
import string
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USER, PASSWORD = "demo-prof-school-tilburg", "demo-uitbuitingslens"
SIGNALS = ["unexplained_debts", "unexplained_money_or_possessions"]


def together(*calls):
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        start.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def api_post(base, token, body, key=""):
    request = urllib.request.Request(
        f"{base}/api/v1/persons", data=json.dumps(body).encode(), method="POST"
    )
    request.add_header("Authorization", f"Token {token}")
    request.add_header("Content-Type", "application/json")
    if key:
        request.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def person_registrations(base, token, pseudonym):
    request = urllib.request.Request(f"{base}/api/v1/persons/{pseudonym}")
    request.add_header("Authorization", f"Token {token}")
    with urllib.request.urlopen(request, timeout=60) as response:
        return len(json.loads(response.read())["registrations"])


def identity(tag: str) -> dict:
    name = "".join(random.choices(string.ascii_lowercase, k=8)).capitalize()
    return {"given_names": f"{tag}{name}", "family_name": "Probe", "birth_date": "2009-03-04"}


def observation() -> dict:
    return {
        "signals": SIGNALS,
        "observed_on": (date.today() - timedelta(days=3)).isoformat(),
        "how_learned": "seen_myself",
    }


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, fields: list[tuple[str, str]]):
        data = urllib.parse.urlencode([*fields, ("csrfmiddlewaretoken", self.csrf())]).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")
        request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode()

    def log_in(self, env: dict[str, str]) -> None:
        self.get("/accounts/login/")
        self.post("/accounts/login/", [("username", USER), ("password", PASSWORD)])
        code = subprocess.run(
            [str(ROOT / ".venv/bin/lens"), "demo-code", USER],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        self.post("/accounts/login/code/", [("code", re.search(r"\d{6}", code).group())])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--var-dir", required=True)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--web-rounds", type=int, default=10)
    args = parser.parse_args()
    env = {**os.environ, "DEBUG": "1", "DEMO_MODE": "1", "VAR_DIR": args.var_dir}
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    base, token = args.base, args.token

    duplicates = 0
    statuses: dict[str, int] = {}
    for _ in range(args.rounds):
        body = {"identity": identity("Api"), "registration": observation()}
        answers = together(
            lambda body=body: api_post(base, token, body),
            lambda body=body: api_post(base, token, body),
        )
        for status, _body in answers:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        created = {b["pseudonym"] for s, b in answers if s == 201}
        duplicates += len(created) > 1
    print(f"api: {duplicates} of {args.rounds} rounds gave two persons; statuses {statuses}")

    duplicates = 0
    for round_ in range(args.rounds):
        body = {"identity": identity("Key"), "registration": observation()}
        key = f"probe-{round_}-{random.random()}"
        answers = together(
            lambda body=body, key=key: api_post(base, token, body, key),
            lambda body=body, key=key: api_post(base, token, body, key),
        )
        pseudonyms = {b["pseudonym"] for s, b in answers if s in (200, 201)}
        counts = [person_registrations(base, token, p) for p in pseudonyms]
        duplicates += len(pseudonyms) > 1 or sum(counts) > 1
    print(f"api-key: {duplicates} of {args.rounds} rounds wrote twice")

    browser = Browser(base)
    browser.log_in(env)
    duplicates = registered = 0
    for _ in range(args.web_rounds):
        page = browser.get("/registratie/nieuw/")
        key = re.search(r'name="submission_key" value="([^"]+)"', page)
        who = identity("Web")
        fields = [
            ("given_names", who["given_names"]),
            ("family_name", who["family_name"]),
            ("birth_date", who["birth_date"]),
            ("bsn", ""),
            ("sex", ""),
            *[("signals", s) for s in SIGNALS],
            ("observed_on", observation()["observed_on"]),
            ("how_learned", "seen_myself"),
            ("context_note", ""),
        ]
        if key:
            fields.append(("submission_key", key.group(1)))
        answers = together(
            lambda fields=fields: browser.post("/registratie/nieuw/", fields),
            lambda fields=fields: browser.post("/registratie/nieuw/", fields),
        )
        pseudonyms = {
            re.search(r"/(P-[A-Z0-9]+)/", url).group(1) for _, url, _ in answers if "/P-" in url
        }
        counts = [person_registrations(base, token, p) for p in pseudonyms]
        duplicates += len(pseudonyms) > 1 or sum(counts) > 1
        registered += bool(pseudonyms)
        statuses = sorted(
            f"{status} {url.split('/registratie/')[-1]}" for status, url, _ in answers
        )
    print(
        f"web: {duplicates} of {args.web_rounds} double-submits wrote twice "
        f"({registered} registered; last round's answers: {statuses})"
    )


if __name__ == "__main__":
    main()
