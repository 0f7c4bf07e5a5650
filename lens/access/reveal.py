"""Revealing a person's identity: THE one way to open a sealed identity for a reader.

The person page's "Identiteit tonen", the API's reveal operation and the case report
with the identity (lens.cases.report) all call `reveal_identity`: the purpose is
required and says something (`lens.access.purposes.given`), the role and scope are
checked (`policy.check` with Action.REVEAL: 403 for the role, 404 outside the
organisation), and the REVEAL entry is written to the access log in the same
transaction as the identity is opened. It lives here, below the page apps, so that the
registry and the cases reach it without importing each other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from lens.access import log, purposes
from lens.access.crypto import Identity, open_identity
from lens.access.models import Action
from lens.access.policy_persons import check
from lens.access.rotation import sealed_of

if TYPE_CHECKING:
    from lens.access.actor import Actor
    from lens.data.registry import Person


def reveal_identity(actor: Actor, person: Person, purpose: str) -> Identity:
    """Open the person's sealed identity for `purpose` (required, and saying something:
    `lens.access.purposes.given`), and log the reveal."""
    purpose = purposes.given(purpose, required=_("Say why you need to see the identity."))
    with transaction.atomic():
        check(actor, person, Action.REVEAL)
        log.record(actor, Action.REVEAL, person=person, object_type="identity", purpose=purpose)
        return open_identity(sealed_of(person), person.pseudonym.encode())
