"""What an access-log purpose says, in the reader's language.

The log keeps each purpose as it was written, in Dutch (the record must not change with
the reader's language). A page in another language shows the purposes the application
writes itself in that language: a purpose is one or more parts joined by ": " ("formulier:
relatie vastleggen"), and each part the application knows is shown translated; anything
else (a purpose typed on the command line, a part this table does not know) is shown as
written. Dutch pages show the text as stored.

A purpose a person gives (revealing an identity, comparing two identities, exporting a
log on the command line) passes `given` first: the one rule that says what counts as a
purpose, so that no form, serializer or command decides it on its own.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from lens.casework import free_text

PURPOSE_MAX = 500  # the access log's column (AccessLogEntry.purpose)
# A purpose says something: at least this many letters or digits once the invisible
# characters are gone ("." or a zero-width space is no answer to "why?").
PURPOSE_MIN_LETTERS = 3
# Invisible characters that Unicode files under letters, symbols or marks (Hangul
# fillers, the Braille blank, variation selectors, U+FFFC): the one list, in
# lens.casework.free_text, that every free text which must say something uses.
_INVISIBLE = free_text.INVISIBLE

KNOWN = {
    "al bekend in de organisatie": _("already known in the organisation"),
    "doorverwijzingen uit casussen": _("referrals from cases"),
    "inzageverzoek (AVG art. 15)": _("access request (GDPR art. 15)"),
    "inzageverzoek": _("access request"),
    "antwoord op doorverwijzing": _("answer to a referral"),
    "signalen vastleggen": _("recording signals"),
    "vastleggen of de persoon is geïnformeerd": _("recording whether the person was informed"),
    "informatieverzoeken van de organisatie": _("the organisation's information requests"),
    "informatieverzoek lezen": _("reading an information request"),
    "overzicht personen van de organisatie": _("list of the organisation's persons"),
    "persoonspagina": _("person's page"),
    "formulier": _("form"),
    "nieuwe registratie": _("new registration"),
    "mogelijk dezelfde persoon (zelfde naam en geboortedatum)": _(
        "possibly the same person (same name and birth date)"
    ),
    "wie heeft dit ingezien": _("who has seen this"),
    "lijst": _("list"),
    "CSV-export": _("CSV export"),
    "intrekking": _("withdrawal"),
    "overzicht personen in de regio (zorgcoördinator)": _(
        "list of persons in the region (zorgcoördinator)"
    ),
    "gecombineerd beeld": _("combined picture"),
    "informatieverzoek": _("information request"),
    "werklijst zorgcoördinator": _("zorgcoördinator's work list"),
    "beoordelen mogelijke koppelingen": _("reviewing possible links"),
    "beoordelen mogelijke koppeling": _("reviewing a possible link"),
    "identiteiten tonen": _("showing identities"),
    "netwerkoverzicht": _("network overview"),
    "relatie vastleggen": _("recording a relation"),
    "relatie beëindigen": _("ending a relation"),
    "besluit over mogelijke koppeling": _("decision on a possible link"),
    "regie toewijzen": _("assigning the lead"),
    "doorverwijzing naar de zorgcoördinator": _("referral to the zorgcoördinator"),
    "informatieverzoek aan een betrokken organisatie": _(
        "information request to an organisation involved"
    ),
    "informatieverzoek beantwoorden": _("answering an information request"),
    "relatie tussen personen vastleggen": _("recording a relation between persons"),
    "relatie tussen personen beëindigen": _("ending a relation between persons"),
    "identiteiten vergelijken voor een mogelijke koppeling": _(
        "comparing identities for a possible link"
    ),
    # Meldcode cases (lens.cases).
    "casus": _("case"),
    "casus openen": _("opening a case"),
    "casuspagina": _("case page"),
    "casusstap": _("case step"),
    "mijn werkvoorraad": _("my work list"),
    "signalen in kaart brengen": _("mapping the signals"),
    "consultatie": _("consultation"),
    "antwoord van de zorgcoördinator": _("the care coordinator's answer"),
    "gesprek": _("conversation"),
    "weging": _("weighing"),
    "hulp organiseren": _("organising help"),
    "hulp volgen": _("following the help"),
    "melding bij Veilig Thuis": _("report to Veilig Thuis"),
    "acuut gevaar": _("acute danger"),
    "casus afsluiten": _("closing a case"),
    "casus heropenen": _("reopening a case"),
    "overdragen": _("handing over"),
    "casus overdragen": _("handing over a case"),
    "laat antwoord gelezen": _("late answer read"),
    "gespreksvoorbereiding": _("conversation sheet"),
    "gespreksvoorbereiding als PDF": _("conversation sheet as PDF"),
    "casusrapport": _("case report"),
    "casusrapport met identiteit": _("case report with the identity"),
    "formulier casusrapport met identiteit": _("form: case report with the identity"),
    "API": "API",
    "overzicht personen": _("list of persons"),
    "persoonsgegevens opvragen": _("reading person data"),
    "herhaald verzoek (Idempotency-Key)": _("repeated request (Idempotency-Key)"),
    "zoeken op eigen kenmerk": _("search by own reference"),
    "zoeken op naam en geboortedatum": _("search by name and birth date"),
    "eigen kenmerk vastleggen": _("recording the own reference"),
    "eigen kenmerk verwijderen": _("removing the own reference"),
    "eigen kenmerk": _("own reference"),
}
NUMBERED = re.compile(r"correctie van registratie (\d+)")


def shown(purpose: str) -> str:
    """The purpose as the reader of the active language reads it."""
    if (get_language() or "nl").startswith("nl"):
        return purpose
    return ": ".join(_part(part) for part in purpose.split(": "))


def _part(part: str) -> str:
    if part in KNOWN:
        return str(KNOWN[part])
    numbered = NUMBERED.fullmatch(part)
    if numbered:
        return str(_("correction of registration %(number)s") % {"number": numbered[1]})
    return part


def given(
    value: str | None,
    *,
    required: str,
    field: str = "purpose",
    meaningless: str = "",
    limit: int = PURPOSE_MAX,
) -> str:
    """The purpose a person gave, as it is stored: without control and format characters
    (zero-width spaces, direction marks, soft hyphens: Unicode Cc, Cf and the like), with
    every run of spaces of any kind as one space. Raises ValidationError on `field` with
    the message `required` when nothing is left, and when what is left has fewer than
    PURPOSE_MIN_LETTERS letters or digits (".", "?!", a dash: `meaningless` is the
    message then, with %(count)d, when the field is no purpose, as a reference); or when
    it is longer than `limit` (the access log's column unless the caller stores it after
    a prefix). The rule is `said`'s, on one line."""
    return said(
        " ".join(_visible(value or "").split()),
        field=field,
        limit=limit,
        required=required,
        meaningless=meaningless
        or gettext("Say in words why: at least %(count)d letters or digits."),
    )


def said(
    value: str | None,
    *,
    field: str,
    limit: int,
    required: str | None,
    letters: int = PURPOSE_MIN_LETTERS,
    meaningless: str = "",
) -> str:
    """A free text a person gives (a reason, a question, an answer, a note), as it is
    stored: without invisible characters (as `given`; line breaks and tabs stay), without
    surrounding spaces. With `required` (its message), the same rule as a purpose: at
    least `letters` letters or digits once the invisible characters are gone (four
    zero-width spaces or "." say nothing; an answer may be "Ja"; `meaningless` is the
    message then, with %(count)s). Raises ValidationError on `field`; too long is more
    than `limit` characters."""
    text = "".join(
        char
        for char in value or ""
        if char in "\n\t" or not (unicodedata.category(char)[0] == "C" or ord(char) in _INVISIBLE)
    ).strip()
    if required is not None:
        if not text:
            raise ValidationError({field: [ValidationError(required, code="required")]})
        plain = " ".join(_visible(text).split())
        if sum(1 for char in plain if unicodedata.category(char)[0] in "LN") < letters:
            message = (
                meaningless or gettext("Say it in words: at least %(count)d letters or digits.")
            ) % {"count": letters}
            raise ValidationError({field: [ValidationError(message, code="meaningless")]})
    if len(text) > limit:
        message = gettext("Keep this to %(max)s characters.") % {"max": limit}
        raise ValidationError({field: [ValidationError(message, code="max_length")]})
    return text


def _visible(value: str) -> str:
    """`value` with each space-like character as a space and the invisible ones gone."""
    kept = []
    for char in value:
        category = unicodedata.category(char)
        if category in ("Zs", "Zl", "Zp") or char in "\t\n\r\v\f":
            kept.append(" ")
        elif category[0] == "C" or ord(char) in _INVISIBLE:
            continue  # Cc, Cf, Cs, Co, Cn
        else:
            kept.append(char)
    return "".join(kept)
