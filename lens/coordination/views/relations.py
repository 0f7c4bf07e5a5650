"""Recording and ending (with a reason) a relation between two records in the
zorgcoördinator's view (the network of these relations: lens.coordination.views.network)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lens.access import policy
from lens.access.actor import actor_from_request
from lens.access.models import Action
from lens.access.routes import protected
from lens.coordination import actions
from lens.coordination.forms import RelationEndForm, RelationForm, not_in_view_message
from lens.data import pseudonyms
from lens.data.coordination import RelationKind
from lens.web import pages

# Purposes written to the access log (Dutch whatever the page language).
PURPOSE_RELATION_FORM = "formulier: relatie vastleggen"
PURPOSE_RELATION_END_FORM = "formulier: relatie beëindigen"


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
@require_http_methods(["GET", "POST"])
def relation_end(request: HttpRequest, relation_id: int) -> HttpResponse:
    """End a relation between two records in the zorgcoördinator's view (else 404),
    saying why; back to the network with a message. Showing the form reads the relation
    (a READ logged on both records)."""
    actor = actor_from_request(request)
    if request.method == "GET":
        relation = policy.get_relation_for(actor, relation_id, purpose=PURPOSE_RELATION_END_FORM)
    else:
        relation = policy.find_relation_for(actor, relation_id)
    form = RelationEndForm(pages.posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.end_relation(actor, relation, data["reason"], data["note"])
        except ValidationError as error:
            pages.apply_error(error, form)
        else:
            messages.success(request, _("The relation was ended. It stays in the history."))
            return redirect("coordination:network")
    status = pages.status(request)
    return pages.render(
        request,
        "coordination/relation_end.html",
        {
            "read": status == 200,  # a 400 logged no read: it shows only what was posted
            "relation": relation,
            "form": form,
            "errors": pages.errors(form),
            "reason_choices": form.fields["reason"].choices,
        },
        status=status,
    )
