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
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from lens.catalogue import services
from lens.catalogue.loader import CatalogueInvalid
from lens.core.parsers import TranslatedParser
from lens.rules.engine import InputError, assess
from lens.rules.inputs import parse_input
from lens.rules.report import outcome_to_dict

EXIT_BAD_INPUT = 2
EXIT_NO_CATALOGUE = 3
# Python's decoder recurses per level of nesting; too deep a document is bad input.
TOO_DEEP = gettext_noop("nested too deeply")
# A lone surrogate ("\ud800") is no Unicode text: an outcome or error echoing it could
# not be written (as the API's parser, lens.api.parsers).
LONE_SURROGATE = gettext_noop(
    "a string holds a lone surrogate (\\ud800-\\udfff), which is not Unicode text"
)
# Why a file cannot be read, in the user's language (the system's own words otherwise).
CANNOT_READ = {
    FileNotFoundError: gettext_noop("the file does not exist"),
    IsADirectoryError: gettext_noop("it is a folder, not a file"),
    PermissionError: gettext_noop("no permission to read it"),
}


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
    """Every problem in one line ("; " between them, as the README says: one line on
    standard error, one "error" string with --jsonl), in the active language (lens.rules
    marks its texts)."""
    lines = []
    for problem in error.problems:
        line = _(problem.text) % dict(problem.args) if problem.text else problem.message
        if problem.suggestions:
            line += " " + _("(closest known: %(codes)s)") % {
                "codes": ", ".join(problem.suggestions)
            }
        lines.append(line)
    return "; ".join(lines)


def not_json(exc: ValueError) -> str:
    """Why the text is no JSON: where, for the decoder's own errors (its words are
    Python's); the lens's own reasons (too deep, a lone surrogate) translated."""
    if isinstance(exc, json.JSONDecodeError):
        return _("line %(line)s, column %(column)s: %(reason)s") % {
            "line": exc.lineno,
            "column": exc.colno,
            "reason": exc.msg,
        }
    return _(str(exc))


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

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any):
        # argparse's own refusals (an unknown --lang, a stray argument) in the user's
        # language too, with argparse's exit status 2.
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = TranslatedParser  # Django's CommandParser, with its refusals said
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="input file; - for stdin")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--json", action="store_true", help="one JSON object (default)")
        mode.add_argument("--jsonl", action="store_true", help="one JSON object per line")
        parser.add_argument(
            "--lang", choices=["nl", "en"], default="nl", help="language of labels and texts"
        )

    def handle(self, *args, **options):
        # Messages in the language of the labels (Dutch unless --lang en).
        with translation.override(options["lang"]):
            return self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        try:
            catalogue, ruleset = services.active_or_files()
        except CatalogueInvalid as exc:
            raise CommandError(
                _("No catalogue loaded, and the catalogue files (%(folder)s) are invalid:")
                % {"folder": settings.CATALOGUE_DIR}
                + f"\n{exc}",
                returncode=EXIT_NO_CATALOGUE,
            ) from exc
        self.catalogue, self.ruleset, self.lang = catalogue, ruleset, options["lang"]
        text = self._read(options["file"])
        if options["jsonl"]:
            return self._jsonl(text)
        try:
            data = load(text)
        except ValueError as exc:
            raise CommandError(
                _("Input is not valid JSON: %(reason)s") % {"reason": not_json(exc)},
                returncode=EXIT_BAD_INPUT,
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
            reason = CANNOT_READ.get(type(exc))
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s")
                % {"file": name, "reason": _(reason) if reason else exc.strerror},
                returncode=EXIT_BAD_INPUT,
            ) from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                _("Input is not UTF-8 text: byte %(byte)s cannot be read.")
                % {"byte": exc.start + 1},
                returncode=EXIT_BAD_INPUT,
            ) from None

    def _assess(self, data: Any) -> dict[str, Any]:
        outcome = assess(
            self.catalogue, self.ruleset, parse_input(data, self.catalogue), timezone.localdate()
        )
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
            raise CommandError(
                ngettext("%(count)d line had bad input.", "%(count)d lines had bad input.", failed)
                % {"count": failed},
                returncode=EXIT_BAD_INPUT,
            )

    def _line(self, number: int, line: str) -> dict[str, Any]:
        """The outcome of one line, or its error object."""
        try:
            data = load(line)
        except json.JSONDecodeError as exc:
            return {"line": number, "error": _("not valid JSON: %(reason)s") % {"reason": exc.msg}}
        except ValueError as exc:  # nested too deeply, a lone surrogate
            return {
                "line": number,
                "error": _("not valid JSON: %(reason)s") % {"reason": _(str(exc))},
            }
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
