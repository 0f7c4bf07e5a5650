"""The registry's form pages about one person: more signals, a correction, a withdrawal,
informing the person and revealing the identity (the rules of lens.registry.views hold).

Each shares one course: GET shows the form (reading the person through the policy,
logged); POST binds the form to what was posted, and when it is valid and the actions
layer takes it, goes back to the person's page with a message; otherwise the form is
shown again with its errors, as a 400, and nothing is written."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lens.access.actor import actor_from_request
from lens.access.models import Action
from lens.access.routes import protected
from lens.data import pseudonyms
from lens.data.registry import InformedWho, Person, Registration
from lens.registry import actions
from lens.registry.forms import (
    SEX_CHOICES,
    InformedForm,
    WithdrawForm,
)
from lens.registry.pagekit import (
    done_message,
    form_page,
    form_person,
    person_header,
    registration_to_change,
    render_signals,
    signals_form,
)
from lens.rules.model import Catalogue, Ruleset
from lens.web import pages
from lens.web.outcomes import registration_labels
from lens.web.reveal import reveal_on_post


@protected
@never_cache
@require_http_methods(["GET", "POST"])
@pages.needs_catalogue
def register_more(
    request: HttpRequest, pseudonym: str, catalogue: Catalogue, ruleset: Ruleset
) -> HttpResponse:
    actor = actor_from_request(request)
    person = form_person(
        request, actor, pseudonym, form_name="signalen toevoegen", action=Action.CREATE
    )
    form = signals_form(request, catalogue, region=actor.region)
    if request.method == "POST" and (
        done := pages.written_once(
            request,
            actor,
            lambda: actions.register_signals(actor, person, **form.observation()),
            form,
        )
    ):
        return done_message(request, person, done, _("The signals were registered."))
    return render_signals(request, "registry/register_more.html", person, form)


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

    def page(person: Person) -> tuple[Registration, dict]:
        registration = registration_to_change(request, person, registration_id)
        return registration, actions.correctable_values(registration)

    try:
        person, (registration, values) = form_page(
            request, actor, pseudonym, form_name="correctie", action=Action.CHANGE, build=page
        )
    except pages.Elsewhere as moved:  # nothing shown: nothing logged
        return moved.response
    form = signals_form(request, catalogue, initial=values)
    if request.method == "POST" and (
        done := pages.written_once(
            request,
            actor,
            lambda: actions.correct_registration(actor, registration, **form.observation()),
            form,
        )
    ):
        return done_message(request, person, done, _("The correction was saved as a new version."))
    return render_signals(request, "registry/correct.html", person, form, registration=registration)


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

    def page(person: Person) -> tuple[Registration, list]:
        registration = registration_to_change(request, person, registration_id)
        if request.method != "GET":
            return registration, []  # a 400 shows only what was posted: no signals
        return registration, registration_labels(catalogue, registration, pages.language())[
            "signals"
        ]

    try:
        person, (registration, signals) = form_page(
            request, actor, pseudonym, form_name="intrekken", action=Action.WITHDRAW, build=page
        )
    except pages.Elsewhere as moved:  # nothing shown: nothing logged
        return moved.response
    form = WithdrawForm(pages.posted(request))
    if request.method == "POST" and (
        done := pages.written_once(
            request,
            actor,
            lambda: actions.withdraw_registration(actor, registration, form.cleaned_data["reason"]),
            form,
        )
    ):
        return done_message(request, person, done, _("The registration was withdrawn."))
    shown = pages.status(request) == 200
    return pages.render(
        request,
        "registry/withdraw.html",
        {
            **person_header(person, read=shown),
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
    person = form_person(request, actor, pseudonym, form_name="informeren", action=Action.CHANGE)
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
        return done_message(request, person, done, _("Saved whether the person was informed."))
    today = timezone.localdate()
    return pages.render(
        request,
        "registry/informed.html",
        {
            **person_header(person, read=pages.status(request) == 200),
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
    person = form_person(
        request, actor, pseudonym, form_name="identiteit tonen", action=Action.REVEAL
    )
    form, identity = reveal_on_post(request, actor, lambda: person)
    status = 200 if identity is not None else pages.status(request)
    return pages.render(
        request,
        "registry/reveal.html",
        {
            **person_header(person, read=status == 200),
            "form": form,
            "errors": pages.errors(form),
            "identity": identity,
            "sex_label": dict(SEX_CHOICES).get(identity.sex, identity.sex)
            if identity and identity.sex
            else "",
        },
        status=status,
    )
