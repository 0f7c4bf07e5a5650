"""`lens assess`: the lens engine on the command line, JSON in and JSON out.

The input and output formats are documented in the README ("lens assess") and are a
stable interface for other systems.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lens.catalogue import services
from lens.catalogue.loader import CatalogueInvalid
from lens.rules.engine import InputError, assess
from lens.rules.inputs import parse_input
from lens.rules.report import outcome_to_dict

EXIT_BAD_INPUT = 2
EXIT_NO_CATALOGUE = 3
# Python's decoder recurses per level of nesting; too deep a document is bad input.
TOO_DEEP = "nested too deeply"
# A lone surrogate ("\ud800") is no Unicode text: an outcome or error echoing it could
# not be written (as the API's parser, lens.api.parsers).
LONE_SURROGATE = "a string holds a lone surrogate (\\ud800-\\udfff), which is not Unicode text"


def load(text: str) -> Any:
    """The JSON value of `text`; ValueError (json.JSONDecodeError when it says where) for
    text that is no JSON, is nested deeper than the decoder can follow, or holds a lone
    surrogate."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError(TOO_DEEP) from None
    stack = [data]  # a stack, not recursion: the decoder accepted the depth already
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and not item.isascii():
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError(LONE_SURROGATE) from None
    return data


def describe(error: InputError) -> str:
    lines = []
    for problem in error.problems:
        line = problem.message
        if problem.suggestions:
            line += f" (closest known: {', '.join(problem.suggestions)})"
        lines.append(line)
    return "\n".join(lines)


class Command(BaseCommand):
    # The engine alone: no system checks, which would open (and so create) the database.
    requires_system_checks: list[str] = []
    help = (
        "Assess signals with the lens engine. Reads one JSON object "
        '({"signals": [{"code": ..., "organisation_type": ..., "observed_on": ...}], '
        '"unknown": [...], "absent": [...], "risk_factors": [...], "region": ...}) '
        "from FILE or standard input and prints the outcome as JSON. With --jsonl, reads "
        "one object per line and writes one outcome per line. Exit status 2 on bad input "
        "(each unknown code is named with its closest known codes). Uses the catalogue "
        "loaded in the database, or reads CATALOGUE_DIR when none is loaded (or there is "
        "no database); exit status 3 when those files are invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="input file; - for stdin")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--json", action="store_true", help="one JSON object (default)")
        mode.add_argument("--jsonl", action="store_true", help="one JSON object per line")
        parser.add_argument(
            "--lang", choices=["nl", "en"], default="nl", help="language of labels and texts"
        )

    def handle(self, *args, **options):
        try:
            catalogue, ruleset = services.active_or_files()
        except CatalogueInvalid as exc:
            raise CommandError(
                "No catalogue loaded, and the catalogue files "
                f"({settings.CATALOGUE_DIR}) are invalid:\n{exc}",
                returncode=EXIT_NO_CATALOGUE,
            ) from exc
        self.catalogue, self.ruleset, self.lang = catalogue, ruleset, options["lang"]
        text = self._read(options["file"])
        if options["jsonl"]:
            return self._jsonl(text)
        try:
            data = load(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"Input is not valid JSON: line {exc.lineno}, column {exc.colno}: {exc.msg}",
                returncode=EXIT_BAD_INPUT,
            ) from exc
        except ValueError as exc:
            raise CommandError(
                f"Input is not valid JSON: {exc}", returncode=EXIT_BAD_INPUT
            ) from None
        try:
            result = self._assess(data)
        except InputError as exc:
            raise CommandError(describe(exc), returncode=EXIT_BAD_INPUT) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def _read(self, name: str) -> str:
        """The input as text: UTF-8 (JSON between systems is, RFC 8259)."""
        try:
            if name == "-":
                stdin = getattr(sys.stdin, "buffer", None)  # bytes, where there are
                return stdin.read().decode("utf-8") if stdin else sys.stdin.read()
            with open(name, encoding="utf-8") as handle:
                return handle.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {name}: {exc.strerror}", returncode=2) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"Input is not UTF-8 text: byte {exc.start + 1} cannot be read.",
                returncode=EXIT_BAD_INPUT,
            ) from None

    def _assess(self, data: Any) -> dict[str, Any]:
        outcome = assess(self.catalogue, self.ruleset, parse_input(data), timezone.localdate())
        return outcome_to_dict(outcome, self.catalogue, self.ruleset, self.lang)

    def _jsonl(self, text: str) -> None:
        """One outcome per input line; a bad line gives an error object, not a stop."""
        failed = 0
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            result = self._line(number, line)
            failed += "error" in result
            self.stdout.write(json.dumps(result, ensure_ascii=False, separators=(",", ":")))
        if failed:
            raise CommandError(f"{failed} line(s) had bad input.", returncode=EXIT_BAD_INPUT)

    def _line(self, number: int, line: str) -> dict[str, Any]:
        """The outcome of one line, or its error object."""
        try:
            data = load(line)
        except json.JSONDecodeError as exc:
            return {"line": number, "error": f"not valid JSON: {exc.msg}"}
        except ValueError as exc:  # nested too deeply, a lone surrogate
            return {"line": number, "error": f"not valid JSON: {exc}"}
        try:
            return self._assess(data)
        except InputError as exc:
            return {
                "line": number,
                "error": describe(exc),
                "problems": [
                    {"field": p.field, "value": p.value, "suggestions": list(p.suggestions)}
                    for p in exc.problems
                ],
            }
