"""What the registry's form pages share (public: lens.registry.views and
lens.registry.views_forms use it): the person a form is about, read through the policy,
the way back to the person's page with a message, the person header, the registration
a form changes, and the signals form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.access import policy
from lens.access.actor import Actor
from lens.access.models import Action
from lens.data import pseudonyms, queries
from lens.data.registry import HowLearned, Person, Registration
from lens.registry.forms import (
    SignalsForm,
)
from lens.rules.model import Catalogue
from lens.web import pages, submissions

# Purposes written to the access log for the reads these pages do. Dutch whatever the
# page language: the log is one record, read in Dutch (also for AVG access requests).
PURPOSE_FORM = "formulier: %s"

# --- helpers -----------------------------------------------------------------------------


def form_page[Built](
    request: HttpRequest,
    actor: Actor,
    pseudonym: str,
    *,
    form_name: str,
    action: Action,
    build: Callable[[Person], Built],
) -> tuple[Person, Built]:
    """The person a form page is about, through the policy, and `build` of them (what the
    page shows beside the person). Showing the form finds the person, builds and logs the
    read, with the form as the purpose, in one transaction; a POST only checks that the
    actor may do `action` with this person (the write itself is logged by the actions
    layer) and builds what a refused form shows again."""
    return pages.form_read(
        request,
        get=lambda both: policy.get_person(
            actor, pseudonym, purpose=PURPOSE_FORM % form_name, build=both
        ),
        find=lambda: policy.find_person(actor, pseudonym, action=action),
        build=build,
    )


def form_person(
    request: HttpRequest, actor: Actor, pseudonym: str, *, form_name: str, action: Action
) -> Person:
    """As `form_page`, for a form that shows nothing of the person's records beyond the
    person."""
    person, _nothing = form_page(
        request, actor, pseudonym, form_name=form_name, action=action, build=lambda _p: None
    )
    return person


def done_message(
    request: HttpRequest, person: Person, outcome: submissions.Outcome, message: str
) -> HttpResponse:
    """Back to the person's page after a write; a form sent twice says it was saved once."""
    if outcome.replayed:
        return to_person(
            request,
            person,
            _("This form was sent more than once; it was saved once."),
            level=messages.INFO,
        )
    return to_person(request, person, message)


def to_person(
    request: HttpRequest, person: Person, message: str, level: int = messages.SUCCESS
) -> HttpResponse:
    """Back to the person's page, with a message there."""
    messages.add_message(request, level, message)
    return redirect("registry:person", pseudonym=person.pseudonym)


def person_header(person: Person, *, read: bool = True) -> dict[str, Any]:
    """The pseudonym, and the age band when this response logged a read of the person (a
    400 response to a write logs nothing, so it shows nothing but what was posted)."""
    band = pseudonyms.age_band(person.birth_year, timezone.localdate()) if read else ""
    return {"person": person, "age_band": band}


def registration_to_change(
    request: HttpRequest, person: Person, registration_id: int
) -> Registration:
    """The person's registration that a form changes (404 if the person has no such
    registration: raised inside the read, so that nothing is logged). Its form is shown
    for the current version only: for an older one, back to the person's page
    (`pages.Elsewhere`, nothing logged)."""
    registration = queries.registration_of(person, registration_id)
    if registration is None:
        raise Http404
    if request.method == "GET" and not queries.is_current(registration):
        raise pages.Elsewhere(
            to_person(
                request,
                person,
                _("This registration was corrected or withdrawn already."),
                level=messages.INFO,
            )
        )
    return registration


def signals_form(request: HttpRequest, catalogue: Catalogue, **kwargs) -> SignalsForm:
    return SignalsForm(
        pages.posted(request), catalogue=catalogue, language=pages.language(), **kwargs
    )


def render_signals(request, template, person, form, **extra) -> HttpResponse:
    status = pages.status(request)
    return pages.render(
        request,
        template,
        {
            **person_header(person, read=status == 200),
            "form": form,
            "errors": pages.errors(form),
            "how_learned_choices": HowLearned.choices,
            **extra,
        },
        status=status,
    )
