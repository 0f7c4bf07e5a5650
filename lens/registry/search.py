"""Finding a person of the own organisation again: by the own reference (eigen kenmerk)
or by the exact name and birth date. A read model shared by the page (and, later, the
API); the rules of a search live here, the form only carries what was typed.

Nothing is searched in plain text: the reference is looked up by its keyed hash
(lens.registry.references), the name and birth date by the name match key the
registration stores (lens.access.matchkeys.match_keys), so "Van der Berg" finds "van der
berg" and "Vanderberg" (lens.access.names), and nothing else. Only the persons the
policy lets the actor list are searched (`policy.visible_persons`: the own
organisation's), and every person found is written to the access log with the search as
its purpose, in the transaction of the read, in one insert (`policy.log_list`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.access import policy
from lens.access.crypto import Identity
from lens.access.matchkeys import match_keys
from lens.access.models import Action
from lens.access.names import has_letter
from lens.data import queries
from lens.data.registry import Person
from lens.registry import references

if TYPE_CHECKING:
    from lens.access.actor import Actor

# At most this many persons are shown for one search (an exact name and birth date
# rarely finds more than a few; a reference normally one).
LIMIT = 50
NAME_MAX = 200  # as the registration's name fields

PURPOSE_REFERENCE = "zoeken op eigen kenmerk"
PURPOSE_NAME = "zoeken op naam en geboortedatum"


@dataclass(frozen=True)
class Found:
    persons: list[Person]  # annotated as the person list (lens.data.queries.with_overview)
    more: bool  # more persons matched than LIMIT


def find(
    actor: Actor,
    *,
    reference: str = "",
    given_names: str = "",
    family_name: str = "",
    birth_date: date | None = None,
) -> Found:
    """The own organisation's persons with this reference, or with these names and birth
    date (one of the two, not both). ValidationError with Dutch messages per field for
    input that cannot be searched; PermissionDenied for a role that lists no persons."""
    if not policy.may(actor, Action.LIST):
        raise PermissionDenied
    by_name = bool((given_names or "").strip() or (family_name or "").strip() or birth_date)
    by_reference = bool((reference or "").strip())
    if by_reference and by_name:
        raise ValidationError(
            _("Search by own reference or by name and birth date, not by both at once."),
            code="both",
        )
    if by_reference:
        parsed = references.parse(reference)
        assert parsed is not None
        key = references.search_key(actor.organisation_id, parsed)
        return _found(actor, {"reference_key": key}, PURPOSE_REFERENCE)
    if by_name:
        name_key = _name_key(given_names, family_name, birth_date)
        return _found(actor, {"name_match_key": name_key}, PURPOSE_NAME)
    raise ValidationError(
        _("Fill in an own reference, or the given names, family name and birth date."),
        code="empty",
    )


def _name_key(given_names: str, family_name: str, birth_date: date | None) -> str:
    errors: dict[str, list[Any]] = {}
    for field, value, missing in (
        ("given_names", given_names, _("Fill in the given names.")),
        ("family_name", family_name, _("Fill in the family name.")),
    ):
        value = (value or "").strip()
        if not value:
            errors[field] = [missing]
        elif not has_letter(value):
            errors[field] = [_("Write the name with at least one letter.")]
        elif len(value) > NAME_MAX:
            errors[field] = [_("Keep this to %(max)s characters.") % {"max": NAME_MAX}]
    if birth_date is None:
        errors["birth_date"] = [_("Fill in the birth date.")]
    elif birth_date > timezone.localdate():
        errors["birth_date"] = [_("The birth date lies in the future.")]
    if errors:
        raise ValidationError(errors)
    assert birth_date is not None
    _bsn_key, name_key = match_keys(Identity(given_names, family_name, birth_date))
    return name_key


def _found(actor: Actor, lookup: dict[str, str], purpose: str) -> Found:
    """The matching persons in the actor's scope, read and logged in one transaction."""
    if not all(lookup.values()):
        return Found(persons=[], more=False)  # an empty key never matches
    matching = policy.visible_persons(actor).filter(**lookup)
    return policy.read_shown(
        actor,
        lambda: list(queries.with_overview(matching)[: LIMIT + 1]),
        lambda rows: policy.log_list(actor, rows[:LIMIT], purpose=purpose),
        lambda rows, _logged: Found(persons=rows[:LIMIT], more=len(rows) > LIMIT),
    )
