"""Finding an own person again: the search page, and the own reference (eigen kenmerk)
it searches by, changed on the person's page.

The search is a POST, although it writes nothing but access-log entries: a name and a
birth date (or a client number) in a GET URL would end up in the browser's history and
in the access logs of every proxy and server on the way, in plain text.

As every registry view: wrapped in `routes.protected`; persons read through the policy
(lens.registry.search uses `policy.visible_persons` and `policy.log_list`;
`policy.get_person` here) and written through lens.registry.references; bad input gets
a Dutch message at the field and status 400.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lens.access import policy
from lens.access.actor import actor_from_request
from lens.access.models import Action
from lens.access.routes import protected
from lens.data import pseudonyms
from lens.registry import references, search
from lens.registry.search_forms import ReferenceForm, SearchForm
from lens.rules.model import Catalogue, Ruleset
from lens.web import pages

PURPOSE_REFERENCE_FORM = "formulier: eigen kenmerk"


@protected
@never_cache
@require_http_methods(["GET", "POST"])
@pages.needs_catalogue
def search_persons(request: HttpRequest, catalogue: Catalogue, ruleset: Ruleset) -> HttpResponse:
    actor = actor_from_request(request)
    form = SearchForm(pages.posted(request))
    found, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                found = search.find(actor, **form.terms())
            except ValidationError as error:
                form.apply(error)
            else:
                status = 200
    labels = pages.level_labels(ruleset, pages.language())
    today = timezone.localdate()
    rows = [
        {
            "person": p,
            "age_band": pseudonyms.age_band(p.birth_year, today),
            "level": p.latest_level,
            "level_label": labels.get(p.latest_level, ""),
            "last_observed": p.last_observed,
        }
        for p in (found.persons if found else [])
    ]
    return pages.render(
        request,
        "registry/search.html",
        {
            "form": form,
            "errors": pages.errors(form),
            "searched": found is not None,
            "rows": rows,
            "more": found.more if found else False,
            "limit": search.LIMIT,
        },
        status=status,
    )


@protected
@never_cache
@require_http_methods(["GET", "POST"])
def reference(request: HttpRequest, pseudonym: str) -> HttpResponse:
    """Give a person an own reference, change it or take it away."""
    actor = actor_from_request(request)
    if request.method == "GET":
        person = policy.get_person(actor, pseudonym, purpose=PURPOSE_REFERENCE_FORM)
        form = ReferenceForm(initial={"reference": references.opened(person)})
    else:
        person = policy.find_person(actor, pseudonym, action=Action.CHANGE)
        form = ReferenceForm(request.POST)
        done = pages.written_once(
            request,
            actor,
            lambda: {
                "set": references.set_reference(actor, person, form.cleaned_data["reference"])
            },
            form,
        )
        if done:
            if done.replayed:
                message = _("This form was sent more than once; it was saved once.")
            elif done.result.get("set"):
                message = _("The own reference was saved.")
            else:
                message = _("The own reference was removed.")
            messages.success(request, message)
            return redirect("registry:person", pseudonym=person.pseudonym)
    status = pages.status(request)
    shown = status == 200  # on a 400 nothing was read for this response
    band = pseudonyms.age_band(person.birth_year, timezone.localdate()) if shown else ""
    return pages.render(
        request,
        "registry/reference.html",
        {"person": person, "age_band": band, "form": form, "errors": pages.errors(form)},
        status=status,
    )
