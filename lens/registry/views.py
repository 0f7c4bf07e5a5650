"""The registry pages: my organisation's persons, a person's page and the forms.

Rules every view here keeps:
- it is wrapped in `routes.protected` (login with both factors, a membership, and a role
  that lens.access.routes allows for this URL);
- person data is read only through `lens.access.policy` (`get_person` logs the read;
  `visible_persons` + `log_list` for the list) and written only through
  `lens.registry.actions`;
- bad input gets a Dutch message at the field and status 400, and nothing is written;
- names are never shown, except once on the response to an explicit, logged reveal.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lens.access import log_export, policy
from lens.access.actor import Actor, actor_from_request
from lens.access.models import Action
from lens.access.routes import protected
from lens.cases import selectors as cases
from lens.data import queries
from lens.data.registry import HowLearned, Person
from lens.registry import access_rows, actions, from_check, references, selectors
from lens.registry.forms import (
    IdentityForm,
)
from lens.registry.pagekit import person_header, signals_form
from lens.registry.views_forms import correct, informed, register_more, reveal, withdraw
from lens.rules.model import Catalogue, Ruleset
from lens.web import lists, pages, submissions
from lens.web.outcomes import outcome_section, timeline_rows
from lens.web.places import DISTRICT_NOTE

ACCESS_LOG_PAGE_SIZE = 50
# The person page shows the newest registrations of the timeline a page at a time
# (?registraties=N): the page's size stays bounded however many there are. The outcome
# and the blind spots still read every current registration (the engine's input).
TIMELINE_PAGE_SIZE = 20
TIMELINE_PARAMETER = "registraties"

# Purposes written to the access log for the reads these pages do. Dutch whatever the
# page language: the log is one record, read in Dutch (also for AVG access requests).
PURPOSE_LIST = "overzicht personen van de organisatie"
PURPOSE_PAGE = "persoonspagina"
PURPOSE_NEW = "nieuwe registratie"
PURPOSE_SAME_NAME = "nieuwe registratie: mogelijk dezelfde persoon (zelfde naam en geboortedatum)"
PURPOSE_ACCESS_LOG = "wie heeft dit ingezien: lijst"
PURPOSE_ACCESS_LOG_CSV = "wie heeft dit ingezien: CSV-export"

__all__ = ["correct", "informed", "register_more", "reveal", "withdraw"]  # lens/registry/urls.py

# --- my organisation's persons -------------------------------------------------------------


# The choices above the persons list (?sorteer=, ?recent=, ?niveau=): the URL's words for
# the selectors' orders, and the months a "recent signal" may be.
SORT_WORDS = {
    "nieuwste": selectors.NEWEST_SIGNAL,
    "niveau": selectors.HIGHEST_LEVEL,
    "pseudoniem": selectors.PSEUDONYM,
}
RECENT_MONTHS = (3, 6, 12)


def person_list_controls(request: HttpRequest, labels: dict[int, str]) -> list[lists.Control]:
    """The sort order, the recent-signal filter and the level filter of a persons list."""
    return [
        lists.control(
            request,
            "sorteer",
            _("Sort by"),
            [
                ("nieuwste", _("Newest signal first")),
                ("niveau", _("Highest level first")),
                ("pseudoniem", _("Pseudonym")),
            ],
        ),
        lists.control(
            request,
            "recent",
            _("Last signal"),
            [("", _("Any time"))]
            + [(str(n), _("In the last %(months)s months") % {"months": n}) for n in RECENT_MONTHS],
        ),
        lists.control(
            request,
            "niveau",
            _("Show level"),
            [("", _("All levels"))]
            + [(str(n), f"{n} · {label}") for n, label in sorted(labels.items())],
        ),
    ]


@protected
@never_cache
@require_GET
@pages.needs_catalogue
def persons(request: HttpRequest, catalogue: Catalogue, ruleset: Ruleset) -> HttpResponse:
    actor = actor_from_request(request)
    labels = pages.level_labels(ruleset, pages.language())
    controls = person_list_controls(request, labels)
    sort, recent, level = (c.chosen for c in controls)

    chosen = {
        "level": int(level) if level else None,
        "signal_within_months": int(recent) if recent else None,
        "sort": SORT_WORDS[sort],
    }

    def paginate() -> tuple[Any, list[Person]]:
        page = lists.page_of(
            request,
            selectors.persons(actor, **chosen),
            count_with_rows=True,  # the count and the rows in one query
            read=selectors.persons_read(actor, **chosen),  # that query compiled once
        )
        return page, list(page.object_list)

    page, rows = selectors.person_page(actor, paginate, purpose=PURPOSE_LIST)
    person_url = pages.url_for("registry:person", "pseudonym")
    return pages.render(
        request,
        "registry/persons.html",
        {
            "page": page,
            "rows": [
                {
                    **vars(row),
                    "url": person_url(row.pseudonym),
                    "level_label": labels.get(row.level, ""),
                }
                for row in rows
            ],
            "controls": controls,
            "filtered": bool(level or recent),
            "organisation": actor.organisation,
            "list_notices": lists.notices(controls, page),
        },
    )


# --- a person's page -----------------------------------------------------------------------


@protected
@never_cache
@require_GET
@pages.needs_catalogue
def person(
    request: HttpRequest, pseudonym: str, catalogue: Catalogue, ruleset: Ruleset
) -> HttpResponse:
    actor = actor_from_request(request)
    language = pages.language()
    # The page's reads in the transaction of the person's read and its log entry.
    context = selectors.person_overview(
        actor,
        pseudonym,
        purpose=PURPOSE_PAGE,
        more=lambda overview: _person_page(request, actor, overview, catalogue, ruleset, language),
        # The relations name other own records: each one's read logged with the person's.
        shown=lambda context: selectors.relations_read(context["relations"]),
    )
    return pages.render(request, "registry/person.html", context)


def _person_page(
    request: HttpRequest,
    actor: Actor,
    overview: selectors.PersonOverview,
    catalogue: Catalogue,
    ruleset: Ruleset,
    language: str,
) -> dict[str, Any]:
    """What the person's page shows of a person read through the policy."""
    person, stored = overview.person, overview.outcome
    entries = queries.timeline(person)  # once: the timeline and the engine's input
    if stored is not None:  # its report, for the case box, from the timeline just read
        stored = queries.with_document(stored, person, catalogue, ruleset, entries)
    open_case = cases.open_case_of(person)  # once: the case box and the referral button
    # What the page shows of the timeline: one page of it, newest first (the outcome
    # above is drawn from all of `entries`).
    timeline_page = lists.page_of(
        request, entries, TIMELINE_PAGE_SIZE, parameter=TIMELINE_PARAMETER
    )
    shown = list(timeline_page.object_list)
    context = {
        "person": person,
        "age_band": overview.age_band,
        "timeline": timeline_rows(person, catalogue, language, shown),
        "timeline_page": timeline_page,
        "list_notices": lists.notices(page=timeline_page),
        # A registration names its district by code: say why (lens.web.places).
        "district_note": DISTRICT_NOTE if any(e.registration.wijk_code for e in shown) else "",
        "stored": stored,
        "informed": overview.informed,
        "under_16": overview.possibly_under_16,
        "may_export": policy.may(actor, Action.EXPORT),
        "may_reveal": policy.may(actor, Action.REVEAL),
        # Across organisations (docs/design/coordination.md): "ook betrokken" (name and
        # contact, never their pseudonym, signals or notes), the lead, the referrals and
        # the relations.
        "reference": references.opened(person),  # read through get_person: own organisation
        "involved": overview.involved.organisations,
        "lead": overview.involved.lead,
        "referrals": queries.referrals_of(person),
        "relations": selectors.relations(actor, person),
        "open_case": open_case,
        # The referral button only for whoever can refer (the rule of the refer action).
        "may_refer": policy.may_act_for_person(actor, open_case),
    }
    if stored is not None:
        context["outcome_section"] = outcome_section(
            "registry/includes/outcome.html", person, stored, catalogue, ruleset, language, entries
        )
    return context


# --- registering ---------------------------------------------------------------------------
#
# The form pages below share one course: GET shows the form (reading the person through
# the policy, logged); POST binds the form to what was posted, and when it is valid and
# the actions layer takes it, goes back to the person's page with a message; otherwise
# the form is shown again with its errors, as a 400, and nothing is written.


@protected
@never_cache
@require_http_methods(["GET", "POST"])
@pages.needs_catalogue
def register(request: HttpRequest, catalogue: Catalogue, ruleset: Ruleset) -> HttpResponse:
    """A new person (identity) with a first observation, in one transaction. When the
    organisation has a person with the same name and birth date (no BSN), the form comes
    back (409) naming them and asks whether this is the same person or a different one.
    Posted from the check's outcome page: the form prefilled, nothing written
    (lens.registry.from_check)."""
    actor = actor_from_request(request)
    identity_form = IdentityForm(pages.posted(request))
    observation_form = signals_form(request, catalogue, region=actor.region)
    status, possible, errors = pages.status(request), [], None
    if from_check.is_from_check(request):  # the check's answers: the form prefilled
        identity_form, observation_form, errors = from_check.prefilled(
            request, catalogue, actor.region
        )
        status = 400 if errors else 200
    elif request.method == "POST":

        def write() -> dict:
            name_match = identity_form.cleaned_data.get("name_match") or actions.ASK
            try:
                done = references.register_new(
                    actor,
                    identity_form.identity(),
                    observation_form.observation(),
                    identity_form.cleaned_data.get("reference"),
                    purpose=PURPOSE_NEW,
                    name_match=name_match,
                )
            except ValidationError as error:
                raise pages.at_fields(error) from error
            return {"pseudonym": done.person.pseudonym, "created": done.created}

        try:
            done = pages.written_once(request, actor, write, identity_form, observation_form)
        except actions.PossiblySamePerson as asked:
            done, status = None, 409
            possible = [
                policy.get_person(actor, p.pseudonym, purpose=PURPOSE_SAME_NAME)
                for p in asked.persons
            ]
        if done:
            return _registered(request, done)
    return pages.render(
        request,
        "registry/register.html",
        {
            "identity_form": identity_form,
            "form": observation_form,
            "errors": pages.errors(identity_form, observation_form) if errors is None else errors,
            "how_learned_choices": HowLearned.choices,
            "possible_matches": possible,
        },
        status=status,
    )


def _registered(request: HttpRequest, done: submissions.Outcome) -> HttpResponse:
    pseudonym = done.result["pseudonym"]
    if done.replayed:
        message, level = _("This form was sent more than once; it was saved once."), messages.INFO
    elif done.result["created"]:
        message, level = (
            _("Registered as %(pseudonym)s.") % {"pseudonym": pseudonym},
            messages.SUCCESS,
        )
    else:
        message = _(
            "This person was already known in your organisation as "
            "%(pseudonym)s. The signals were added there."
        ) % {"pseudonym": pseudonym}
        level = messages.INFO
    messages.add_message(request, level, message)
    return redirect("registry:person", pseudonym=pseudonym)


# --- wie heeft dit ingezien ----------------------------------------------------------------


@protected
@never_cache
@require_GET
def access_log(request: HttpRequest, pseudonym: str) -> HttpResponse:
    actor = actor_from_request(request)
    action = lists.control(
        request,
        "handeling",
        _("Action"),
        [("", _("All actions")), *access_rows.action_labels().items()],
    )

    def build(person: Person) -> tuple[Person, Any, list]:
        entries = log_export.entries_for_person(person).order_by("-id")
        if action.chosen:
            entries = entries.filter(action=action.chosen)
        page = lists.page_of(request, entries, ACCESS_LOG_PAGE_SIZE)
        return person, page, access_rows.rows(person, list(page.object_list))

    # The entries shown in the transaction of the person's read and its log entry.
    person, page, rows = policy.get_person(
        actor, pseudonym, purpose=PURPOSE_ACCESS_LOG, action=Action.EXPORT, build=build
    )
    return pages.render(
        request,
        "registry/access_log.html",
        {
            **person_header(person),
            "page": page,
            "rows": rows,
            "controls": [action],
            "list_notices": lists.notices([action], page),
        },
    )


@protected
@never_cache
@require_GET
def access_log_csv(request: HttpRequest, pseudonym: str) -> HttpResponse:
    actor = actor_from_request(request)
    person = policy.get_person(
        actor, pseudonym, purpose=PURPOSE_ACCESS_LOG_CSV, action=Action.EXPORT
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="ingezien-{person.pseudonym}-{stamp}.csv"'
    )
    response.write("\ufeff")  # a BOM, so that spreadsheet programs read UTF-8
    log_export.write_csv(log_export.export_rows(log_export.entries_for_person(person)), response)
    return response
