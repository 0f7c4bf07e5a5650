"""The organisation's side of working across organisations (docs/design/coordination.md):
referring a person to the region's zorgcoördinator, relations between the
organisation's own records, and the information requests the zorgcoördinator addressed
to the organisation, which its aandachtsfunctionaris reads and answers.

The rules of lens.registry.views hold here too, with its helpers:
- every view is wrapped in `routes.protected` (the table in lens.access.routes);
- person data is read only through `lens.access.policy` (every read logged) and written
  only through `lens.coordination.actions` (every write logged in its transaction);
- bad input gets a Dutch message at the field and status 400, and nothing is written;
- another organisation's record (or request, or relation) is a 404, never a 403, and no
  page says whether a pseudonym exists at another organisation.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lens.access import policy
from lens.access.actor import Actor, actor_from_request
from lens.access.models import Action
from lens.access.routes import protected
from lens.cases import referrals, selectors
from lens.coordination import actions as coordination
from lens.coordination.forms import RelationEndForm
from lens.data import queries
from lens.data.registry import Person
from lens.registry.forms_across import AnswerForm, OwnRelationForm, ReferForm
from lens.registry.pagekit import (
    PURPOSE_FORM,
    done_message,
    form_page,
    form_person,
    person_header,
)
from lens.web import lists, pages

# Purposes written to the access log for the reads these pages do (Dutch, as in
# lens.registry.views). The form pages log "formulier: <name>" through
# lens.registry.pagekit.form_page.
PURPOSE_REQUESTS = "informatieverzoeken van de organisatie"
PURPOSE_REQUEST = "informatieverzoek lezen"
FORM_REFER = "doorverwijzen"
FORM_RELATION = "relatie vastleggen"
FORM_RELATION_END = "relatie beëindigen"


# --- referring to the zorgcoördinator ------------------------------------------------------


@protected
@never_cache
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, pseudonym: str) -> HttpResponse:
    """Ask the region's zorgcoördinator to look at this person (any level): a referral,
    a line on their work list and an e-mail that holds no person data. It is a step of
    the organisation's meldcode case (the open one, or one opened for it), so that the
    zorgcoördinator's answer comes back into that case (lens.cases.referrals). Who may
    not refer now (`referrals.refer_problems`: a colleague who does not handle the open
    case, a case waiting for an answer) is told why, and offered no form."""
    actor = actor_from_request(request)

    def page(person: Person) -> tuple[Any, list[str], list]:
        # What refer_person would refuse: then the page says why instead of the form.
        open_case = selectors.open_case_of(person)
        refused = referrals.refer_problems(actor, open_case)
        # Earlier referrals, on the page that logs the read only (a GET).
        earlier = queries.referrals_of(person) if request.method == "GET" else []
        return open_case, refused, earlier

    person, (open_case, refused, earlier) = form_page(
        request, actor, pseudonym, form_name=FORM_REFER, action=Action.CHANGE, build=page
    )
    form = ReferForm(pages.posted(request))
    if request.method == "POST" and (
        done := pages.written_once(
            request,
            actor,
            lambda: referrals.refer_person(actor, person, form.cleaned_data["reason"]),
            form,
        )
    ):
        return done_message(
            request,
            person,
            done,
            _("The person was referred to the care coordinator of your region."),
        )
    shown = pages.status(request) == 200
    return pages.render(
        request,
        "registry/refer.html",
        {
            **person_header(person, read=shown),
            "form": form,
            # Refused: the reasons instead of the form, not as errors at fields it lacks.
            "errors": [] if refused else pages.errors(form),
            "refused": refused,
            "open_case": open_case if refused else None,
            "referrals": earlier if shown else [],
        },
        status=pages.status(request),
    )


# --- relations between the organisation's own records ---------------------------------------


def _own_record(actor: Actor, pseudonym: str) -> Person | None:
    """The other end of a new relation: a record of the actor's own organisation, else
    None, the same for an unknown pseudonym and one of another organisation (no existence
    leak). No log entry: recording the relation logs both records."""
    try:
        return policy.find_person(actor, pseudonym, action=Action.CHANGE)
    except Http404:
        return None


@protected
@never_cache
@require_http_methods(["GET", "POST"])
def relation_new(request: HttpRequest, pseudonym: str) -> HttpResponse:
    actor = actor_from_request(request)
    person = form_person(request, actor, pseudonym, form_name=FORM_RELATION, action=Action.CHANGE)
    form = OwnRelationForm(pages.posted(request), find_own=lambda other: _own_record(actor, other))

    def record() -> None:
        person_a, person_b, kind = form.relation(person)
        coordination.record_relation(actor, person_a, person_b, kind, form.cleaned_data["note"])

    if request.method == "POST" and (done := pages.written_once(request, actor, record, form)):
        return done_message(request, person, done, _("The relation was recorded."))
    return pages.render(
        request,
        "registry/relation_new.html",
        {
            **person_header(person, read=pages.status(request) == 200),
            "form": form,
            "errors": pages.errors(form),
            "kind_choices": form.fields["kind"].choices,
        },
        status=pages.status(request),
    )


@protected
@never_cache
@require_http_methods(["GET", "POST"])
def relation_end(request: HttpRequest, pseudonym: str, relation_id: int) -> HttpResponse:
    """End a relation of this record with another own record, saying why. It stays in
    the history, marked ended with its reason. Showing the form reads the relation (a
    READ logged on both records); 404 when it is not of this record with another own
    record."""
    actor = actor_from_request(request)
    person = policy.find_person(actor, pseudonym, action=Action.CHANGE)
    if request.method == "GET":
        relation = policy.get_relation_for(
            actor, relation_id, person=person, purpose=PURPOSE_FORM % FORM_RELATION_END
        )
    else:
        relation = policy.find_relation_for(actor, relation_id, person=person)
    form = RelationEndForm(pages.posted(request))

    def end() -> None:
        data = form.cleaned_data
        coordination.end_relation(actor, relation, data["reason"], data["note"])

    if request.method == "POST" and (done := pages.written_once(request, actor, end, form)):
        return done_message(request, person, done, _("The relation was ended."))
    read = pages.status(request) == 200
    other = relation.person_b if relation.person_a_id == person.pk else relation.person_a
    return pages.render(
        request,
        "registry/relation_end.html",
        {
            **person_header(person, read=read),
            "read": read,  # a 400 logged no read: it shows only what was posted
            "relation": relation,
            "other": other,
            "this_is_a": relation.person_a_id == person.pk,
            "form": form,
            "errors": pages.errors(form),
            "reason_choices": form.fields["reason"].choices,
        },
        status=pages.status(request),
    )


# --- information requests (the aandachtsfunctionaris) --------------------------------------


@protected
@never_cache
@require_GET
def requests(request: HttpRequest) -> HttpResponse:
    """The zorgcoördinator's questions about the organisation's records: open ones first."""
    actor = actor_from_request(request)

    def paginate() -> tuple[Any, list]:
        page = lists.page_of(request, policy.requests_for(actor))
        return page, list(page.object_list)

    # The requests and their log entries in one transaction.
    page, shown = policy.read_shown(
        actor,
        paginate,
        lambda read: policy.log_requests(actor, read[1], purpose=PURPOSE_REQUESTS),
        lambda read, _logged: read,
    )
    return pages.render(
        request,
        "registry/requests.html",
        {
            "page": page,
            "rows": shown,
            "organisation": actor.organisation,
            "list_notices": lists.notices(page=page),
        },
    )


@protected
@never_cache
@require_http_methods(["GET", "POST"])
def request(request: HttpRequest, request_id: int) -> HttpResponse:
    """One request: the question, who asked and when, and the answer (once)."""
    actor = actor_from_request(request)
    if request.method == "GET":
        asked = policy.get_request_for(actor, request_id, purpose=PURPOSE_REQUEST)
    else:  # the answer logs itself
        asked = policy.find_request_for(actor, request_id)
    form = AnswerForm(pages.posted(request))
    if request.method == "POST" and pages.written(
        lambda: coordination.answer_information(actor, asked, form.cleaned_data["answer"]), form
    ):
        messages.success(request, _("Your answer was sent to the care coordinator."))
        return redirect("registry:request", request_id=asked.pk)
    status = pages.status(request)
    return pages.render(
        request,
        "registry/request.html",
        {
            **person_header(asked.person, read=status == 200),
            "asked": asked,
            # A 400 response to an answer logged no read: it shows what was posted only.
            "shown": status == 200,
            "form": form,
            "errors": pages.errors(form),
        },
        status=status,
    )
