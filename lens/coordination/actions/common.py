"""What the coordination actions share: the limits and the one rule for a text a user
gives, the purposes they write to the access log, and the involved record of a cluster."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lens.access import purposes
from lens.coordination import clusters

if TYPE_CHECKING:
    from lens.access.actor import Actor
    from lens.data.registry import Organisation, Person

TEXT_MAX = 2000
NOTE_MAX = 500
# Purposes the actions write to the access log (Dutch: the log is read in Dutch).
PURPOSE_DECISION = "besluit over mogelijke koppeling"
PURPOSE_LEAD = "regie toewijzen"
PURPOSE_REFERRAL = "doorverwijzing naar de zorgcoördinator"
PURPOSE_REQUEST = "informatieverzoek aan een betrokken organisatie"
PURPOSE_ANSWER = "informatieverzoek beantwoorden"
PURPOSE_RELATION = "relatie tussen personen vastleggen"
PURPOSE_RELATION_END = "relatie tussen personen beëindigen"
PURPOSE_REVEAL_PAIR = "identiteiten vergelijken voor een mogelijke koppeling"


def said(field: str, value: str, limit: int, *, required: bool) -> str:
    """A text the user gives, through the one rule for what a text says (lens.access.purposes)."""
    return purposes.said(
        value,
        field=field,
        limit=limit,
        required=_("This field is required.") if required else None,
        letters=2,  # an answer may be "Ja"
    )


def involved_record(
    actor: Actor, person: Person, organisation: Organisation
) -> tuple[Person, list[Person]]:
    """The record of `organisation` in the person's cluster in the actor's region, and the
    cluster's records there: the organisation must be involved (refused per field
    otherwise)."""
    members = clusters.cluster_of(person, region=actor.region)
    record = next((m for m in members if m.organisation_id == organisation.pk), None)
    if record is None:
        raise ValidationError({"organisation": [_("Choose one of the organisations involved.")]})
    return record, members
