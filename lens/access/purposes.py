"""What an access-log purpose says, in the reader's language.

The log keeps each purpose as it was written, in Dutch (the record must not change with
the reader's language). A page in another language shows the purposes the application
writes itself in that language: a purpose is one or more parts joined by ": " ("formulier:
relatie vastleggen"), and each part the application knows is shown translated; anything
else (a purpose typed on the command line, a part this table does not know) is shown as
written. Dutch pages show the text as stored.
"""

from __future__ import annotations

import re

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

KNOWN = {
    "al bekend in de organisatie": _("already known in the organisation"),
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
