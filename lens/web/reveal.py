"""The pages' side of revealing an identity: the form that asks why (RevealForm) and
the one reveal behind it (`lens.access.reveal.reveal_identity`).

The person page's "Identiteit tonen" (lens.registry.views_forms.reveal) and the case
report with the identity (lens.cases.views_documents.report) take the form the same way,
here: the form is bound to what was posted; only a POST whose form is valid reaches the
reveal, which checks the purpose again (`lens.access.purposes.given`), the role and the
scope, and logs REVEAL; a purpose it refuses goes onto the form as the field's error,
and nothing is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from lens.access.reveal import reveal_identity
from lens.web import pages
from lens.web.forms import RevealForm

if TYPE_CHECKING:
    from lens.access.actor import Actor
    from lens.access.crypto import Identity
    from lens.data.registry import Person


def reveal_on_post(
    request: HttpRequest, actor: Actor, person: Callable[[], Person]
) -> tuple[RevealForm, Identity | None]:
    """The purpose form bound to the request, and the identity when a POST's form was
    valid and the reveal took it (logged); None otherwise, with the reason on the form.
    `person` is called only then: the caller's lookup for the reveal (its 403 or 404)."""
    form = RevealForm(pages.posted(request))
    if request.method != "POST" or not form.is_valid():
        return form, None
    try:
        return form, reveal_identity(actor, person(), form.cleaned_data["purpose"])
    except ValidationError as error:
        pages.apply_error(error, form)
        return form, None
