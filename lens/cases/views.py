"""The case pages: opening a case from a person's page, the case with its steps, the
form for a next step, and the work list (docs/design/casework.md).

The rules of lens.registry.views hold here: every view is wrapped in `routes.protected`
(the table in lens.access.routes); a case is read only through the policy
(`get_case_for` logs the read, `find_case_for` before a write) and written only through
`lens.cases.actions` (which logs the write); bad input gets Dutch messages at the fields
and status 400, and nothing is written; another organisation's case is a 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lens.access import policy
from lens.access.actor import actor_from_request
from lens.access.models import Action
from lens.access.routes import protected
from lens.cases import actions, records, referrals, selectors, texts
from lens.cases.forms import CONSULTATION_ROWS, HandOverForm, StepForm
from lens.cases.refusals import explains_not_the_handler
from lens.casework.workflow import TRANSITIONS, own_problems
from lens.data.registry import Role
from lens.web import lists, pages
from lens.web.forms import RevealForm
from lens.web.presentation import tel_href

# Purposes written to the access log for the reads of these pages (Dutch, as in
# lens.registry.views).
PURPOSE_OPEN_FORM = "formulier: casus openen"
PURPOSE_CASE = "casuspagina"
PURPOSE_STEP_FORM = "formulier: casusstap"
PURPOSE_WORK = "mijn werkvoorraad"
PURPOSE_HAND_OVER_FORM = "formulier: casus overdragen"
# The person page's proposal links with ?voorstel=1; whether a case was proposed is decided
# from the stored outcome when it is opened (lens.cases.actions.trigger_of), not from it.
COMMON = ("on", "done", "outcome", "next_due", "seen")


def _to_case(request: HttpRequest, case_id: int, message: str, level=messages.SUCCESS):
    messages.add_message(request, level, message)
    return redirect("cases:case", case_id=case_id)


@protected
@never_cache
@require_http_methods(["GET", "POST"])
def open_case(request: HttpRequest, pseudonym: str) -> HttpResponse:
    actor = actor_from_request(request)
    if request.method == "GET":

        def no_case_yet(person):
            """The form only for a person without an open case; else to that case, the
            read rolled back with its entry (a redirect shows nothing)."""
            existing = selectors.open_case_of(person)
            if existing is not None:
                raise pages.Elsewhere(
                    _to_case(
                        request,
                        existing.pk,
                        _("This person has an open case in your organisation already."),
                        messages.INFO,
                    )
                )
            return person

        try:
            person = policy.get_person(
                actor, pseudonym, purpose=PURPOSE_OPEN_FORM, build=no_case_yet
            )
        except pages.Elsewhere as moved:
            return moved.response
    else:
        person = policy.find_person(actor, pseudonym, action=Action.CREATE)
    # The trigger is the action's (from the stored outcome); here only for the due date
    # the form proposes (acute danger: the 112 step, today).
    form = StepForm(pages.posted(request), transition="open", trigger=actions.trigger_of(person))
    if request.method == "POST" and (
        done := pages.written_once(
            request,
            actor,
            lambda: {"case": actions.open_case(actor, person, form.step_data()).pk},
            form,
        )
    ):
        messages.success(request, _("The case was opened."))
        return redirect("cases:case", case_id=done.result["case"])
    if request.method == "POST" and (existing := selectors.open_case_of(person)) is not None:
        # Another tab (or a colleague) opened it first: that case, not a refusal.
        return _to_case(
            request,
            existing.pk,
            _("There is an open case for this person already; you are looking at it now."),
            messages.INFO,
        )
    status = pages.status(request)
    return pages.render(
        request,
        "cases/open.html",
        {"person": person, "form": form, "errors": pages.errors(form), "read": status == 200},
        status=status,
    )


@protected
@never_cache
@require_GET
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    # The page's reads in the transaction of the case's read and its log entry.
    page = policy.get_case_for(actor, case_id, purpose=PURPOSE_CASE, build=selectors.case_page)
    found = page["case"]
    page["may_work"] = policy.may_work_on(actor, found)
    if not page["may_work"]:
        page["offered"] = []  # a colleague reads; the handler or the officer acts
    page["may_reveal"] = policy.may_reveal_case(actor, found)
    page["report_form"] = RevealForm()  # the case report with the identity
    if page["late_answers"] and found.assigned_to_id == actor.author().pk:
        # The handler sees the late answers: their lines leave the work list.
        referrals.late_answers_read(actor, found)
    if page["flow"].next_action == "referral_answered":
        # Waiting for the answer: whom to call when it does not come in time.
        name, phone = referrals.coordinator_contact(found.organisation.region, pages.language())
        page["coordinator"] = {"name": name, "phone": phone, "href": tel_href(phone)}
    return pages.render(request, "cases/case.html", page)


@protected
@never_cache
@require_http_methods(["GET", "POST"])
@explains_not_the_handler
def step(request: HttpRequest, case_id: int, transition: str) -> HttpResponse:
    if transition not in TRANSITIONS or transition == "open":
        raise Http404
    actor = actor_from_request(request)

    def page(found) -> tuple:
        steps = records.stored_steps(found)
        other = (
            selectors.other_open_case(found)
            if request.method == "GET" and transition == "reopen"
            else None
        )
        refers_to = (
            referrals.coordinator_of(found.organisation.region, pages.language())
            if transition == "refer"
            else ""
        )
        flow = selectors.flow_with_danger(found, steps)
        if request.method == "GET" or not _changed_since_shown(request, steps):
            # A step the case does not offer: the POST answers as the GET, writing nothing.
            _form_or_elsewhere(request, found, flow, transition, other)
        return steps, flow, refers_to

    try:
        found, (steps, flow, refers_to) = _case_form(
            request, actor, case_id, PURPOSE_STEP_FORM, page
        )
    except pages.Elsewhere as moved:  # no form shown: the read rolled back with its entry
        return moved.response
    form = StepForm(
        pages.posted(request), transition=transition, flow=flow, initial={"seen": len(steps)}
    )
    if request.method == "POST" and (
        done := pages.written_once(
            request,
            actor,
            lambda: referrals.take_step(actor, found, transition, form.step_data()),
            form,
        )
    ):
        if done.replayed:
            return _to_case(
                request, found.pk, _("This form was sent more than once; it was saved once.")
            )
        return _to_case(request, found.pk, _recorded(found))
    if request.method == "POST" and form.errors and hasattr(form, "cleaned_data"):
        seen = form.cleaned_data.get("seen")
        if seen is not None and seen < len(steps):
            # Refused on a form shown before other steps were recorded: say which.
            form.add_error(None, selectors.changed_since(steps[seen:], flow))
    status = pages.status(request)
    return pages.render(
        request,
        "cases/step.html",
        {
            "case": found,
            "transition": transition,
            "transition_label": texts.label(texts.TRANSITIONS, transition),
            "form": form,
            "errors": pages.errors(form),
            "consultation_rows": _consultation_rows(form) if transition == "consult" else [],
            # The transition's own fields (the consultations have their rows).
            "extra": [form[n] for n in form.fields if n not in COMMON and transition != "consult"],
            "read": status == 200,
            "refers_to": refers_to,
        },
        status=status,
    )


def _form_or_elsewhere(request: HttpRequest, found, flow, transition: str, other) -> None:
    """A step form is shown only where the case page offers it and for a case whose
    person has no other open case; else back to the case with why (`pages.Elsewhere`,
    raised inside the read: a redirect shows nothing, so nothing is logged)."""
    if problems := own_problems(flow, transition):
        # What the case page offers.
        message = str(texts.PROBLEMS[problems[0].code])
        raise pages.Elsewhere(_to_case(request, found.pk, message, messages.INFO))
    if other is not None:
        # One open case per person per organisation: say so before the form is filled in.
        message = _("This person has an open case in your organisation already: case %(number)s.")
        raise pages.Elsewhere(
            _to_case(request, found.pk, message % {"number": other.pk}, messages.INFO)
        )


def _changed_since_shown(request: HttpRequest, steps: list) -> bool:
    """A POSTed step form shown before other steps were recorded (its `seen`): refused
    with the form and what changed since (lens.cases.selectors.changed_since), not sent
    back to the case page."""
    try:
        return lists.whole_number(request.POST.get("seen", "")) < len(steps)
    except ValueError:
        return False


def _case_form(request: HttpRequest, actor, case_id: int, purpose: str, build) -> tuple:
    """The case a form page works on and `build` of it (what the page shows beside the
    case): on a GET found, built and its read logged in one transaction
    (lens.access.policy_reads); on a POST found (the check) and built, not logged."""
    return pages.form_read(
        request,
        get=lambda both: policy.get_case_to_work_on(actor, case_id, purpose=purpose, build=both),
        find=lambda: policy.find_case_to_work_on(actor, case_id),
        build=build,
    )


def _recorded(case) -> str:
    """The step was recorded, with the next action and its due date as the case page and
    the work list show them (the stored columns)."""
    case.refresh_from_db(fields=["next_action", "next_due"])
    if not case.next_action or case.next_due is None:
        return _("The step was recorded.")
    when = {
        "action": texts.label(texts.NEXT_ACTIONS, case.next_action),
        "date": date_format(case.next_due, "j F Y"),
    }
    if selectors.is_overdue(case.next_due):
        return _("The step was recorded. Next: %(action)s, due %(date)s: overdue already.") % when
    return _("The step was recorded. Next: %(action)s, due %(date)s.") % when


def _consultation_rows(form: StepForm) -> list[list]:
    return [
        [form[f"{name}_{i}"] for name in ("role", "organisation", "consultee")]
        + [form[f"anonymous_{i}"]]
        for i in range(1, CONSULTATION_ROWS + 1)
    ]


@protected
@never_cache
@require_http_methods(["GET", "POST"])
@explains_not_the_handler
def hand_over(request: HttpRequest, case_id: int) -> HttpResponse:
    """Hand the case to a colleague (the handler, or the aandachtsfunctionaris for any
    case of the organisation)."""
    actor = actor_from_request(request)
    found, colleagues = _case_form(
        request, actor, case_id, PURPOSE_HAND_OVER_FORM, actions.colleagues
    )
    form = HandOverForm(
        pages.posted(request),
        colleagues=colleagues,
        initial={"handler": found.assigned_to_id},
    )
    if request.method == "POST" and pages.written_once(
        request,
        actor,
        lambda: actions.hand_over(
            actor, found, form.cleaned_data["to"], seen_handler=form.cleaned_data["handler"]
        ),
        form,
    ):
        return _to_case(request, found.pk, _("The case was handed over."))
    status = pages.status(request)
    return pages.render(
        request,
        "cases/hand_over.html",
        {"case": found, "form": form, "errors": pages.errors(form), "read": status == 200},
        status=status,
    )


@protected
@never_cache
@require_GET
def work_list(request: HttpRequest) -> HttpResponse:
    """Mijn werkvoorraad: the open cases with their next action and due date, acute and
    overdue first, and a line for each late answer of the care coordinator on a closed
    case not read yet. The aandachtsfunctionaris sees those of the whole organisation."""
    return _work_list_page(request, actor_from_request(request))


def _work_list_page(request: HttpRequest, actor, status: int = 200) -> HttpResponse:
    everyone = str(actor.role) == Role.AANDACHTSFUNCTIONARIS

    def shown() -> tuple:
        page = lists.page_of(request, selectors.work_list(actor, everyone=everyone))
        return page, list(page.object_list), selectors.late_answer_lines(actor, everyone=everyone)

    def log_shown(read: tuple) -> None:
        # One LIST entry per case shown, in one write (a closed case once for its lines).
        _page, cases, late = read
        logged = {c.pk: c for c in [*cases, *(link.case for link in late)]}
        policy.log_cases(actor, logged.values(), purpose=PURPOSE_WORK)

    def build(read: tuple, _logged: None) -> tuple:
        page, cases, late = read
        acute = selectors.acute_first(cases)
        return page, [_work_row(c, c.pk in acute) for c in cases], late

    # The rows, what is built of them and their log entries in one transaction.
    page, rows, late = policy.read_shown(actor, shown, log_shown, build)
    return pages.render(
        request,
        "cases/work_list.html",
        {
            "page": page,
            "rows": rows,
            "late_lines": late,
            "everyone": everyone,
            "idle_days": settings.RETENTION_OPEN_CASE_IDLE_DAYS,
            "list_notices": lists.notices(page=page),
        },
        status=status,
    )


def _work_row(c, acute_first: bool) -> dict:
    """A work-list row; `acute_first`: the case puts the 112 step first (its case page
    offers it first), before the next action it stored."""
    return {
        "case": c,
        "state_label": texts.label(texts.STATES, c.state),
        "acute_first": acute_first and c.next_action != "acute",
        "acute_label": texts.label(texts.NEXT_ACTIONS, "acute"),
        "next_action_label": texts.label(texts.NEXT_ACTIONS, c.next_action),
        "overdue": selectors.is_overdue(c.next_due),
        "idle": selectors.is_idle(c),
        "acute_outcome": selectors.acute_outcome(c),
    }


# The late-answer line's button posts this field (a hidden input): a POST without it
# marks nothing.
READ_FIELD = "gelezen"


@protected
@never_cache
@require_POST
@explains_not_the_handler
def late_read(request: HttpRequest, case_id: int) -> HttpResponse:
    """Mark the case's late answers read (the handler or the aandachtsfunctionaris):
    their line leaves the work list; the answers stay on the case page."""
    actor = actor_from_request(request)
    found = policy.find_case_to_work_on(actor, case_id)
    if not selectors.unread_late_answers(found):  # a second click, or read on the case page
        messages.info(request, _("The late answer was read already."))
        return redirect("cases:work_list")
    if request.POST.get(READ_FIELD) != "1":
        messages.error(request, _("Nothing was marked as read."))
        return _work_list_page(request, actor, status=400)
    referrals.late_answers_read(actor, found, by_hand=True)
    messages.success(request, _("The late answer was marked as read."))
    return redirect("cases:work_list")
