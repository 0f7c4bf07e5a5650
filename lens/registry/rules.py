"""The registry's input rules, in one place: the actions apply them, the web forms and the
API serializers only translate them into their own error shapes (and show the same limits
as `maxlength` or in the committed OpenAPI schema).

Each rule raises django.core.exceptions.ValidationError with a stable code and a message
through gettext (Dutch on the pages, English in the API, which runs in English).
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.access import purposes
from lens.access.crypto import Identity

# A person registered here was born in or after this year: an earlier date is a typing
# error (e.g. 1011 for 2011), and the age bands need a plausible birth year.
BIRTH_YEAR_MIN = 1900
NAME_MAX = 200  # each of given names and family name
BSN_INPUT_MAX = 20  # as typed, with spaces or dots between the digits
CONTEXT_NOTE_MAX = 4000  # the context of one observation
REASON_MAX = 2000  # why a registration is withdrawn, why a person was not informed
PURPOSE_MAX = purposes.PURPOSE_MAX  # why an identity is revealed (the access log's rule)


# What a name may not hold: control characters (Unicode category Cc: bell, escape, delete,
# the C1 controls such as NEL), format characters (Cf: the bidi overrides and isolates
# that turn text around on screen, zero-width spaces, soft hyphens) and the line and
# paragraph separators (Zl, Zp). A terminal, a page or a letter would act on them, or
# show a name other than the one stored. Only the joiners stay: Persian and several Indic
# scripts spell names with them.
REFUSED_IN_NAMES = ("Cc", "Cf", "Zl", "Zp")
JOINERS = frozenset({"\u200c", "\u200d"})  # ZERO WIDTH NON-JOINER, ZERO WIDTH JOINER
# U+FFFD REPLACEMENT CHARACTER: what undecodable input (invalid UTF-8 in a form body)
# becomes. No name holds it; storing it would keep a name other than the one typed.
REPLACEMENT = "\ufffd"


def has_control_character(text: str) -> bool:
    """Whether `text` holds a character a name may not hold (REFUSED_IN_NAMES, or the
    replacement character of undecodable input)."""
    return REPLACEMENT in text or any(
        unicodedata.category(char) in REFUSED_IN_NAMES and char not in JOINERS for char in text
    )


def control_character_error() -> ValidationError:
    return ValidationError(
        _("Remove the control characters and invisible formatting characters from the name."),
        code="control_character",
    )


def normalise_bsn(value: str) -> str:
    """The BSN without the spaces and dots people type between its digits."""
    return "".join((value or "").split()).replace(".", "")


def normalised_identity(identity: Identity) -> Identity:
    """The identity as it is checked, matched and sealed: names without surrounding
    spaces, the BSN without spaces and dots."""
    return replace(
        identity,
        given_names=identity.given_names.strip(),
        family_name=identity.family_name.strip(),
        bsn=normalise_bsn(identity.bsn),
    )


def check_birth_date(value: date) -> None:
    """A birth date not in the future and not before BIRTH_YEAR_MIN."""
    if value > timezone.localdate():
        raise ValidationError(_("The birth date lies in the future."), code="future_date")
    if value.year < BIRTH_YEAR_MIN:
        raise ValidationError(_("Fill in a birth date after 1900."), code="too_old")


def check_length(field: str, value: str, limit: int) -> None:
    """A text of at most `limit` characters (after its surrounding spaces went)."""
    if len(value) > limit:
        raise ValidationError(
            {
                field: [
                    ValidationError(
                        _("Keep this to %(max)s characters.") % {"max": limit}, code="max_length"
                    )
                ]
            }
        )
