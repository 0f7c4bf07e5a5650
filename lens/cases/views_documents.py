"""The case's documents (issue 13 §3 and §4; docs/design/casework.md): the conversation
sheet as a printable page and as PDF, and the case report as PDF.

Whoever may read the case may read them (`policy.get_case_for`, the read logged with
the document's purpose); another organisation's case is a 404. The report is
pseudonymous; the identity is in it only for the case's handler or the
aandachtsfunctionaris (`policy.may_reveal_case`: a colleague gets the 403 page that says
why, lens.cases.refusals), after a POST with a purpose, through the one reveal
(`lens.web.reveal.reveal_on_post`, as the person page's: REVEAL logged with that
purpose). A POST without a usable purpose shows the form again with the reason (400) and
reveals nothing.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from lens.access import policy
from lens.access.actor import actor_from_request
from lens.access.routes import protected
from lens.cases import documents
from lens.cases.refusals import explains_not_the_handler
from lens.rules.model import Catalogue, Ruleset
from lens.web import pages, pdf
from lens.web.reveal import reveal_on_post

# Purposes written to the access log (Dutch, as every purpose; English in
# lens.access.purposes.KNOWN).
PURPOSE_SHEET = "casus: gespreksvoorbereiding"
PURPOSE_SHEET_PDF = "casus: gespreksvoorbereiding als PDF"
PURPOSE_REPORT = "casus: casusrapport"
PURPOSE_REPORT_IDENTITY = "casus: casusrapport met identiteit"
PURPOSE_REPORT_FORM = "casus: formulier casusrapport met identiteit"


@protected
@never_cache
@require_GET
@pages.needs_catalogue
def conversation(
    request: HttpRequest, case_id: int, catalogue: Catalogue, ruleset: Ruleset
) -> HttpResponse:
    """The conversation sheet as a page: printed on one or two A4 pages (print CSS)."""
    language = pages.language()
    context = policy.get_case_for(
        actor_from_request(request),
        case_id,
        purpose=PURPOSE_SHEET,
        build=lambda found: documents.sheet(found, catalogue, ruleset, language),
    )
    return pages.render(request, "cases/conversation.html", context)


@protected
@never_cache
@require_GET
@pages.needs_catalogue
def conversation_pdf(
    request: HttpRequest, case_id: int, catalogue: Catalogue, ruleset: Ruleset
) -> HttpResponse:
    language = pages.language()
    context = policy.get_case_for(
        actor_from_request(request),
        case_id,
        purpose=PURPOSE_SHEET_PDF,
        build=lambda found: documents.sheet(found, catalogue, ruleset, language),
    )
    content = pdf.render_pdf("cases/conversation_pdf.html", context, request)
    stamp = timezone.localdate().isoformat()
    return pdf.pdf_response(content, f"gespreksvoorbereiding-{context['case'].pk}-{stamp}.pdf")


@protected
@never_cache
@require_http_methods(["GET", "POST"])
@pages.needs_catalogue
@explains_not_the_handler
def report(
    request: HttpRequest, case_id: int, catalogue: Catalogue, ruleset: Ruleset
) -> HttpResponse:
    """GET: the pseudonymous report. POST with a purpose: the report with the identity."""
    actor = actor_from_request(request)
    language = pages.language()
    if request.method == "GET":
        context = policy.get_case_for(
            actor,
            case_id,
            purpose=PURPOSE_REPORT,
            build=lambda found: documents.report(found, catalogue, ruleset, language),
        )
        return _report_response(context, request)
    # Need to know first (403 with the reason for a colleague), whatever the form says.
    revealed = policy.find_case_to_reveal(actor, case_id)
    form, identity = reveal_on_post(request, actor, lambda: revealed.person)
    if identity is not None:
        context = policy.get_case_for(
            actor,
            case_id,
            purpose=PURPOSE_REPORT_IDENTITY,
            build=lambda found: documents.report(
                found,
                catalogue,
                ruleset,
                language,
                identity=identity,
                purpose=form.cleaned_data["purpose"],
            ),
        )
        return _report_response(context, request)
    # Refused: the form again with the reason; the case was shown, so the read is logged.
    found = policy.get_case_for(actor, case_id, purpose=PURPOSE_REPORT_FORM)
    return pages.render(
        request,
        "cases/report_identity.html",
        {"case": found, "form": form, "errors": pages.errors(form)},
        status=400,
    )


def _report_response(context: dict, request: HttpRequest) -> HttpResponse:
    """The report as a PDF download; the context names its case (documents.report)."""
    content = documents.report_pdf(context, request)
    return pdf.pdf_response(content, documents.report_filename(context["case"]))
