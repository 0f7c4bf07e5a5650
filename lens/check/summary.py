"""The check's outcome as a one-page PDF summary (issue 12, section 3): made on request
from the posted answers, the same way as the outcome page (lens.check.views.assess_posted
and outcome_context), sent back and not stored. Level, what to do now, whom to call, what
was seen and what is not seen yet; the full explanation stays on the page.

Like the outcome page, it takes a POST without a CSRF token: it changes nothing and stores
nothing (see the note above lens.check.views.check_form)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lens.web import pdf

from . import views


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def summary_pdf(request: HttpRequest) -> HttpResponse:
    """POST: the summary of the posted answers' outcome as PDF. GET: nothing to show."""
    if request.method != "POST":
        return redirect("check:form")
    assessed = views.assess_posted(request)
    if isinstance(assessed, HttpResponse):
        return assessed
    catalogue, ruleset, form, result = assessed
    context = views.outcome_context(
        catalogue, ruleset, result, form, translation.get_language() or "nl"
    )
    context["made_on"] = timezone.localtime()
    content = pdf.render_pdf("check/summary_pdf.html", context, request)
    return pdf.pdf_response(content, f"signalencheck-{timezone.localdate().isoformat()}.pdf")
