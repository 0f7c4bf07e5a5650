"""The REST API's shared parts: the view class and helpers of the registry's operations
for organisations' own systems.

Every view here keeps the rules of the web pages (lens/registry/views.py):
- the client is authenticated by token (lens.api.auth) and acts as a professional of
  its organisation; `OperationPermission` enforces the operation's entry in
  lens.api.permissions (403 for a role it does not name);
- person data is read only through `lens.access.policy` (`get_person` logs the read;
  `visible_persons` + `log_list` for the list) and written only through
  `lens.registry.actions`, which log every write in the same transaction;
- another organisation's person, or an unknown pseudonym: 404, before the body is even
  read, so that no answer tells whether a person exists elsewhere;
- bad input: a 4xx with the error shape of lens.api.errors, never a 5xx; messages in
  English (the API's language), whatever the server's default language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.http import Http404
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from lens.access import policy
from lens.access.actor import Actor, actor_from_request
from lens.access.models import Action
from lens.api import serializers as s
from lens.api.auth import ApiTokenAuthentication
from lens.api.errors import ApiError, InvalidInput, drf_fields
from lens.api.parsers import JSONParser
from lens.api.permissions import OperationPermission
from lens.api.schema import AutoSchema
from lens.api.throttling import ClientRateThrottle
from lens.catalogue import services
from lens.data import queries
from lens.data.registry import Person, Registration
from lens.registry import actions, rules, selectors
from lens.rules.limits import MAX_CODES
from lens.rules.model import Catalogue
from lens.web import submissions

# Purposes written to the access log for the reads the API does. Dutch, like the web
# pages' (lens.registry.views): the log is one record, read in Dutch.
PURPOSE_LIST = "API: overzicht personen van de organisatie"
PURPOSE_READ = "API: persoonsgegevens opvragen"
PURPOSE_REGISTER = "API: nieuwe registratie"
PURPOSE_REPLAY = "API: herhaald verzoek (Idempotency-Key)"
NAME_MATCH = {"same_person": actions.SAME, "different_person": actions.DIFFERENT}

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
LANGUAGE = "en"  # of the API's messages; stored outcomes stay as stored (Dutch)


def operation(operation_id: str, **schema: Any):
    """Give a handler its operation id: in the OpenAPI schema and for the permission
    table (lens.api.permissions.OperationPermission looks it up)."""

    def decorate(handler):
        handler.operation_id = operation_id
        return extend_schema(operation_id=operation_id, **schema)(handler)

    return decorate


ERROR_TEXTS = {
    400: "Bad input: malformed JSON, wrong types, missing or unknown fields, more than "
    f"{MAX_CODES} codes in a list. Also what the schema cannot say, each with its own code "
    "in `fields`: unknown catalogue codes (`unknown_code`; the first few with the closest "
    "known codes), dates in the future (`future_date`, `date_after_assessment`), birth "
    f"dates before {rules.BIRTH_YEAR_MIN} (`too_old`; for the lens engine: an `as_of` or "
    "`observed_on` before 1900-01-01), a signal code given in more than one of `signals`, "
    "`unknown` and `absent` (`contradictory`), a name without a letter (`no_letter`), a "
    "name with a control or invisible formatting character (`control_character`), an "
    "observation dated before the person's birth year (`before_birth`), a BSN failing the "
    "11-test (`invalid_bsn`), a correction that changes nothing (`unchanged`), a "
    "municipality or district not of the organisation's region (`unknown_municipality`, "
    "`unknown_wijk`), a pc4 that is a full postcode (`full_postcode`), not four digits "
    "(`invalid_postcode`) or outside the region (`postcode_outside_region`), a purpose or "
    "reason that says nothing: invisible characters only (`required`) or fewer than three "
    "letters or digits (`meaningless`).",
    401: "No token, an unknown token or a revoked one.",
    403: "The client's role may not do this.",
    404: "No such person (or registration) in the client's organisation.",
    409: "The registration was corrected or withdrawn already.",
    410: "`person_erased`: a replay of an Idempotency-Key whose request registered a person "
    "who has since been erased (on request, or at the end of the retention period). Nothing "
    "was written again; send the request with a new key to register anew.",
    415: "The body is not application/json in UTF-8.",
    422: "The Idempotency-Key was used before for a request with other content.",
    429: "Too many requests from this API client: wait the seconds in `Retry-After`.",
    503: "No catalogue is loaded on the server (`catalogue_unavailable`), or the database "
    "was too busy to answer in time (`busy`: nothing was saved; send the request again "
    "after the seconds in `Retry-After`).",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The error responses of an operation; every operation is throttled (429)."""
    return {code: OpenApiResponse(s.Error, description=ERROR_TEXTS[code]) for code in (*codes, 429)}


PSEUDONYM = OpenApiParameter(
    "pseudonym", str, OpenApiParameter.PATH, description="The person's pseudonym, e.g. P-7K3F."
)
REGISTRATION_ID = OpenApiParameter(
    "registration_id", int, OpenApiParameter.PATH, description="The registration's id."
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    # lens.web.submissions.key_is_valid, as a pattern a client (or a generator) can follow
    {"type": "string", "minLength": 1, "maxLength": submissions.KEY_MAX, "pattern": "^[!-~]+$"},
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional, 1 to 255 visible ASCII characters, e.g. a UUID made per request. Sending "
        "the same request again with the same key (a retry after a timeout) writes nothing "
        "new: the answer is the first one's status and body, with the header "
        "`Idempotent-Replayed: true`. The same key with another body or path answers 422 "
        "`idempotency_key_reused`. Keys are per API client; a request that was refused "
        "(4xx) does not use up its key. A replay after the person was erased answers 410 "
        "`person_erased` when the request registered that person, 404 on the person's "
        "path (the pseudonym is gone)."
    ),
)


class ApiView(APIView):
    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [IsAuthenticated, OperationPermission]
    throttle_classes = [ClientRateThrottle]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    metadata_class = None  # OPTIONS answers 405: there is nothing to discover that way
    # HEAD never reaches a view: lens.web.head.HeadMiddleware hands it over as a GET
    # (same status and headers, no body, no read logged). OPTIONS answers 405 (no
    # metadata_class), so it is not in the Allow header either.
    http_method_names = [m for m in APIView.http_method_names if m != "options"]
    schema = AutoSchema()

    def dispatch(self, request, *args, **kwargs):
        with translation.override(LANGUAGE):
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticated, allowed, not throttled
        # Every query parameter of the API takes one value: a repeated one (`level=1&
        # level=2`) is refused, not read as its last value; before anything is read.
        repeated = sorted(name for name, values in request.query_params.lists() if len(values) > 1)
        if repeated:
            raise InvalidInput(
                {
                    name: [
                        {
                            "code": "repeated",
                            "message": "Given more than once; this parameter takes one value.",
                        }
                    ]
                    for name in repeated
                }
            )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"  # person data: no cache may keep it
        response["Content-Language"] = LANGUAGE
        return response

    @property
    def actor(self) -> Actor:
        """The API client as an Actor. Built from the token only: a session cookie sent
        along with the request (and the membership it selects) plays no part."""
        if not hasattr(self, "_actor"):
            self._actor = replace(actor_from_request(self.request), membership=None)
        return self._actor

    # --- helpers ---------------------------------------------------------------------------

    def person(self, pseudonym: str, action: Action) -> Person:
        """For a write: the person if the client may do `action` with them (no log entry;
        the action logs the write). 403 for the role, 404 outside the organisation."""
        try:
            return policy.find_person(self.actor, pseudonym, action=action)
        except Http404:
            raise person_not_found() from None

    def registration(self, person: Person, registration_id: int) -> Registration:
        registration = queries.registration_of(person, registration_id)
        if registration is None:
            raise ApiError(
                404, "registration_not_found", "The person has no registration with this id."
            )
        return registration

    def once(
        self, write: Callable[[], dict[str, Any]], render: Callable[[dict[str, Any]], Response]
    ) -> Response:
        """Run `write` once per Idempotency-Key (lens.web.submissions): it returns a
        reference to what it wrote ({"person": pk, ...}); `render` makes the response from
        that reference, the first time and for every replay. A replay shows person data
        again, so it is logged as a read."""
        key = self.request.headers.get("Idempotency-Key", "")
        if key and not submissions.key_is_valid(key):
            raise ApiError(
                400,
                "invalid_idempotency_key",
                "The Idempotency-Key must be 1 to 255 visible ASCII characters.",
            )
        fingerprint = submissions.fingerprint("POST", self.request.path, self.request.data)
        try:
            outcome = submissions.once(self.actor, key, fingerprint, write)
        except submissions.KeyReused:
            raise ApiError(
                422,
                "idempotency_key_reused",
                "This Idempotency-Key was used before for a request with other content; "
                "use a new key for a new request.",
            ) from None
        if not outcome.replayed:
            return render(outcome.result)  # the write logged itself
        # The stored reply shows the person again: read through the policy, the reply
        # built in the transaction of the read's log entry (404 when no longer in scope).
        try:
            response = policy.get_person_by_id(
                self.actor,
                outcome.result["person"],
                purpose=PURPOSE_REPLAY,
                build=lambda _person: render(outcome.result),
            )
        except Http404:
            if Person.objects.filter(pk=outcome.result["person"]).exists():
                raise  # there, but no longer the client's to see
            # The key's own write made the person; since then erased (on request, or at
            # the end of its retention): say so, not a bare "Not found."
            raise ApiError(
                410,
                "person_erased",
                "The person this Idempotency-Key's request wrote has since been erased; "
                "nothing was written again. Use a new key to register anew.",
            ) from None
        response["Idempotent-Replayed"] = "true"
        return response

    def validated(self, serializer_class, *, codes_at: str | None = None) -> dict[str, Any]:
        """The request body validated by `serializer_class`; with `codes_at` (the key of the
        observation in the body, "" for the body itself) also checks catalogue codes.
        Raises InvalidInput with every problem found."""
        data = self.request.data
        serializer = serializer_class(data=data)
        fields = {} if serializer.is_valid() else drf_fields(serializer.errors)
        if codes_at is not None:
            observation = data.get(codes_at) if codes_at and isinstance(data, dict) else data
            catalogue, _ruleset = services.active()
            prefix = f"{codes_at}." if codes_at else ""
            for path, problems in s.unknown_codes(catalogue, observation, prefix).items():
                fields[path] = problems  # more precise than a type error at the same path
        if fields:
            raise InvalidInput(fields)
        return dict(serializer.validated_data)


def person_not_found() -> ApiError:
    # Not the pseudonym: the answer must not differ between another organisation's person
    # and one that does not exist.
    return ApiError(404, "person_not_found", "There is no such person in your organisation.")


def registration_data(
    registration: Registration, catalogue: Catalogue | None = None
) -> dict[str, Any]:
    # Retired signal codes as what replaced them (a signal, or a risk factor), as the
    # engine reads them; a code the catalogue does not know at all stays as stored.
    if catalogue is None:
        catalogue, _ruleset = services.active()
    codes = catalogue.current_codes(registration.signals, registration.risk_factors)
    return {
        "id": registration.pk,
        "version": registration.version,
        "supersedes": registration.supersedes_id,
        "observed_on": registration.observed_on,
        "how_learned": registration.how_learned,
        "context_note": registration.context_note,
        "signals": [*codes.signals, *(c for c in registration.signals if c in codes.dropped)],
        "risk_factors": [
            *codes.risk_factors,
            *(c for c in registration.risk_factors if c in codes.dropped),
        ],
        "catalogue_version": registration.catalogue_version,
        "created_at": registration.created_at,
        "municipality_code": registration.municipality_code,
        "wijk_code": registration.wijk_code,
        "pc4": registration.pc4,
        "phenomena": list(registration.phenomena or []),
    }


def informed_data(notice) -> dict[str, Any] | None:
    if notice is None:
        return None
    return {
        "informed": notice.informed,
        "informed_on": notice.informed_on,
        "who": notice.who,
        "reason_not": notice.reason_not,
        "recorded_at": notice.recorded_at,
    }


def involved_data(involved: selectors.Involved) -> dict[str, Any]:
    """The "ook betrokken" block (lens.registry.selectors.involved) as on the person's web
    page: the other organisations with a linked record of the same person and their
    contact, and the lead organisation. Never the other organisation's pseudonym, signals
    or notes."""
    return {
        "also_involved": [
            {
                "organisation": organisation.name,
                "contact_name": organisation.contact_name,
                "contact_phone": organisation.contact_phone,
                "contact_email": organisation.contact_email,
            }
            for organisation in involved.organisations
        ],
        "lead": involved.lead.name if involved.lead else None,
    }


def query_number(name: str, value: str | None, default: int | None, maximum: int | None = None):
    """A whole-number query parameter: from 1 (from 0 for level) up to `maximum`; 400 else."""
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < (0 if name == "level" else 1) or (maximum is not None and number > maximum):
        limit = f" from 1 to {maximum}" if maximum else ""
        raise InvalidInput({name: [{"code": "invalid", "message": f"Give a whole number{limit}."}]})
    return number


def known_level(level: int | None) -> int | None:
    """`level` when the active ruleset has that advice level; 400 `unknown_level` else.
    Without a loaded catalogue the levels are not known: the number is taken as it is
    (the list still works, and finds nobody at a level no outcome has)."""
    if level is None:
        return None
    try:
        _catalogue, ruleset = services.active()
    except services.NoCatalogueLoaded:
        return level
    levels = sorted(known.number for known in ruleset.levels)
    if level not in levels:
        raise InvalidInput(
            {
                "level": [
                    {
                        "code": "unknown_level",
                        "message": "No such advice level; use one of: "
                        + ", ".join(str(n) for n in levels)
                        + ".",
                    }
                ]
            }
        )
    return level


def page_in_range(number: int, pages: int, *, name: str = "page") -> int:
    """`number` when that page exists (page 1 always does, also of an empty list); 400
    `page_out_of_range` (at the query parameter `name`) for a page past the last."""
    last = max(pages, 1)
    if number > last:
        raise InvalidInput(
            {
                name: [
                    {
                        "code": "page_out_of_range",
                        "message": f"There {'is' if last == 1 else 'are'} {last} "
                        f"page{'' if last == 1 else 's'}; ask for a page from 1 to {last}.",
                    }
                ]
            }
        )
    return number
