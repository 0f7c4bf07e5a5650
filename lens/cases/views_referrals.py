"""The zorgcoördinator's side of a case referral: the referrals made from cases that wait
for an answer, and the form to answer one (lens.cases.referrals). The answer comes back
into the referring case as its step; the zorgcoördinator never sees the case itself."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lens.access import policy
from lens.access.actor import actor_from_request
from lens.access.models import Action
from lens.access.routes import protected
from lens.cases import referrals, texts
from lens.casework.workflow import REFERRAL_ANSWERS
from lens.data.cases import CLOSED
from lens.web import lists, pages
from lens.web.forms import PageForm

PURPOSE_LIST = "doorverwijzingen uit casussen"
PURPOSE_FORM = "formulier: antwoord op doorverwijzing"


class AnswerForm(PageForm):
    answer = forms.ChoiceField(
        label=gettext_lazy("Your answer"),
        widget=forms.RadioSelect,
        choices=[(c, texts.label(texts.CHOICES["referral_answer"], c)) for c in REFERRAL_ANSWERS],
    )
    note = forms.CharField(
        label=gettext_lazy("Explanation for the professional (optional)"),
        required=False,
        max_length=referrals.NOTE_MAX,
        widget=forms.Textarea,
        help_text=gettext_lazy("No identity: the organisation knows whom it referred."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


@protected
@never_cache
@require_GET
def waiting(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)

    def shown() -> tuple:
        page = lists.page_of(request, referrals.waiting(actor))
        return page, list(page.object_list)  # the shown page only: logged as shown

    # The rows and their log entries (one LIST per referred record) in one transaction.
    page, rows = policy.read_shown(
        actor,
        shown,
        lambda read: policy.log_coordinated_list(
            actor, [r.referral.person for r in read[1]], purpose=PURPOSE_LIST
        ),
        lambda read, _logged: read,
    )
    return pages.render(
        request,
        "cases/referrals.html",
        {"page": page, "rows": rows, "list_notices": lists.notices(page=page)},
    )


@protected
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, link_id: int) -> HttpResponse:
    actor = actor_from_request(request)
    link = referrals.find_referral(actor, link_id)
    if link.answered_at is not None:  # a second click, or a colleague was first
        return _answered_already(request)
    form = AnswerForm(pages.posted(request))
    if request.method == "POST":
        try:
            sent = form.is_valid() and referrals.answer(
                actor, link.pk, form.cleaned_data["answer"], form.cleaned_data["note"]
            )
        except referrals.AlreadyAnswered:
            return _answered_already(request)
        except ValidationError as error:
            pages.apply_error(error, form)
            sent = False
        if sent and sent.is_late:
            messages.info(request, _late_message(sent))
            return redirect("cases:referrals")
        if sent:
            messages.success(request, _("Your answer was sent to the referring organisation."))
            return redirect("cases:referrals")
    # The page shows the referral's reason: read through the policy and logged in one
    # transaction whenever it is shown, the form again after a refused answer too.
    link = policy.read_logged(
        actor,
        lambda: referrals.find_referral(actor, link_id),
        lambda found: [(found.referral.person, "person", "")],
        purpose=PURPOSE_FORM,
        action=Action.LIST,
    )
    return pages.render(
        request,
        "cases/referral_answer.html",
        {"link": link, "form": form, "errors": pages.errors(form)},
        status=pages.status(request),
    )


def _late_message(link) -> str:
    """What the zorgcoördinator is told of an answer that came late: whether the
    referring case is closed or went on (its state only, never its content)."""
    if link.case.state == CLOSED:
        return _(
            "Your answer was sent to the referring organisation. Their case has been "
            "closed meanwhile: it shows your answer in its history as a late answer."
        )
    return _(
        "Your answer was sent to the referring organisation. Their case had moved on "
        "meanwhile: it shows your answer in its history as a late answer."
    )


def _answered_already(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("This referral was answered already."))
    return redirect("cases:referrals")
