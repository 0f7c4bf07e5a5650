"""The README's REST API table says what the committed openapi.yaml says (the outside
probe: it named `registrations_page`, a query parameter, as a key of the person's
response, whose key is `registrations`). Every `name` in an operation's description
column must be a key of its success response or a query parameter its path column shows;
every query parameter in the path column must be one of the operation's."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(
    r"^\| (?P<what>.+) \| `(?P<method>GET|POST) (?P<path>/api/v1/[^`?]*)(?P<query>\?[^`]*)?`"
)
NAME = re.compile(r"`([a-z][a-z0-9_]*)`")


def schema_keys(spec: dict, schema: dict) -> set[str]:
    if "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return set(schema.get("properties", {}))


def test_the_readme_api_table_names_only_response_keys_and_query_parameters():
    spec = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
    rows = [m for line in (ROOT / "README.md").read_text().splitlines() if (m := ROW.match(line))]
    assert len(rows) >= 6
    problems = []
    for row in rows:
        path = row["path"].rstrip("/")
        operation = spec["paths"][path][row["method"].lower()]
        parameters = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        asked = set(re.findall(r"[?&]([a-z_]+)=", row["query"] or ""))
        keys = set()
        for status in ("200", "201"):
            content = operation["responses"].get(status, {}).get("content", {})
            for media in content.values():
                keys |= schema_keys(spec, media["schema"])
        problems += [f"{path}: ?{name} is no parameter" for name in sorted(asked - parameters)]
        for name in NAME.findall(row["what"]):
            if name not in keys and name not in asked:
                problems.append(f"{path}: `{name}` is neither a response key nor in the query")
    assert not problems, "\n".join(problems)
