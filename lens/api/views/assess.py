"""The anonymous lens engine through the API (nothing stored or logged)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.response import Response

from lens.api import serializers as s
from lens.api.errors import InvalidInput, sent_problems
from lens.api.throttling import AssessRateThrottle, ClientRateThrottle

# Purposes written to the access log for the reads the API does. Dutch, like the web
# pages' (lens.registry.views): the log is one record, read in Dutch.
from lens.api.views.base import (
    ApiView,
    errors,
    operation,
)
from lens.catalogue import services
from lens.rules.engine import InputError, assess
from lens.rules.inputs import parse_input
from lens.rules.report import outcome_to_dict

# --- the anonymous lens engine ---------------------------------------------------------------


class AssessView(ApiView):
    throttle_classes = [ClientRateThrottle, AssessRateThrottle]

    @operation(
        "assess",
        tags=["assess"],
        summary="Assess signals with the lens engine (no person data)",
        description=(
            "The anonymous lens engine, as `lens assess --json`: the same input and the "
            'same outcome format (README, "lens assess"). Nothing is stored or logged. '
            "Unknown codes are named with the closest known codes."
        ),
        parameters=[
            OpenApiParameter(
                "lang",
                str,
                enum=["nl", "en"],
                default="nl",
                description=(
                    "Language of labels and texts in the outcome, and of the reasons of "
                    "a 400 (`fields`)."
                ),
            )
        ],
        request=s.AssessInput,
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT, description="The outcome, as `lens assess --json`."
            ),
            **errors(400, 401, 415, 503),
        },
    )
    def post(self, request):
        lang = request.query_params.get("lang", "nl")
        if lang not in ("nl", "en"):
            raise InvalidInput({"lang": [{"code": "invalid_choice", "message": "Use nl or en."}]})
        catalogue, ruleset = services.active()
        try:
            data = parse_input(request.data, catalogue)
            outcome = assess(catalogue, ruleset, data, timezone.localdate())
        except InputError as exc:  # each unknown code named where it was sent
            # the reasons in the requested language, as the outcome (Dutch first)
            raise InvalidInput(sent_problems(exc.problems, request.data, lang)) from None
        return Response(outcome_to_dict(outcome, catalogue, ruleset, lang))
