"""Recording and ending a relation between two records in the zorgcoördinator's view
(the network of these relations: lens.coordination.views.network)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from lens.access import policy
from lens.access.actor import actor_from_request
from lens.access.models import Action
from lens.access.routes import protected
from lens.coordination import actions
from lens.coordination.forms import RelationForm, not_in_view_message
from lens.data import pseudonyms
from lens.data.coordination import RelationKind
from lens.web import pages

# Purposes written to the access log (Dutch whatever the page language).
PURPOSE_RELATION_FORM = "formulier: relatie vastleggen"


@protected
@never_cache
@require_http_methods(["GET", "POST"])
def relation_new(request: HttpRequest, pseudonym: str) -> HttpResponse:
    """A relation between this person and another person in the zorgcoördinator's view.
    An out-of-scope or unknown other pseudonym is a field error, never telling whether
    the pseudonym exists elsewhere."""
    actor = actor_from_request(request)
    if request.method == "GET":
        person, _members = policy.get_coordinated(actor, pseudonym, purpose=PURPOSE_RELATION_FORM)
    else:
        person = policy.find_coordinated(actor, pseudonym, action=Action.CHANGE)
    form = RelationForm(pages.posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            other = policy.find_coordinated(actor, data["other"], action=Action.CHANGE)
        except Http404:
            form.apply(ValidationError({"other": [not_in_view_message()]}))
        else:
            try:
                actions.record_relation(actor, person, other, data["kind"], data["note"])
            except ValidationError as error:
                pages.apply_error(error, form)
            else:
                messages.success(request, _("The relation was recorded."))
                return redirect("coordination:picture", pseudonym=person.pseudonym)
    status = pages.status(request)
    band = pseudonyms.age_band(person.birth_year, timezone.localdate()) if status == 200 else ""
    return pages.render(
        request,
        "coordination/relation_new.html",
        {
            "person": person,
            "age_band": band,
            "form": form,
            "errors": pages.errors(form),
            "kind_choices": RelationKind.choices,
        },
        status=status,
    )


@protected
@never_cache
@require_POST
def relation_end(request: HttpRequest, relation_id: int) -> HttpResponse:
    """End a relation recorded in error (both records in the zorgcoördinator's view,
    else 404: actions.end_relation checks); back to the network with a message."""
    actor = actor_from_request(request)
    relation = policy.find_relation_for(actor, relation_id)
    try:
        actions.end_relation(actor, relation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The relation was ended. It stays in the history."))
    return redirect("coordination:network")
