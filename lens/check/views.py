"""The anonymous signal check: start page, the form and the outcome.

Nothing about the person being checked is stored, logged or tracked. The answers travel
only in the body of a POST (never in the URL, so never in server logs, browser history
or Referer headers), the outcome is computed and rendered in the same response, and no
cookie is set: no session, no CSRF cookie, no language cookie (the language is in the
URL: Dutch at /, English at /en/). Responses are marked `no-store` so a shared computer
does not keep the answers in its cache.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from lens.catalogue import services
from lens.rules.engine import InputError, Outcome, assess
from lens.rules.model import Catalogue, Ruleset
from lens.web import presentation
from lens.web.presentation import tel_href as tel_href  # re-exported for callers and tests

from . import answer, next_steps, rendered, steps, transfer
from .forms import PARENT, PROFESSIONAL, CheckForm
from .parts import answered_parts, constant_parts, rendered_once


def _language() -> str:
    return translation.get_language() or "nl"


def _active_or_503(request: HttpRequest) -> tuple[Catalogue, Ruleset] | HttpResponse:
    try:
        return services.active()
    except services.NoCatalogueLoaded:
        return render(request, "check/unavailable.html", status=503)


_LINKS: dict[tuple[str, str], list[dict[str, str]]] = {}


def _other_languages(request: HttpRequest, url_name: str) -> list[dict[str, str]]:
    """The same page in the other languages, for the language switch (found once per
    page and language: the URLconf does not change while the process runs)."""
    current = _language()
    links = _LINKS.get((url_name, current))
    if links is None:
        links = []
        for code, name in settings.LANGUAGES:
            if code == current:
                continue
            with translation.override(code):
                links.append({"code": code, "name": name, "url": reverse(url_name)})
        _LINKS[(url_name, current)] = links
    return [dict(link) for link in links]


@require_safe
def start(request: HttpRequest) -> HttpResponse:
    return render(
        request, "check/start.html", {"other_languages": _other_languages(request, "check:start")}
    )


def _render_form(
    request: HttpRequest, form: CheckForm, step: int = steps.ABOUT, status: int = 200
) -> HttpResponse:
    errors = []
    if form.is_bound and form.errors:
        step = steps.step_of_first_error(form, step)
        for message in form.non_field_errors():
            errors.append({"message": message, "target": ""})
        for name, field_errors in form.errors.items():
            if name == "__all__":
                continue
            bound = form[name]
            target = bound.auto_id
            if name.startswith("signal_"):
                target = f"{bound.auto_id}_yes"  # the first radio of the group
            elif name in ("risk_factors", "audience", "age"):
                target = f"{bound.auto_id}_0"
            for message in field_errors:
                errors.append({"message": f"{bound.label}: {message}", "target": target})
    context = {
        "form": form,
        "errors": errors,
        "is_parent": form.is_parent(),
        "audience": form.choice("audience"),
        "age": form.choice("age"),
        "organisation_type": form.choice("organisation_type"),
        "selected_region": form.selected_region(),
        "other_languages": _other_languages(request, "check:form"),
        "post_language_switch": request.method == "POST",
        # "Is there direct danger now?" answered yes: the call-112 banner on every step.
        "is_acute": steps.danger_now(form),
        **steps.step_context(form, step),
    }
    # what is the same for every request for this step, in this language: found or
    # rendered once
    context |= _addresses()
    context["step_foot"] = rendered_once(
        "check/includes/step_foot.html", (form.catalogue.version, context["step"]), context
    )
    # the language switch posts everything again, and stays on this step
    context["all_answers"] = [*form.hidden_answers(), ("step", context["step"])]
    if context["post_language_switch"]:
        context["language_switch_shown"] = rendered.language_switch(
            context["other_languages"], rendered.hidden_inputs(context["all_answers"])
        )
    return render(request, "check/form.html", context, status=status)


_ADDRESSES: dict[str, dict[str, str]] = {}


def _addresses() -> dict[str, str]:
    """The form's own address and its script's, found once per language."""
    language = _language()
    found = _ADDRESSES.get(language)
    if found is None:
        found = _ADDRESSES[language] = {
            "form_url": reverse("check:form"),
            "search_js": static("check/search.js"),
        }
    return found


# Why no CSRF protection on the two POST views: CSRF protects against a forged request
# that makes a change on behalf of a logged-in user. These views change nothing: no
# login, no session, nothing stored or sent on; they only compute a page from the posted
# answers and return it to whoever posted them. A forged cross-site POST would show its
# author's made-up answers to the person tricked into sending them, and the attacker
# cannot read that response (same-origin policy) or frame it (X-Frame-Options DENY,
# frame-ancestors 'none'). A CSRF token would need a cookie, which this check avoids.
# Keep it this way: a view that stores or sends anything must not be csrf_exempt.


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def check_form(request: HttpRequest) -> HttpResponse:
    """One step of the check. GET: the first step (?audience=parent or professional
    picks who is asking, from the start page). POST: the answers so far, with `step`
    (the step they come from) and `go` (next, back or step-N): the step asked for."""
    loaded = _active_or_503(request)
    if isinstance(loaded, HttpResponse):
        return loaded
    catalogue, _ruleset = loaded
    language = _language()
    if request.method != "POST":
        audience = request.GET.get("audience", "")
        data = None
        if audience in (PARENT, PROFESSIONAL):  # who asks, not an answer about anyone
            data = QueryDict(mutable=True)
            data["audience"] = audience
        return _render_form(request, CheckForm(data, catalogue=catalogue, language=language))
    form = CheckForm(request.POST, catalogue=catalogue, language=language)
    current = steps.clamp(catalogue, request.POST.get("step", ""))
    go = request.POST.get("go", "")
    if go == "next":
        target = current + 1
    elif go == "back":
        target = current - 1
    elif go.startswith("step-"):
        target = go.removeprefix("step-")
    else:  # posted from the outcome ("Antwoorden aanpassen"): the first leefgebied
        target = current if "step" in request.POST else steps.ABOUT + 1
    step = steps.clamp(catalogue, target)
    return _render_form(request, form, step, status=200 if form.is_valid() else 400)


def assess_answers(
    data, catalogue: Catalogue, ruleset: Ruleset, language: str
) -> tuple[CheckForm, Outcome | None]:
    """Posted answers to an outcome: the one function every page made from the check's
    answers uses (the outcome page, and any download of it). Returns the form and the
    outcome, or the form with its errors and None when the answers are not valid."""
    form = CheckForm(data, catalogue=catalogue, language=language)
    if not form.is_valid():
        return form, None
    try:
        return form, assess(catalogue, ruleset, form.assessment_input(), today=timezone.localdate())
    except InputError:
        # The form checks every code against the same catalogue, so this means the two
        # disagree; show it as a form error rather than failing. Without the codes: they
        # mean nothing to the asker.
        form.add_error(
            None,
            _(
                "Some answers do not match the list of signals. Check your answers and "
                "send them again."
            ),
        )
        return form, None


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def outcome(request: HttpRequest) -> HttpResponse:
    """POST: assess the answers and show the outcome directly (no redirect, no session).
    GET: there is nothing to show (answers never travel in URLs): go to the form."""
    if request.method != "POST":
        return redirect("check:form")
    assessed = assess_posted(request)
    if isinstance(assessed, HttpResponse):
        return assessed
    catalogue, ruleset, form, result = assessed
    context = outcome_context(catalogue, ruleset, result, form, _language())
    context["other_languages"] = _other_languages(request, "check:outcome")
    context.update(constant_parts(catalogue, ruleset, context))
    context.update(answered_parts(catalogue, context))
    # A logged-in user who may register: the answers into a new registration (never
    # for an anonymous visitor, whose session is not even read).
    context["transfer_shown"] = transfer.transfer_form(request, catalogue, form)
    return render(request, "check/outcome.html", context)


def nothing_posted(request: HttpRequest, message: str) -> HttpResponse:
    """400: the check's first step with `message` as its error, for a POST that carries
    no answers and no context at all."""
    loaded = _active_or_503(request)
    if isinstance(loaded, HttpResponse):
        return loaded
    form = CheckForm(QueryDict(), catalogue=loaded[0], language=_language())
    form.is_valid()
    form.add_error(None, message)
    return _render_form(request, form, steps.ABOUT, 400)


def assess_posted(
    request: HttpRequest,
) -> tuple[Catalogue, Ruleset, CheckForm, Outcome] | HttpResponse:
    """The posted answers read and assessed (the outcome page and its PDF summary,
    lens.check.summary), or the response to send instead: the form with its errors (400),
    or 503 without a catalogue."""
    loaded = _active_or_503(request)
    if isinstance(loaded, HttpResponse):
        return loaded
    catalogue, ruleset = loaded
    language = _language()
    form, result = assess_answers(request.POST, catalogue, ruleset, language)
    if result is None:
        return _render_form(request, form, steps.clamp(catalogue, request.POST.get("step")), 400)
    return catalogue, ruleset, form, result


@require_safe
def levels(request: HttpRequest) -> HttpResponse:
    """ "Wat betekenen de niveaus?": the levels of the outcome in plain words."""
    loaded = _active_or_503(request)
    if isinstance(loaded, HttpResponse):
        return loaded
    _catalogue, ruleset = loaded
    lang = presentation.page_language(_language())
    return render(
        request,
        "check/levels.html",
        {
            "levels": [
                {"number": lv.number, "label": lv.label.get(lang)}
                for lv in sorted(ruleset.levels, key=lambda lv: lv.number)
            ],
            "other_languages": _other_languages(request, "check:levels"),
        },
    )


# --- the outcome page's content ----------------------------------------------------------


def outcome_context(
    catalogue: Catalogue, ruleset: Ruleset, result: Outcome, form: CheckForm, language: str
) -> dict:
    """Everything the outcome page shows, in the page language: the outcome as both
    outcome pages show it (lens.web.presentation), the catalogue's guidance, and what
    was filled in."""
    lang = presentation.page_language(language)
    answers = {code: form.answer(code) for code in catalogue.signals}
    by_domain = [
        {
            "label": domain.label.get(lang),
            "yes": [
                s.label.get(lang)
                for s in signals
                if answers[s.code] == "yes" and not answer.is_question(catalogue, s.code)
            ],
        }
        for domain, signals in steps.signal_groups(catalogue)
    ]
    region = catalogue.regions.get(result.region)
    parent = form.is_parent()
    young = form.is_young()
    kind = catalogue.organisation_types.get(form.choice("organisation_type"))
    from_age = form.risk_factor_from_age()  # "young age", given by the age answer
    context = {
        "is_parent": parent,
        "is_minor": form.is_minor(),
        "is_young": young,
        # which of the route's steps fit the age given (lens.check.parts.guidance_for_age)
        "age_route": form.age_route(),
        "organisation_type": kind.label.get(lang) if kind else "",
        "do_now": answer.do_now(
            catalogue, result, parent=parent, minor=form.is_minor(), language=lang, young=young
        ),
        "why_plain": answer.why(catalogue, result, parent=parent, from_age=from_age),
        "figure": answer.figure(catalogue, result, lang),
        **presentation.outcome(catalogue, ruleset, result, lang, parent=parent),
        "answered_by_domain": [d for d in by_domain if d["yes"]],
        "unknown_signals": [
            catalogue.signals[c].label.get(lang) for c in answer.blind_unknown(catalogue, result)
        ],
        "danger_doubt": answer.danger_doubt(catalogue, result),
        "region": region.label.get(lang) if region else "",
        "hidden_answers": form.hidden_answers(),
        "answered_count": sum(1 for a in answers.values() if a),
        "signal_count": len(catalogue.signals),
    }
    context["risk_factors"] = answer.risk_factor_labels(catalogue, result, lang, from_age)
    # the opening's number is always among "Whom can you call?" (page and PDF summary)
    context["contacts"] = answer.with_call(
        context["contacts"], context["do_now"]["call"], catalogue, lang
    )
    # "What can you do now?": the same selection on the page and in the PDF summary.
    context["now_steps"] = next_steps.next_steps(
        context["steps"], parent=parent, acute=result.level.number == 4, young=young
    )
    if parent:
        # The ruleset's meanings speak to professionals (meldcode steps); the opening
        # sentence says what a parent can do instead.
        context["level_meaning"] = ""
    return context
