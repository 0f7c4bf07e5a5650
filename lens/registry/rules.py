"""The registry's input rules, in one place: the actions apply them, the web forms and the
API serializers only translate them into their own error shapes (and show the same limits
as `maxlength` or in the committed OpenAPI schema).

Each rule raises django.core.exceptions.ValidationError with a stable code and a message
through gettext (Dutch on the pages, English in the API, which runs in English).
"""

from __future__ import annotations

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
