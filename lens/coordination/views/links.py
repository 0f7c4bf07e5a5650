"""The zorgcoördinator's pages about links: possible matches (fuzzy candidates) to
decide on, decided links, and links made automatically that may be wrong.

As the registry pages (lens.registry.views): every view is wrapped in
`routes.protected`; links are read only through `lens.access.policy` (`visible_links`
+ `log_links` for the list, `get_link_for` for one link, which logs a read of the
records shown: those of the zorgcoördinator's region; of a record in another region only
that region is named) and decided only through `lens.coordination.actions`, by the
region that decides the link (docs/design/coordination.md, "Links and candidates"); bad
input gets a Dutch message at the field and status 400, and nothing is written or logged.
Names are never shown, except once on the response to an explicit, logged reveal of the
identities of the own region's records. Signals
of the records are not shown here at all: deciding whether two records are one person
needs the identities, not what was registered about them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lens.access import policy
from lens.access.actor import Actor, actor_from_request
from lens.access.crypto import Identity
from lens.access.models import Action
from lens.access.routes import protected
from lens.catalogue import services
from lens.coordination import actions
from lens.coordination.forms import DecisionForm, PairRevealForm, decisions_possible
from lens.coordination.views.link_rows import (
    comparison,
    link_context,
    records,
    region_names,
    row,
)
from lens.data.coordination import LinkBasis, LinkDecisionKind, LinkState
from lens.web import lists, pages

PAGE_SIZE = 25
# Decided links and links made automatically are listed for this many days (the list is
# for reviewing recent work, not an archive), newest first, DECIDED_PAGE_SIZE a page, each
# list with its own page parameter beside the candidates' ?pagina=.
DECIDED_DAYS = 90
DECIDED_PAGE_SIZE = 50
DECIDED_PARAMETER = "besloten"
AUTOMATIC_PARAMETER = "automatisch"

# Purposes written to the access log (Dutch whatever the page language).
PURPOSE_LIST = "beoordelen mogelijke koppelingen"
PURPOSE_LINK = "beoordelen mogelijke koppeling"
PURPOSE_REVEAL_FORM = "formulier: identiteiten tonen"

# --- the list -------------------------------------------------------------------------------


def _shown(request: HttpRequest, actor: Actor) -> tuple[list, list, list, list]:
    """The pages the request asks for of the possible matches, the links decided and the
    automatic links of the last days (each list paged on its own), and their links."""
    visible = policy.visible_links(actor).annotate(last_decided=Max("decisions__decided_at"))
    since = timezone.now() - timedelta(days=DECIDED_DAYS)
    candidates = visible.filter(state=LinkState.CANDIDATE).order_by("created_at", "pk")
    decided = (
        visible.exclude(state=LinkState.CANDIDATE)
        .filter(last_decided__gte=since)
        .order_by("-last_decided", "-pk")
    )
    automatic = visible.filter(
        state=LinkState.LINKED,
        basis__in=[LinkBasis.BSN, LinkBasis.NAME],
        last_decided__isnull=True,
        created_at__gte=since,
    ).order_by("-created_at", "-pk")
    pages_ = [
        lists.page_of(request, candidates, PAGE_SIZE),
        # The decided and the automatic links each with their count in one query.
        lists.page_of(
            request, decided, DECIDED_PAGE_SIZE, count_with_rows=True, parameter=DECIDED_PARAMETER
        ),
        lists.page_of(
            request,
            automatic,
            DECIDED_PAGE_SIZE,
            count_with_rows=True,
            parameter=AUTOMATIC_PARAMETER,
        ),
    ]
    return pages_, *(list(page.object_list) for page in pages_)


def _rows(accesses: list[policy.LinkAccess]) -> list[dict[str, Any]]:
    regions = region_names(accesses)
    return [row(access, regions) for access in accesses]


@protected
@never_cache
@require_GET
def links(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    # The links, their log entries and their rows in one transaction.
    pages_, shown, rows = policy.read_shown(
        actor,
        lambda: _shown(request, actor),
        lambda read: policy.log_links(actor, [*read[1], *read[2], *read[3]], purpose=PURPOSE_LIST),
        lambda read, accesses: (read[0], read[1:], _rows(accesses)),
    )
    shown_candidates, decided, _automatic = shown
    first, second = len(shown_candidates), len(shown_candidates) + len(decided)
    page, decided_page, automatic_page = pages_
    return pages.render(
        request,
        "coordination/links.html",
        {
            "page": page,
            "decided_page": decided_page,
            "automatic_page": automatic_page,
            "candidates": rows[:first],
            "decided": rows[first:second],
            "automatic": rows[second:],
            "days": DECIDED_DAYS,
            "list_notices": lists.notices(page=page)
            + lists.notices(page=decided_page)
            + lists.notices(page=automatic_page),
        },
    )


# --- one link ------------------------------------------------------------------------------


@protected
@never_cache
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, link_id: int) -> HttpResponse:
    """A link with its records (of the own region: organisation, age band), the score and
    reasons and the decisions so far; POST: a decision (the deciding region only)."""
    actor = actor_from_request(request)
    if request.method == "GET":
        found = policy.get_link_for(actor, link_id, purpose=PURPOSE_LINK)
    else:
        found = policy.find_link_for(actor, link_id, action=Action.CHANGE)
    form = DecisionForm(pages.posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.decide_link(
                actor, found.link, data["decision"], data["note"], shown=data["shown"]
            )
        except ValidationError as error:
            pages.apply_error(error, form)
            # Decided meanwhile, perhaps: the page shows the link as it is now.
            found.link.refresh_from_db(fields=["state"])
        except services.NoCatalogueLoaded:  # the combined outcome cannot be recomputed
            return pages.render(request, "web/unavailable.html", {}, status=503)
        else:
            messages.success(request, _decided_message(made.decision, found))
            return redirect("coordination:links")
    status = pages.status(request)
    return pages.render(
        request,
        "coordination/link.html",
        {
            **link_context(found, read=status == 200),
            "form": form,
            "errors": pages.errors(form),
            "choices": decisions_possible(found.link),
        },
        status=status,
    )


def _decided_message(decision: str, access: policy.LinkAccess) -> str:
    a, b = (record["label"] for record in records(access, read=False))
    names = {"a": a, "b": b}
    if decision == LinkDecisionKind.CONFIRM:
        return _("%(a)s and %(b)s are now linked as the same person.") % names
    if decision == LinkDecisionKind.REJECT:
        return _("%(a)s and %(b)s are recorded as not the same person.") % names
    return _("The link between %(a)s and %(b)s is open for a new decision.") % names


# --- the identities ------------------------------------------------------------------------


@protected
@never_cache
@require_http_methods(["GET", "POST"])
def link_reveal(request: HttpRequest, link_id: int) -> HttpResponse:
    """The identities side by side, once, on the response to a POST with a purpose: of
    the records of the own region only; REVEAL is logged on each with that purpose."""
    actor = actor_from_request(request)
    if request.method == "GET":
        found = policy.get_link_for(actor, link_id, purpose=PURPOSE_REVEAL_FORM)
    else:
        found = policy.find_link_for(actor, link_id, action=Action.REVEAL)
    form = PairRevealForm(pages.posted(request))
    identities: tuple[Identity | None, Identity | None] | None = None
    status = pages.status(request)
    if request.method == "POST" and form.is_valid():
        try:
            identities = actions.reveal_pair(actor, found.link, form.cleaned_data["purpose"])
        except ValidationError as error:
            pages.apply_error(error, form)
        else:
            status = 200
    read = status == 200
    return pages.render(
        request,
        "coordination/link_reveal.html",
        {
            "link": found.link,
            "records": records(found, read=read),
            "form": form,
            "errors": pages.errors(form),
            "comparison": comparison(*identities) if identities else None,
        },
        status=status,
    )
