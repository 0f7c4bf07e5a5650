"""The API's case operation: a person's meldcode case report as PDF, for the
organisation's own dossier system (issue 13 §4). The same report as the case page's
download (lens.cases.documents.report, a tagged PDF/UA-1): the open case, else the last
closed one, or `case` for another; pseudonymous, the read logged like the API's other
reads; the identity only with `identity=true` and a purpose in the `X-Purpose` header
(never in the query string, which lands in server and proxy logs), for the case's
handler or the aandachtsfunctionaris (`policy.may_reveal_case`; the API client acts for
the organisation's handlers), through the one reveal (lens.access.reveal: REVEAL
logged with that purpose, throttled like the reveal operation)."""

from __future__ import annotations

from urllib.parse import unquote

from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from lens.access import policy
from lens.access.models import Action
from lens.access.reveal import reveal_identity
from lens.api.errors import ApiError, InvalidInput
from lens.api.schema import AutoSchema
from lens.api.throttling import ClientRateThrottle, RevealRateThrottle
from lens.api.views.base import PSEUDONYM, ApiView, errors, operation, query_number
from lens.cases import documents, selectors
from lens.catalogue import services
from lens.web import pdf
from lens.web.head import is_head

PURPOSE_REPORT = "API: casusrapport"
PURPOSE_REPORT_IDENTITY = "API: casusrapport met identiteit"
LANGUAGES = ("nl", "en")
MAX_ID = 2**63 - 1  # a case id beyond the database's bigint column is no case
# Why the identity is needed travels in a header, as the reveal's purpose travels in its
# POST body: a query string is written to the logs of every server and proxy on the way.
HEADER_FOR_PURPOSE = "X-Purpose"

REPORT_400 = (
    "Bad query parameters or header, each with its code in `fields`: `case` not a whole "
    "number from 1 (`invalid`); `identity` not `true` or `false` (`invalid`); "
    "`identity=true` without an `X-Purpose` header (`purpose`: `required`) or with one "
    "that says nothing (`required`, `meaningless`); an `X-Purpose` without `identity=true` "
    "(`purpose_without_identity`); a `purpose` in the query string (`purpose_in_query`: "
    "send it in the header); `lang` not `nl` or `en` (`invalid_choice`)."
)


class PdfRenderer(BaseRenderer):
    """Lets a client ask `Accept: application/pdf`; the report itself is sent as bytes."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class ReportSchema(AutoSchema):
    """The errors stay JSON: only the 200 answer is a PDF (declared per response)."""

    def map_renderers(self, attribute: str):
        return [getattr(JSONRenderer, attribute)]


def _problem(name: str, code: str, message: str) -> InvalidInput:
    return InvalidInput({name: [{"code": code, "message": message}]})


class CaseReportView(ApiView):
    renderer_classes = [JSONRenderer, PdfRenderer]
    schema = ReportSchema()

    def get_throttles(self):
        throttles = [ClientRateThrottle()]
        if self.request.query_params.get("identity") == "true":
            throttles.append(RevealRateThrottle())  # the identity: as the reveal operation
        return throttles

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response):  # an error: always the API's JSON shape
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        if not isinstance(response, Response):  # the report: in the language asked
            response["Content-Language"] = self.report_language
        return response

    @operation(
        "case_report",
        tags=["cases"],
        summary="A person's meldcode case report as PDF",
        description=(
            "The report of the person's meldcode case in the client's organisation, as a "
            "tagged PDF (PDF/UA-1): the signals with their dates and organisation, the "
            "outcome with its explanation and the catalogue and ruleset versions, the steps "
            "taken, the consultations, the weighing and the decision. Without `case`: the "
            "open case, else the last closed one. Pseudonymous; written to the access log "
            "(action read on the case). With `identity=true` and an `X-Purpose` header the "
            "report holds the person's identity, and the reveal is written to the access "
            "log with that purpose (throttled like the reveal operation). The client acts for "
            "the organisation's case handlers: on the pages only the handler or the "
            "aandachtsfunctionaris gets the identity."
        ),
        parameters=[
            PSEUDONYM,
            OpenApiParameter(
                "case",
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                description="The case's id; 404 `case_not_found` when it is not a case of "
                "this person in the client's organisation.",
            ),
            OpenApiParameter(
                "identity",
                {"type": "boolean", "default": False},
                description="`true`: put the person's identity in the report (needs `purpose`).",
            ),
            OpenApiParameter(
                HEADER_FOR_PURPOSE,
                {"type": "string", "maxLength": 1500},
                OpenApiParameter.HEADER,
                required=False,
                description="Why the identity is needed (at most 500 characters); written "
                "to the access log. Only with `identity=true`. In a header, not the query "
                "string (which server logs keep); UTF-8, percent-encoded where it is not "
                "ASCII (`dossier%20co%C3%B6rdinatie`).",
            ),
            OpenApiParameter(
                "lang",
                str,
                enum=list(LANGUAGES),
                default="nl",
                description="The report's language.",
            ),
        ],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The case report (PDF/UA-1)."
            ),
            **errors(400, 401, 403, 404, 503),
            400: OpenApiResponse(errors(400)[400].response, description=REPORT_400),
            404: OpenApiResponse(
                errors(404)[404].response,
                description="No such person in the client's organisation "
                "(`person_not_found`), or the person has no case there, or not this one "
                "(`case_not_found`).",
            ),
        },
    )
    def get(self, request, pseudonym: str):
        person = self.person(pseudonym, Action.READ)
        params = request.query_params
        case_id = query_number("case", params.get("case"), None, MAX_ID)
        identity = params.get("identity", "false")
        if identity not in ("true", "false"):
            raise _problem("identity", "invalid", "Use `true` or `false`.")
        if "purpose" in params:
            raise _problem(
                "purpose",
                "purpose_in_query",
                f"Send the purpose in the `{HEADER_FOR_PURPOSE}` header: a query string is "
                "kept in server logs.",
            )
        purpose = request.headers.get(HEADER_FOR_PURPOSE)
        if purpose is not None:
            # WSGI hands a header over as Latin-1: raw UTF-8 bytes are read back as UTF-8,
            # then percent-encoding is undone (both ways of sending "zorgcoördinator").
            try:
                purpose = unquote(purpose.encode("latin-1").decode("utf-8"), errors="strict")
            except UnicodeError:
                raise _problem(
                    "purpose",
                    "invalid",
                    f"Send the `{HEADER_FOR_PURPOSE}` header as UTF-8, plain or percent-encoded.",
                ) from None
        if purpose is not None and identity != "true":
            raise _problem(
                "purpose",
                "purpose_without_identity",
                "A purpose is only for `identity=true`; leave it out for the pseudonymous report.",
            )
        if identity == "true" and not purpose:
            raise _problem("purpose", "required", "Say why you need the identity.")
        language = params.get("lang") or "nl"
        if language not in LANGUAGES:
            raise _problem("lang", "invalid_choice", "Use one of: nl, en.")
        catalogue, ruleset = services.active()
        chosen = selectors.case_for_report(self.actor, person, case_id)
        if chosen is None:
            raise ApiError(
                404, "case_not_found", "The person has no such case in your organisation."
            )
        with_identity = identity == "true"

        def build(found) -> tuple:
            # In the transaction of the case's read and its log entry: the reveal (need
            # to know first; it logs itself) and the report's content.
            opened = None
            if with_identity:
                policy.find_case_to_reveal(self.actor, found.pk)
                opened = reveal_identity(self.actor, person, purpose)
            with translation.override(language):
                return found, documents.report(
                    found, catalogue, ruleset, language, identity=opened, purpose=purpose or ""
                )

        found, context = policy.get_case_for(
            self.actor,
            chosen.pk,
            purpose=PURPOSE_REPORT_IDENTITY if with_identity else PURPOSE_REPORT,
            build=build,
        )
        self.report_language = language
        if is_head(request):
            # the headers only, as the picture's download: the case was read and logged
            # as for GET (lens.web.head), but no PDF is rendered (seconds of CPU)
            return pdf.pdf_response(b"", documents.report_filename(found))
        with translation.override(language):
            content = documents.report_pdf(context)
        return pdf.pdf_response(content, documents.report_filename(found))
