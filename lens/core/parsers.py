"""A command-line parser whose refusals are in the user's language.

argparse writes its refusals ("invalid choice", "unrecognized arguments") in English,
through the standard library's own message catalogue; the lens's commands answer in
Dutch. `TranslatedParser` reads argparse's message by its fixed English forms, says it
again with gettext (lens/locale), and refuses as Django's CommandParser does: usage and
the message with exit status 2 on the command line, a CommandError from call_command.
A message it does not know stays as argparse wrote it."""

from __future__ import annotations

import re
import sys
from typing import NoReturn

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# argparse's messages (Python 3.12 and later), each as a pattern and the text to say.
MESSAGES = [
    (
        re.compile(
            r"argument (?P<argument>.+?): invalid choice: (?P<value>.+) "
            r"\(choose from (?P<choices>.+)\)"
        ),
        gettext_noop("%(argument)s: %(value)s is not a choice (choose from %(choices)s)"),
    ),
    (
        re.compile(r"unrecognized arguments: (?P<arguments>.+)"),
        gettext_noop("unknown arguments: %(arguments)s"),
    ),
    (
        re.compile(r"argument (?P<argument>.+?): expected one argument"),
        gettext_noop("%(argument)s needs a value"),
    ),
    (
        re.compile(r"argument (?P<argument>.+?): not allowed with argument (?P<other>.+)"),
        gettext_noop("%(argument)s cannot be given together with %(other)s"),
    ),
    (
        re.compile(r"the following arguments are required: (?P<arguments>.+)"),
        gettext_noop("these arguments are required: %(arguments)s"),
    ),
]


def translated(message: str) -> str:
    """argparse's `message` in the active language (as it is when not known)."""
    for pattern, text in MESSAGES:
        if found := pattern.fullmatch(message):
            return _(text) % found.groupdict()
    return message


class TranslatedParser(CommandParser):
    def error(self, message: str) -> NoReturn:
        message = translated(message)
        if self.called_from_command_line:
            self.print_usage(sys.stderr)
            self.exit(
                2,
                _("%(program)s: error: %(message)s\n") % {"program": self.prog, "message": message},
            )
        raise CommandError(_("Error: %(message)s") % {"message": message})
