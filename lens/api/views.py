"""The REST API: the registry's operations for organisations' own systems.

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

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from lens.access import log, policy
from lens.access.actor import Actor, actor_from_request
from lens.access.crypto import Identity
from lens.access.models import Action
from lens.api import serializers as s
from lens.api.auth import ApiTokenAuthentication
from lens.api.errors import ApiError, InvalidInput, drf_fields
from lens.api.parsers import JSONParser
from lens.api.permissions import OperationPermission
from lens.api.schema import AutoSchema
from lens.api.throttling import AssessRateThrottle, ClientRateThrottle, RevealRateThrottle
from lens.catalogue import services
from lens.data import queries
from lens.data.registry import InformedNotice, Person, Registration, Withdrawal
from lens.registry import actions, rules, selectors
from lens.rules.engine import assess
from lens.rules.inputs import parse_input
from lens.rules.limits import MAX_CODES
from lens.rules.report import outcome_to_dict
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
    f"dates before {rules.BIRTH_YEAR_MIN} (`too_old`), a name without a letter (`no_letter`), an "
    "observation dated before the person's birth year (`before_birth`), a BSN failing the "
    "11-test (`invalid_bsn`), a correction that changes nothing (`unchanged`).",
    401: "No token, an unknown token or a revoked one.",
    403: "The client's role may not do this.",
    404: "No such person (or registration) in the client's organisation.",
    409: "The registration was corrected or withdrawn already.",
    415: "The body is not application/json in UTF-8.",
    422: "The Idempotency-Key was used before for a request with other content.",
    429: "Too many requests from this API client: wait the seconds in `Retry-After`.",
    503: "No catalogue is loaded on the server.",
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
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Optional, 1 to 255 visible ASCII characters, e.g. a UUID made per request. Sending "
        "the same request again with the same key (a retry after a timeout) writes nothing "
        "new: the answer is the first one's status and body, with the header "
        "`Idempotent-Replayed: true`. The same key with another body or path answers 422 "
        "`idempotency_key_reused`. Keys are per API client; a request that was refused "
        "(4xx) does not use up its key."
    ),
)


class ApiView(APIView):
    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [IsAuthenticated, OperationPermission]
    throttle_classes = [ClientRateThrottle]
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]
    metadata_class = None  # OPTIONS answers 405: there is nothing to discover that way
    schema = AutoSchema()

    def dispatch(self, request, *args, **kwargs):
        with translation.override(LANGUAGE):
            return super().dispatch(request, *args, **kwargs)

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
        if outcome.replayed:
            with transaction.atomic():
                person = Person.objects.get(pk=outcome.result["person"])
                log.record(self.actor, Action.READ, person=person, purpose=PURPOSE_REPLAY)
        response = render(outcome.result)
        if outcome.replayed:
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


def registration_data(registration: Registration) -> dict[str, Any]:
    return {
        "id": registration.pk,
        "version": registration.version,
        "supersedes": registration.supersedes_id,
        "observed_on": registration.observed_on,
        "how_learned": registration.how_learned,
        "context_note": registration.context_note,
        "signals": list(registration.signals),
        "risk_factors": list(registration.risk_factors),
        "catalogue_version": registration.catalogue_version,
        "created_at": registration.created_at,
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


# --- persons ---------------------------------------------------------------------------------


class PersonsView(ApiView):
    @operation(
        "persons_list",
        tags=["persons"],
        summary="List the organisation's persons",
        description=(
            "The persons of the client's organisation (by default the latest observation "
            "first): pseudonym, age band, advice level, date of the last signal. Each person "
            "shown is written to the access log (action list)."
        ),
        parameters=[
            OpenApiParameter(
                "page", {"type": "integer", "minimum": 1}, description="Page number, from 1."
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                description=f"Persons per page (default {PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
            ),
            OpenApiParameter(
                "level",
                {"type": "integer", "minimum": 0},
                description="Only persons at this advice level.",
            ),
            OpenApiParameter(
                "signal_within_months",
                {"type": "integer", "minimum": 1, "maximum": selectors.MAX_MONTHS},
                description="Only persons with a current signal observed in the last this "
                "many months.",
            ),
            OpenApiParameter(
                "sort",
                str,
                enum=list(selectors.SORTS),
                default=selectors.NEWEST_SIGNAL,
                description="`newest_signal`: the latest observation first; `highest_level`: "
                "the highest advice level first, then the latest observation; `pseudonym`.",
            ),
        ],
        responses={200: s.PersonPage, **errors(400, 401, 403)},
    )
    def get(self, request):
        number = query_number("page", request.query_params.get("page"), 1)
        size = query_number(
            "page_size", request.query_params.get("page_size"), PAGE_SIZE, MAX_PAGE_SIZE
        )
        level = query_number("level", request.query_params.get("level"), None)
        months = query_number(
            "signal_within_months",
            request.query_params.get("signal_within_months"),
            None,
            selectors.MAX_MONTHS,
        )
        sort = request.query_params.get("sort") or selectors.NEWEST_SIGNAL
        if sort not in selectors.SORTS:
            raise InvalidInput(
                {
                    "sort": [
                        {
                            "code": "invalid_choice",
                            "message": "Use one of: " + ", ".join(selectors.SORTS) + ".",
                        }
                    ]
                }
            )
        rows = selectors.persons(self.actor, level=level, signal_within_months=months, sort=sort)
        paginator = Paginator(rows, size)
        shown = list(paginator.page(number).object_list) if number <= paginator.num_pages else []
        results = [
            {
                "pseudonym": row.pseudonym,
                "age_band": row.age_band,
                "level": row.level,
                "last_signal_on": row.last_observed,
                "blind_spots": row.blind_spots,
            }
            for row in selectors.person_rows(self.actor, shown, purpose=PURPOSE_LIST)
        ]
        data = {
            "count": paginator.count,
            "page": number,
            "pages": paginator.num_pages if paginator.count else 0,
            "results": results,
        }
        return Response(s.PersonPage(data).data)

    @operation(
        "persons_register",
        tags=["persons"],
        summary="Register a person",
        description=(
            "Register a person by identity; returns the pseudonym. When the organisation "
            "already knows the person (same BSN, or without BSN the same name and birth "
            "date), that person's pseudonym is returned with `known: true` (status 200). "
            "The identity is stored encrypted; the API never returns it except through "
            "the reveal operation. An optional first observation is registered in the same "
            "transaction."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=s.RegisterPersonInput,
        responses={
            201: OpenApiResponse(s.RegisterPersonOutput, description="A new person."),
            200: OpenApiResponse(
                s.RegisterPersonOutput, description="Known already in the organisation."
            ),
            409: OpenApiResponse(
                s.Error,
                description="`possibly_same_person`: the identity has no BSN and the "
                "organisation has a person without a BSN with the same name and birth date. "
                "Nothing was registered; send the request again with "
                "`same_name_and_birth_date`.",
            ),
            **errors(400, 401, 403, 415, 422, 503),
        },
    )
    def post(self, request):
        def write() -> dict[str, Any]:
            has_registration = isinstance(request.data, dict) and "registration" in request.data
            data = self.validated(
                s.RegisterPersonInput, codes_at="registration" if has_registration else None
            )
            name_match = NAME_MATCH.get(data.get("same_name_and_birth_date", ""), actions.ASK)
            try:
                done = actions.register_new(
                    self.actor,
                    Identity(**data["identity"]),
                    data.get("registration"),
                    purpose=PURPOSE_REGISTER,
                    name_match=name_match,
                )
            except actions.PossiblySamePerson:
                raise ApiError(
                    409,
                    "possibly_same_person",
                    "Your organisation has a person without a BSN with the same name and birth "
                    "date. Send the request again with `same_name_and_birth_date`: "
                    "`same_person` to add to that person, or `different_person` to register "
                    "a new person.",
                ) from None
            return {
                "person": done.person.pk,
                "created": done.created,
                "registration": done.registration.pk if done.registration else None,
            }

        return self.once(write, registered_response)


def registered_response(result: dict[str, Any]) -> Response:
    person = Person.objects.get(pk=result["person"])
    registration = None
    if result["registration"]:
        registration = Registration.objects.get(pk=result["registration"])
    body = {
        "pseudonym": person.pseudonym,
        "known": not result["created"],
        "registration": registration_data(registration) if registration else None,
    }
    response = Response(
        s.RegisterPersonOutput(body).data,
        status=status.HTTP_201_CREATED if result["created"] else status.HTTP_200_OK,
    )
    response["Location"] = reverse("api:person", kwargs={"pseudonym": person.pseudonym})
    return response


class PersonView(ApiView):
    @operation(
        "persons_retrieve",
        tags=["persons"],
        summary="A person's outcome, registrations and informing",
        description=(
            "The person's pseudonym and age band, the latest stored outcome (as stored, in "
            "Dutch), the current registrations and whether the person was informed; and the "
            "other organisations in this application that registered the same person, with "
            "their contact, and the organisation with the lead (never their pseudonym, "
            "signals or notes). Never the identity. Written to the access log (action read)."
        ),
        parameters=[PSEUDONYM],
        responses={200: s.PersonDetail, **errors(401, 403, 404)},
    )
    def get(self, request, pseudonym: str):
        try:
            overview = selectors.person_overview(self.actor, pseudonym, purpose=PURPOSE_READ)
        except Http404:
            raise person_not_found() from None
        stored = overview.outcome
        outcome = None
        if stored is not None:
            outcome = {
                "level": stored.level,
                "catalogue_version": stored.catalogue_version,
                "ruleset_version": stored.ruleset_version,
                "computed_at": stored.computed_at,
                "outcome": stored.outcome,
            }
        person = overview.person
        data = {
            "pseudonym": person.pseudonym,
            "age_band": overview.age_band,
            "created_at": person.created_at,
            "outcome": outcome,
            "registrations": [registration_data(r) for r in queries.current_registrations(person)],
            "informed": informed_data(overview.informed),
            **involved_data(overview.involved),
        }
        return Response(s.PersonDetail(data).data)


class RevealView(ApiView):
    throttle_classes = [ClientRateThrottle, RevealRateThrottle]

    @operation(
        "identity_reveal",
        tags=["persons"],
        summary="Reveal a person's identity",
        description=(
            "Returns the person's identity (names, birth date, BSN, sex). The purpose is "
            "required and written to the access log (action reveal)."
        ),
        parameters=[PSEUDONYM],
        request=s.RevealInput,
        responses={200: s.IdentityOutput, **errors(400, 401, 403, 404, 415)},
    )
    def post(self, request, pseudonym: str):
        person = self.person(pseudonym, Action.REVEAL)
        data = self.validated(s.RevealInput)
        identity = actions.reveal_identity(self.actor, person, data["purpose"])
        return Response(
            s.IdentityOutput(
                {
                    "given_names": identity.given_names,
                    "family_name": identity.family_name,
                    "birth_date": identity.birth_date,
                    "bsn": identity.bsn,
                    "sex": identity.sex,
                }
            ).data
        )


class InformedView(ApiView):
    @operation(
        "informed_record",
        tags=["persons"],
        summary="Record whether the person was informed",
        description=(
            "Whether and when the person (under 16: the parents) was told of the "
            "registration, or why not. A new record; earlier ones stay."
        ),
        parameters=[PSEUDONYM, IDEMPOTENCY_KEY],
        request=s.InformedInput,
        responses={201: s.InformedOutput, **errors(400, 401, 403, 404, 415, 422)},
    )
    def post(self, request, pseudonym: str):
        person = self.person(pseudonym, Action.CHANGE)

        def write() -> dict[str, Any]:
            data = self.validated(s.InformedInput)
            notice = actions.record_informed(self.actor, person, **data)
            return {"person": person.pk, "notice": notice.pk}

        def render(result: dict[str, Any]) -> Response:
            notice = InformedNotice.objects.get(pk=result["notice"])
            return Response(s.InformedOutput(informed_data(notice)).data, status=201)

        return self.once(write, render)


# --- registrations ---------------------------------------------------------------------------


class RegistrationsView(ApiView):
    @operation(
        "registrations_create",
        tags=["registrations"],
        summary="Register signals for a person",
        description=(
            "One observation: one or more catalogue signals, the date observed, how it was "
            "learned, a context note and risk factors. The person's outcome is recomputed."
        ),
        parameters=[PSEUDONYM, IDEMPOTENCY_KEY],
        request=s.ObservationInput,
        responses={201: s.RegistrationOutput, **errors(400, 401, 403, 404, 415, 422, 503)},
    )
    def post(self, request, pseudonym: str):
        person = self.person(pseudonym, Action.CREATE)

        def write() -> dict[str, Any]:
            data = self.validated(s.ObservationInput, codes_at="")
            registration = actions.register_signals(self.actor, person, **data)
            return {"person": person.pk, "registration": registration.pk}

        return self.once(write, registration_response)


class CorrectionView(ApiView):
    @operation(
        "registrations_correct",
        tags=["registrations"],
        summary="Correct a registration",
        description=(
            "Adds a new version of a current registration with the fields given; the old "
            "version stays. Only the newest version of a registration can be corrected."
        ),
        parameters=[PSEUDONYM, REGISTRATION_ID, IDEMPOTENCY_KEY],
        request=s.CorrectionInput,
        responses={201: s.RegistrationOutput, **errors(400, 401, 403, 404, 409, 415, 422, 503)},
    )
    def post(self, request, pseudonym: str, registration_id: int):
        person = self.person(pseudonym, Action.CHANGE)
        registration = self.registration(person, registration_id)

        def write() -> dict[str, Any]:
            require_current(registration)
            data = self.validated(s.CorrectionInput, codes_at="")
            try:
                corrected = actions.correct_registration(self.actor, registration, **data)
            except DjangoValidationError:
                require_current(registration)  # corrected or withdrawn meanwhile: 409
                raise
            return {"person": person.pk, "registration": corrected.pk}

        return self.once(write, registration_response)


class WithdrawalView(ApiView):
    @operation(
        "registrations_withdraw",
        tags=["registrations"],
        summary="Withdraw a registration",
        description=(
            "Withdraws a current registration, with a reason (required). Nothing is "
            "deleted: the registration no longer counts for the outcome."
        ),
        parameters=[PSEUDONYM, REGISTRATION_ID, IDEMPOTENCY_KEY],
        request=s.WithdrawalInput,
        responses={201: s.WithdrawalOutput, **errors(400, 401, 403, 404, 409, 415, 422)},
    )
    def post(self, request, pseudonym: str, registration_id: int):
        person = self.person(pseudonym, Action.WITHDRAW)
        registration = self.registration(person, registration_id)

        def write() -> dict[str, Any]:
            require_current(registration)
            data = self.validated(s.WithdrawalInput)
            try:
                withdrawal = actions.withdraw_registration(self.actor, registration, data["reason"])
            except DjangoValidationError:
                require_current(registration)
                raise
            return {"person": person.pk, "withdrawal": withdrawal.pk}

        return self.once(write, withdrawal_response)


def registration_response(result: dict[str, Any]) -> Response:
    registration = Registration.objects.get(pk=result["registration"])
    return Response(s.RegistrationOutput(registration_data(registration)).data, status=201)


def withdrawal_response(result: dict[str, Any]) -> Response:
    withdrawal = Withdrawal.objects.get(pk=result["withdrawal"])
    data = {
        "registration": withdrawal.registration_id,
        "reason": withdrawal.reason,
        "withdrawn_at": withdrawal.withdrawn_at,
    }
    return Response(s.WithdrawalOutput(data).data, status=201)


def require_current(registration: Registration) -> None:
    if not queries.is_current(registration):
        raise ApiError(
            409,
            "registration_not_current",
            "This registration was corrected or withdrawn already; use its newest version.",
        )


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
                description="Language of labels and texts in the outcome.",
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
        data = parse_input(request.data)
        outcome = assess(catalogue, ruleset, data, timezone.localdate())
        return Response(outcome_to_dict(outcome, catalogue, ruleset, lang))
