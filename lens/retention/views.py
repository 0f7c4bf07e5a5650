"""The access request page (AVG art. 15): the aandachtsfunctionaris gives the request's
reference, chooses whether the identity goes in, and gets everything the organisation
holds on the person as JSON (to hand over) or as a readable page
(lens.retention.access_request)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lens.access import policy
from lens.access.actor import actor_from_request
from lens.access.models import Action
from lens.access.routes import protected
from lens.retention import access_request
from lens.retention import readable as words
from lens.web import pages
from lens.web.forms import PageForm

PURPOSE_FORM = "formulier: inzageverzoek"

SECTIONS = {
    "request": _("The request"),
    "person": _("The record"),
    "identity": _("Identity"),
    "registrations": _("Registrations (every version)"),
    "outcomes": _("Outcomes"),
    "informed_notices": _("Informing the person"),
    "cases": _("Meldcode cases with their steps"),
    "referrals": _("Referrals to the care coordinator"),
    "information_requests": _("Information requests"),
    "lead_assignments": _("Lead"),
    "relations": _("Relations recorded"),
    "access_log": _("Access log"),
}


class AccessRequestForm(PageForm):
    reference = forms.CharField(
        label=_("Reference of the request"),
        max_length=access_request.REFERENCE_MAX,
        help_text=_("For example the number of the letter; it is recorded in the access log."),
    )
    identity = forms.BooleanField(
        label=_("Include the identity (names, birth date, BSN)"),
        required=False,
        help_text=_(
            "Only when the person asked for it; the identity is revealed with the "
            "reference as purpose."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("html", _("Readable page for the person (to print or save)")),
            ("json", _("JSON file (for a computer system)")),
        ],
        widget=forms.RadioSelect,
        initial="html",
        required=False,  # not chosen: the readable page
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


def readable(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The document as sections of records of rows in words (lens.retention.readable)."""
    return [
        {"key": key, "title": title, "records": words.records(key, document[key])}
        for key, title in SECTIONS.items()
        if key in document
    ]


@protected
@never_cache
@require_http_methods(["GET", "POST"])
def access_request_view(request: HttpRequest, pseudonym: str) -> HttpResponse:
    actor = actor_from_request(request)
    if request.method == "GET":
        # The form shows the record's pseudonym, nothing exported: a READ of the person
        # (found only if the role may export); the POST's export logs itself.
        person = policy.read_logged(
            actor,
            lambda: policy.find_person(actor, pseudonym, action=Action.EXPORT),
            lambda found: [(found, "person", "")],
            purpose=PURPOSE_FORM,
        )
    else:
        person = policy.find_person(actor, pseudonym, action=Action.EXPORT)
    form = AccessRequestForm(pages.posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            document = access_request.export(
                actor,
                person,
                form.cleaned_data["reference"],
                identity=form.cleaned_data["identity"],
            )
        except ValidationError as error:
            pages.apply_error(error, form)
        else:
            if form.cleaned_data.get("format") == "json":
                response = JsonResponse(
                    document, json_dumps_params={"ensure_ascii": False, "indent": 2}
                )
                stamp = timezone.localdate().isoformat()
                response["Content-Disposition"] = (
                    f'attachment; filename="inzage-{person.pseudonym}-{stamp}.json"'
                )
                return response
            return pages.render(
                request,
                "retention/access_request_result.html",
                {"person": person, "sections": readable(document)},
            )
    return pages.render(
        request,
        "retention/access_request.html",
        {"person": person, "form": form, "errors": pages.errors(form)},
        status=pages.status(request),
    )
