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

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lens.access import policy
from lens.access.actor import actor_from_request
from lens.access.crypto import Identity
from lens.access.models import Action
from lens.access.purposes import PURPOSE_MAX
from lens.access.routes import protected
from lens.catalogue import services
from lens.coordination import actions
from lens.data import pseudonyms
from lens.data.coordination import LinkBasis, LinkDecisionKind, LinkState, PersonLink
from lens.data.registry import Person
from lens.web import pages
from lens.web.forms import PageForm

PAGE_SIZE = 25
# Decided links and links made automatically are listed for this many days, at most
# DECIDED_MAX of each (the newest): the list is for reviewing recent work, not an archive.
DECIDED_DAYS = 90
DECIDED_MAX = 50

# Purposes written to the access log (Dutch whatever the page language).
PURPOSE_LIST = "beoordelen mogelijke koppelingen"
PURPOSE_LINK = "beoordelen mogelijke koppeling"
PURPOSE_REVEAL_FORM = "formulier: identiteiten tonen"

# The decision that takes a link into each state (actions.decide_link).
_DECISION_TO = {
    LinkState.LINKED: LinkDecisionKind.CONFIRM,
    LinkState.REJECTED: LinkDecisionKind.REJECT,
    LinkState.CANDIDATE: LinkDecisionKind.REOPEN,
}


def reason_labels() -> dict[str, str]:
    """The reason codes of lens.coordination.similarity, in words."""
    return {
        "family_same": _("Same family name"),
        "family_same_without_tussenvoegsel": _(
            "Same family name apart from a prefix such as van or de"
        ),
        "family_similar": _("Similar family name"),
        "family_different": _("Different family name"),
        "given_same": _("Same given names"),
        "given_same_without_tussenvoegsel": _("Same given names"),
        "given_similar": _("Similar given names"),
        "given_different": _("Different given names"),
        "date_same": _("Same birth date"),
        "date_day_month_swapped": _("Birth date with day and month swapped"),
        "date_one_digit": _("Birth date differs in one digit"),
        "date_digits_swapped": _("Birth date with two neighbouring digits swapped"),
    }


def describe_reasons(link: PersonLink) -> list[str]:
    """Why the link was made, in words: the similarity reasons of a fuzzy link, the basis
    of an exact one."""
    if link.basis != LinkBasis.FUZZY:
        return [str(LinkBasis(link.basis).label)]
    labels = reason_labels()
    return [labels.get(code, code) for code in link.reasons or []]


def score_percent(link: PersonLink) -> int | None:
    return None if link.score is None else round(link.score * 100)


def decision_labels() -> dict[str, str]:
    """The decisions as the form offers them."""
    return {
        LinkDecisionKind.CONFIRM: _("Confirm: the same person"),
        LinkDecisionKind.REJECT: _("Reject: not the same person"),
        LinkDecisionKind.REOPEN: _("Reopen: decide again later"),
    }


def decisions_possible(link: PersonLink) -> list[tuple[str, str]]:
    """The decisions that change the link's state, as (value, label)."""
    labels = decision_labels()
    return [
        (kind.value, labels[kind]) for state, kind in _DECISION_TO.items() if state != link.state
    ]


class DecisionForm(PageForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("Your decision"),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose a decision."),
            "invalid_choice": gettext_lazy("Choose one of the options."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        help_text=gettext_lazy(
            "Why you decided this, for whoever looks at this link later. No names."
        ),
        required=False,
        max_length=actions.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": gettext_lazy("Keep this to %(limit_value)d characters.")},
    )

    def __init__(self, *args, link: PersonLink, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = decisions_possible(link)


class PairRevealForm(PageForm):
    purpose = forms.CharField(
        label=gettext_lazy("Why do you need to see both identities?"),
        help_text=gettext_lazy(
            "This is written in the access log of both records, with your name. For "
            "example: to check whether the two records are the same person."
        ),
        max_length=PURPOSE_MAX,
        error_messages={
            "required": gettext_lazy("Say why you need to see the identities."),
            "max_length": gettext_lazy("Keep this to %(limit_value)d characters."),
        },
    )
    # What counts as a purpose is the action's rule (lens.access.purposes.given).


# --- helpers -------------------------------------------------------------------------------


def region_names(accesses: list[policy.LinkAccess]) -> dict[str, str]:
    """The names of the regions the links' other records and deciders are in (one
    catalogue read for a whole page)."""
    codes = {access.deciding_region for access in accesses} | {
        person.organisation.region
        for access in accesses
        for person in (access.link.person_a, access.link.person_b)
    }
    try:
        catalogue, _ruleset = services.active()
    except services.NoCatalogueLoaded:
        return {code: code for code in codes}
    language = pages.language()
    return {
        code: catalogue.regions[code].label.get(language) if code in catalogue.regions else code
        for code in codes
    }


def record_label(access: policy.LinkAccess, person: Person, regions: dict[str, str]) -> str:
    """How a record of a link is named: its pseudonym in the own region, else its region."""
    if access.shows(person):
        return person.pseudonym
    return _("a record in %s") % regions[person.organisation.region]


def _record(
    access: policy.LinkAccess, person: Person, regions: dict[str, str], *, read: bool = True
) -> dict[str, Any]:
    """One record of a link on screen. A record of the actor's region: the pseudonym, with
    the organisation and age band only when this response logged a read of it. A record
    of another region: only that region."""
    label = record_label(access, person, regions)
    if not access.shows(person):
        return {"person": None, "label": label}
    shown = {"person": person, "label": label, "organisation": None, "age_band": ""}
    if read:
        shown["organisation"] = person.organisation
        shown["age_band"] = pseudonyms.age_band(person.birth_year, timezone.localdate())
    return shown


def _records(
    access: policy.LinkAccess, regions: dict[str, str] | None = None, *, read: bool = True
) -> list[dict[str, Any]]:
    regions = regions if regions is not None else region_names([access])
    return [
        _record(access, p, regions, read=read) for p in (access.link.person_a, access.link.person_b)
    ]


def _row(access: policy.LinkAccess, regions: dict[str, str]) -> dict[str, Any]:
    link = access.link
    return {
        "link": link,
        "records": _records(access, regions),
        "score": score_percent(link),
        "reasons": describe_reasons(link),
        "state": LinkState(link.state).label,
        "last_decided": getattr(link, "last_decided", None),
    }


def _link_context(access: policy.LinkAccess, *, read: bool) -> dict[str, Any]:
    link = access.link
    regions = region_names([access])
    context: dict[str, Any] = {
        "link": link,
        "state": LinkState(link.state).label,
        "records": _records(access, regions, read=read),
        "read": read,
        "decides": access.decides,
        "deciding_region": regions[access.deciding_region],
    }
    if read:
        context.update({"basis": LinkBasis(link.basis).label})
    if read and access.decides:  # how it was found and decided: for the deciding region
        context.update(
            {
                "score": score_percent(link),
                "reasons": describe_reasons(link),
                "decisions": list(link.decisions.select_related("decided_by")),
            }
        )
    return context


# --- the list -------------------------------------------------------------------------------


@protected
@never_cache
@require_GET
def links(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    visible = policy.visible_links(actor).annotate(last_decided=Max("decisions__decided_at"))
    since = timezone.now() - timedelta(days=DECIDED_DAYS)
    candidates = visible.filter(state=LinkState.CANDIDATE).order_by("created_at", "pk")
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("pagina"))
    shown_candidates = list(page.object_list)
    decided: list[PersonLink] = []
    automatic: list[PersonLink] = []
    if page.number == 1:
        decided = list(
            visible.exclude(state=LinkState.CANDIDATE)
            .filter(last_decided__gte=since)
            .order_by("-last_decided", "-pk")[:DECIDED_MAX]
        )
        automatic = list(
            visible.filter(
                state=LinkState.LINKED,
                basis__in=[LinkBasis.BSN, LinkBasis.NAME],
                last_decided__isnull=True,
                created_at__gte=since,
            ).order_by("-created_at", "-pk")[:DECIDED_MAX]
        )
    accesses = policy.log_links(actor, shown_candidates + decided + automatic, purpose=PURPOSE_LIST)
    regions = region_names(accesses)
    rows = [_row(access, regions) for access in accesses]
    first, second = len(shown_candidates), len(shown_candidates) + len(decided)
    return pages.render(
        request,
        "coordination/links.html",
        {
            "page": page,
            "candidates": rows[:first],
            "decided": rows[first:second],
            "automatic": rows[second:],
            "first_page": page.number == 1,
            "days": DECIDED_DAYS,
            "most": DECIDED_MAX,
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
    form = DecisionForm(pages.posted(request), link=found.link)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = actions.decide_link(actor, found.link, data["decision"], data["note"])
        except ValidationError as error:
            pages.apply_error(error, form)
        except services.NoCatalogueLoaded:  # the combined outcome cannot be recomputed
            return pages.render(request, "registry/unavailable.html", {}, status=503)
        else:
            messages.success(request, _decided_message(made.decision, found))
            return redirect("coordination:links")
    status = pages.status(request)
    return pages.render(
        request,
        "coordination/link.html",
        {
            **_link_context(found, read=status == 200),
            "form": form,
            "errors": pages.errors(form),
            "choices": form.fields["decision"].choices,
        },
        status=status,
    )


def _decided_message(decision: str, access: policy.LinkAccess) -> str:
    a, b = (record["label"] for record in _records(access, read=False))
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
            "records": _records(found, read=read),
            "form": form,
            "errors": pages.errors(form),
            "comparison": _comparison(*identities) if identities else None,
        },
        status=status,
    )


def masked_bsn(bsn: str) -> str:
    """A BSN with all but the last three digits hidden."""
    if not bsn:
        return ""
    return "•" * max(0, len(bsn) - 3) + bsn[-3:]


def _fields(identity: Identity | None) -> dict[str, Any]:
    """An identity's values as the table shows them; empty for a closed one."""
    if identity is None:
        return {"given": "", "family": "", "born": None, "known": "", "bsn": ""}
    return {
        "given": identity.given_names,
        "family": identity.family_name,
        "born": identity.birth_date,
        "known": _("yes") if identity.bsn else _("no"),
        "bsn": identity.bsn,
    }


def _comparison(a: Identity | None, b: Identity | None) -> list[dict[str, Any]]:
    """The rows of the side-by-side table: field, both values, and whether they agree.
    An identity of another region stays closed (None): nothing to compare then."""

    def same_text(x: str, y: str) -> bool:
        return " ".join(x.casefold().split()) == " ".join(y.casefold().split())

    both = a is not None and b is not None
    x, y = _fields(a), _fields(b)
    bsn_same = x["bsn"] == y["bsn"] if both and x["bsn"] and y["bsn"] else None
    return [
        {
            "label": _("Given names"),
            "a": x["given"],
            "b": y["given"],
            "same": same_text(x["given"], y["given"]) if both else None,
        },
        {
            "label": _("Family name"),
            "a": x["family"],
            "b": y["family"],
            "same": same_text(x["family"], y["family"]) if both else None,
        },
        {
            "label": _("Birth date"),
            "a": x["born"],
            "b": y["born"],
            "same": x["born"] == y["born"] if both else None,
            "is_date": True,
        },
        {"label": _("BSN known"), "a": x["known"], "b": y["known"], "same": None},
        {
            "label": _("BSN (last three digits)"),
            "a": masked_bsn(x["bsn"]),
            "b": masked_bsn(y["bsn"]),
            "same": bsn_same,
        },
    ]
