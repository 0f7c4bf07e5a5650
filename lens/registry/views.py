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
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lens.access import log, policy
from lens.access.actor import Actor, actor_from_request
from lens.access.models import Action
from lens.access.routes import protected
from lens.coordination import clusters
from lens.data import pseudonyms, queries
from lens.data.coordination import PersonRelation, RelationKind
from lens.data.registry import HowLearned, InformedWho, Person, Registration
from lens.registry import access_rows, actions
from lens.registry.forms import (
    SEX_CHOICES,
    IdentityForm,
    InformedForm,
    RevealForm,
    SignalsForm,
    WithdrawForm,
)
from lens.rules.model import Catalogue, Ruleset
from lens.web import pages, submissions
from lens.web.outcomes import labels, outcome_context, timeline_rows

ACCESS_LOG_PAGE_SIZE = 50

# Purposes written to the access log for the reads these pages do. Dutch whatever the
# page language: the log is one record, read in Dutch (also for AVG access requests).
PURPOSE_LIST = "overzicht personen van de organisatie"
PURPOSE_PAGE = "persoonspagina"
PURPOSE_FORM = "formulier: %s"
PURPOSE_NEW = "nieuwe registratie"
PURPOSE_SAME_NAME = "nieuwe registratie: mogelijk dezelfde persoon (zelfde naam en geboortedatum)"
PURPOSE_ACCESS_LOG = "wie heeft dit ingezien: lijst"
PURPOSE_ACCESS_LOG_CSV = "wie heeft dit ingezien: CSV-export"


# --- helpers -----------------------------------------------------------------------------


def _form_person(
    request: HttpRequest, actor: Actor, pseudonym: str, *, form_name: str, action: Action
) -> Person:
    """The person a form page is about, through the policy. Showing the form reads the
    person and logs it, with the form as the purpose; a POST only checks that the actor may
    do `action` with this person: the write itself is logged by the actions layer."""
    if request.method == "GET":
        return policy.get_person(actor, pseudonym, purpose=PURPOSE_FORM % form_name)
    return policy.find_person(actor, pseudonym, action=action)


def _done(
    request: HttpRequest, person: Person, outcome: submissions.Outcome, message: str
) -> HttpResponse:
    """Back to the person's page after a write; a form sent twice says it was saved once."""
    if outcome.replayed:
        return _to_person(
            request,
            person,
            _("This form was sent more than once; it was saved once."),
            level=messages.INFO,
        )
    return _to_person(request, person, message)


def _to_person(
    request: HttpRequest, person: Person, message: str, level: int = messages.SUCCESS
) -> HttpResponse:
    """Back to the person's page, with a message there."""
    messages.add_message(request, level, message)
    return redirect("registry:person", pseudonym=person.pseudonym)


def _person_header(person: Person, *, read: bool = True) -> dict[str, Any]:
    """The pseudonym, and the age band when this response logged a read of the person (a
    400 response to a write logs nothing, so it shows nothing but what was posted)."""
    band = pseudonyms.age_band(person.birth_year, timezone.localdate()) if read else ""
    return {"person": person, "age_band": band}


def _registration_to_change(
    request: HttpRequest, person: Person, registration_id: int
) -> Registration | HttpResponse:
    """The person's registration that a form changes (404 if the person has no such
    registration). Its form is shown for the current version only: for an older one,
    back to the person's page."""
    registration = queries.registration_of(person, registration_id)
    if registration is None:
        raise Http404
    if request.method == "GET" and not queries.is_current(registration):
        return _to_person(
            request,
            person,
            _("This registration was corrected or withdrawn already."),
            level=messages.INFO,
        )
    return registration


# --- my organisation's persons -------------------------------------------------------------


@protected
@never_cache
@require_GET
@pages.needs_catalogue
def persons(request: HttpRequest, catalogue: Catalogue, ruleset: Ruleset) -> HttpResponse:
    actor = actor_from_request(request)
    language = pages.language()
    labels = pages.level_labels(ruleset, language)
    rows = queries.with_overview(policy.visible_persons(actor))
    level = pages.chosen_level(request, labels)
    if level:
        rows = rows.filter(latest_level=int(level))
    page = Paginator(rows, pages.PAGE_SIZE).get_page(request.GET.get("pagina"))
    shown = list(page.object_list)
    policy.log_list(actor, shown, purpose=PURPOSE_LIST)
    today = timezone.localdate()
    return pages.render(
        request,
        "registry/persons.html",
        {
            "page": page,
            "rows": [
                {
                    "person": p,
                    "age_band": pseudonyms.age_band(p.birth_year, today),
                    "level": p.latest_level,
                    "level_label": labels.get(p.latest_level, ""),
                    "last_observed": p.last_observed,
                    "blind_spots": p.latest_blind_spots,
                }
                for p in shown
            ],
            "levels": sorted(labels.items()),
            "level": level,
            "organisation": actor.organisation,
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
    person = policy.get_person(actor, pseudonym, purpose=PURPOSE_PAGE)
    stored = queries.latest_outcome(person)
    entries = timeline_rows(person, catalogue, language)
    informed = queries.latest_informed(person)
    today = timezone.localdate()
    context = {
        **_person_header(person),
        "timeline": entries,
        "stored": stored,
        "informed": informed,
        "under_16": pseudonyms.possibly_under_16(person.birth_year, today),
        "may_export": policy.may(actor, Action.EXPORT),
        "may_reveal": policy.may(actor, Action.REVEAL),
        **_across(actor, person),
    }
    if stored is not None:
        context.update(outcome_context(person, stored, catalogue, ruleset, language))
    return pages.render(request, "registry/person.html", context)


def _across(actor: Actor, person: Person) -> dict[str, Any]:
    """Across organisations, on the person's page (docs/design/coordination.md): the other
    organisations with a linked record ("ook betrokken": name and contact, never their
    pseudonym, signals or notes), the lead, the referrals and the relations."""
    members = clusters.cluster_of(person)  # once, for both
    return {
        "involved": clusters.other_organisations(person, members),
        "lead": clusters.current_lead(members),
        "referrals": list(person.referrals.select_related("referred_by")),
        "relations": _relations(actor, person),
    }


def _relations(actor: Actor, person: Person) -> list[dict[str, Any]]:
    """The relations of this record. The other end is named (by pseudonym) only when it is
    a record of the actor's organisation; else it is "a person at another organisation",
    and a relation the zorgcoördinator recorded shows its kind only (not its note)."""
    rows = []
    relations = PersonRelation.objects.filter(
        Q(person_a=person) | Q(person_b=person)
    ).select_related("person_a", "person_b", "recorded_by")
    for relation in relations:
        this_is_a = relation.person_a_id == person.pk
        other = relation.person_b if this_is_a else relation.person_a
        own_other = other.organisation_id == actor.organisation_id
        by_own = relation.recorded_by_organisation_id == actor.organisation_id
        by_coordinator = relation.recorded_by_organisation_id is None
        if not (by_own or own_other or by_coordinator):
            continue  # recorded by another organisation: not ours to show
        if relation.kind == RelationKind.SUSPECTED_RECRUITER:
            label = (
                _("This person is a suspected recruiter of")
                if this_is_a
                else _("Suspected recruiter of this person")
            )
        else:
            label = relation.get_kind_display()
        rows.append(
            {
                "relation": relation,
                "label": label,
                "other": other.pseudonym if own_other else "",
                "by_coordinator": by_coordinator,
                "note": relation.note if by_own else "",
                "may_end": own_other and relation.ended_at is None,
            }
        )
    return rows


# --- registering ---------------------------------------------------------------------------
#
# The form pages below share one course: GET shows the form (reading the person through
# the policy, logged); POST binds the form to what was posted, and when it is valid and
# the actions layer takes it, goes back to the person's page with a message; otherwise
# the form is shown again with its errors, as a 400, and nothing is written.


def _signals_form(request: HttpRequest, catalogue: Catalogue, **kwargs) -> SignalsForm:
    return SignalsForm(
        pages.posted(request), catalogue=catalogue, language=pages.language(), **kwargs
    )


@protected
@never_cache
@require_http_methods(["GET", "POST"])
@pages.needs_catalogue
def register(request: HttpRequest, catalogue: Catalogue, ruleset: Ruleset) -> HttpResponse:
    """A new person (identity) with a first observation, in one transaction. When the
    organisation has a person with the same name and birth date (no BSN), the form comes
    back (409) naming them and asks whether this is the same person or a different one."""
    actor = actor_from_request(request)
    identity_form = IdentityForm(pages.posted(request))
    signals_form = _signals_form(request, catalogue, region=actor.region)
    status, possible = pages.status(request), []
    if request.method == "POST":

        def write() -> dict:
            name_match = identity_form.cleaned_data.get("name_match") or actions.ASK
            person, created = actions.register_person(
                actor, identity_form.identity(), purpose=PURPOSE_NEW, name_match=name_match
            )
            actions.register_signals(actor, person, **signals_form.observation())
            return {"pseudonym": person.pseudonym, "created": created}

        try:
            done = pages.written_once(request, actor, write, identity_form, signals_form)
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
            "form": signals_form,
            "errors": pages.errors(identity_form, signals_form),
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


@protected
@never_cache
@require_http_methods(["GET", "POST"])
@pages.needs_catalogue
def register_more(
    request: HttpRequest, pseudonym: str, catalogue: Catalogue, ruleset: Ruleset
) -> HttpResponse:
    actor = actor_from_request(request)
    person = _form_person(
        request, actor, pseudonym, form_name="signalen toevoegen", action=Action.CREATE
    )
    form = _signals_form(request, catalogue, region=actor.region)
    if request.method == "POST" and (
        done := pages.written_once(
            request,
            actor,
            lambda: actions.register_signals(actor, person, **form.observation()),
            form,
        )
    ):
        return _done(request, person, done, _("The signals were registered."))
    return _render_signals(request, "registry/register_more.html", person, form)


def _render_signals(request, template, person, form, **extra) -> HttpResponse:
    status = pages.status(request)
    return pages.render(
        request,
        template,
        {
            **_person_header(person, read=status == 200),
            "form": form,
            "errors": pages.errors(form),
            "how_learned_choices": HowLearned.choices,
            **extra,
        },
        status=status,
    )


@protected
@never_cache
@require_http_methods(["GET", "POST"])
@pages.needs_catalogue
def correct(
    request: HttpRequest,
    pseudonym: str,
    registration_id: int,
    catalogue: Catalogue,
    ruleset: Ruleset,
) -> HttpResponse:
    actor = actor_from_request(request)
    person = _form_person(request, actor, pseudonym, form_name="correctie", action=Action.CHANGE)
    registration = _registration_to_change(request, person, registration_id)
    if isinstance(registration, HttpResponse):
        return registration
    form = _signals_form(
        request,
        catalogue,
        initial=actions.correctable_values(registration),
    )
    if request.method == "POST" and (
        done := pages.written_once(
            request,
            actor,
            lambda: actions.correct_registration(actor, registration, **form.observation()),
            form,
        )
    ):
        return _done(request, person, done, _("The correction was saved as a new version."))
    return _render_signals(
        request, "registry/correct.html", person, form, registration=registration
    )


@protected
@never_cache
@require_http_methods(["GET", "POST"])
@pages.needs_catalogue
def withdraw(
    request: HttpRequest,
    pseudonym: str,
    registration_id: int,
    catalogue: Catalogue,
    ruleset: Ruleset,
) -> HttpResponse:
    actor = actor_from_request(request)
    person = _form_person(request, actor, pseudonym, form_name="intrekken", action=Action.WITHDRAW)
    registration = _registration_to_change(request, person, registration_id)
    if isinstance(registration, HttpResponse):
        return registration
    form = WithdrawForm(pages.posted(request))
    if request.method == "POST" and (
        done := pages.written_once(
            request,
            actor,
            lambda: actions.withdraw_registration(actor, registration, form.cleaned_data["reason"]),
            form,
        )
    ):
        return _done(request, person, done, _("The registration was withdrawn."))
    shown = pages.status(request) == 200
    # On a 400 nothing was read for this response beyond what was posted.
    signals = labels(catalogue.signals, registration.signals, pages.language()) if shown else []
    return pages.render(
        request,
        "registry/withdraw.html",
        {
            **_person_header(person, read=shown),
            "registration": registration,
            "signals": signals,
            "form": form,
            "errors": pages.errors(form),
        },
        status=pages.status(request),
    )


@protected
@never_cache
@require_http_methods(["GET", "POST"])
def informed(request: HttpRequest, pseudonym: str) -> HttpResponse:
    actor = actor_from_request(request)
    person = _form_person(request, actor, pseudonym, form_name="informeren", action=Action.CHANGE)
    form = InformedForm(pages.posted(request))

    def record() -> None:
        data = form.cleaned_data
        actions.record_informed(
            actor,
            person,
            informed=data["informed"],
            informed_on=data.get("informed_on"),
            who=data.get("who", ""),
            reason_not=data.get("reason_not", ""),
        )

    if request.method == "POST" and (done := pages.written_once(request, actor, record, form)):
        return _done(request, person, done, _("Saved whether the person was informed."))
    today = timezone.localdate()
    return pages.render(
        request,
        "registry/informed.html",
        {
            **_person_header(person, read=pages.status(request) == 200),
            "form": form,
            "errors": pages.errors(form),
            "who_choices": InformedWho.choices,
            "under_16": pseudonyms.possibly_under_16(person.birth_year, today),
            "certainly_under_16": pseudonyms.certainly_under_16(person.birth_year, today),
        },
        status=pages.status(request),
    )


@protected
@never_cache
@require_http_methods(["GET", "POST"])
def reveal(request: HttpRequest, pseudonym: str) -> HttpResponse:
    """Show the identity once, on the response to a POST with a purpose; logged."""
    actor = actor_from_request(request)
    person = _form_person(
        request, actor, pseudonym, form_name="identiteit tonen", action=Action.REVEAL
    )
    form = RevealForm(pages.posted(request))
    identity = None
    status = pages.status(request)
    if request.method == "POST" and form.is_valid():
        try:
            identity = actions.reveal_identity(actor, person, form.cleaned_data["purpose"])
        except ValidationError as error:
            pages.apply_error(error, form)
        else:
            status = 200
    return pages.render(
        request,
        "registry/reveal.html",
        {
            **_person_header(person, read=status == 200),
            "form": form,
            "errors": pages.errors(form),
            "identity": identity,
            "sex_label": dict(SEX_CHOICES).get(identity.sex, identity.sex)
            if identity and identity.sex
            else "",
        },
        status=status,
    )


# --- wie heeft dit ingezien ----------------------------------------------------------------


@protected
@never_cache
@require_GET
def access_log(request: HttpRequest, pseudonym: str) -> HttpResponse:
    actor = actor_from_request(request)
    person = policy.get_person(actor, pseudonym, purpose=PURPOSE_ACCESS_LOG, action=Action.EXPORT)
    entries = log.entries_for_person(person).order_by("-id")
    page = Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = access_rows.rows(person, list(page.object_list))
    return pages.render(
        request,
        "registry/access_log.html",
        {**_person_header(person), "page": page, "rows": rows},
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
    log.write_csv(log.export_rows(log.entries_for_person(person)), response)
    return response
