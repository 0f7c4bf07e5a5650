"""The check's outcome as a one-page PDF summary (issue 12, section 3): made on request
from the posted answers, the same way as the outcome page (lens.check.views.assess_posted
and outcome_context), sent back and not stored. Level, what to do now, whom to call, what
was seen and what is not seen yet; the full explanation stays on the page.

Like the outcome page, it takes a POST without a CSRF token: it changes nothing and stores
nothing (see the note above lens.check.views.check_form).

It costs about half a second of CPU: counted per address (lens.web.throttle,
PAGE_THROTTLE_RATES["summary_pdf"]; over budget 429 with Retry-After), and the same
answers again in the same language, with the same catalogue and rules, in the same minute
(the PDF says when it was made, to the minute) come from a small per-process cache.
The cache holds the PDF only, in this process's memory, for a few dozen summaries: the
answers are its key and are never written anywhere."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lens.data.kept import Kept
from lens.web import pdf, throttle

from . import views

# The latest summaries made, by everything they are made of.
SUMMARIES: Kept[bytes] = Kept(32)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def summary_pdf(request: HttpRequest) -> HttpResponse:
    """POST: the summary of the posted answers' outcome as PDF. GET: nothing to show."""
    if request.method != "POST":
        return redirect("check:form")
    if refused := throttle.page_budget(request, "summary_pdf", template="check/throttled.html"):
        return refused
    if not request.POST:
        # Nothing posted at all (the outcome page's form always sends `summary`): no
        # check was done, so there is nothing to summarise.
        return views.nothing_posted(
            request,
            _(
                "No answers were received, so there is no summary to make. Do the check "
                "first, then download the summary from its outcome."
            ),
        )
    assessed = views.assess_posted(request)
    if isinstance(assessed, HttpResponse):
        return assessed
    catalogue, ruleset, form, result = assessed
    language = translation.get_language() or "nl"
    made_on = timezone.localtime()
    key = (
        language,
        result.catalogue_version,
        result.ruleset_version,
        made_on.strftime("%Y-%m-%d %H:%M"),
        tuple(sorted((name, tuple(values)) for name, values in request.POST.lists())),
    )
    content = SUMMARIES.get(key)
    if content is None:
        context = views.outcome_context(catalogue, ruleset, result, form, language)
        context["made_on"] = made_on
        content = pdf.render_pdf("check/summary_pdf.html", context, request)
        SUMMARIES.put(key, content)
    return pdf.pdf_response(content, f"signalencheck-{timezone.localdate().isoformat()}.pdf")
