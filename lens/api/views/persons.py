"""The API's person operations: list, register, detail, reveal, informing."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.response import Response

from lens.access.crypto import Identity
from lens.access.models import Action
from lens.api import serializers as s
from lens.api.errors import ApiError, InvalidInput
from lens.api.throttling import ClientRateThrottle, RevealRateThrottle

# Purposes written to the access log for the reads the API does. Dutch, like the web
# pages' (lens.registry.views): the log is one record, read in Dutch.
from lens.api.views.base import (
    IDEMPOTENCY_KEY,
    MAX_PAGE_SIZE,
    NAME_MATCH,
    PAGE_SIZE,
    PSEUDONYM,
    PURPOSE_LIST,
    PURPOSE_READ,
    PURPOSE_REGISTER,
    ApiView,
    errors,
    informed_data,
    involved_data,
    known_level,
    operation,
    page_in_range,
    person_not_found,
    query_number,
    registration_data,
)
from lens.catalogue import services
from lens.data import queries
from lens.data.registry import InformedNotice, Person, Registration
from lens.registry import actions, selectors

# --- persons ---------------------------------------------------------------------------------

# What the list refuses beyond the schema (lens.api.views.base: query_number, known_level,
# page_in_range); each with its code in `fields`.
LIST_400 = (
    "Bad query parameters: not a whole number or out of the documented range (`invalid`), "
    "a `sort` that is not one of the listed (`invalid_choice`). Also what the schema cannot "
    "say: a `level` the active ruleset does not have (`unknown_level`), a `page` past the "
    "last (`page_out_of_range`)."
)


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
                "page",
                {"type": "integer", "minimum": 1},
                description="Page number, from 1 to `pages` (page 1 of an empty list is "
                "empty); a page past the last is 400 `page_out_of_range`.",
            ),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                description=f"Persons per page (default {PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
            ),
            OpenApiParameter(
                "level",
                {"type": "integer", "minimum": 0},
                description="Only persons at this advice level: one of the levels of the "
                "active ruleset (0 to 4 in the ruleset shipped); another number is 400 "
                "`unknown_level`.",
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
        responses={
            200: s.PersonPage,
            **errors(400, 401, 403),
            400: OpenApiResponse(s.Error, description=LIST_400),
        },
    )
    def get(self, request):
        number = query_number("page", request.query_params.get("page"), 1)
        size = query_number(
            "page_size", request.query_params.get("page_size"), PAGE_SIZE, MAX_PAGE_SIZE
        )
        level = known_level(query_number("level", request.query_params.get("level"), None))
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

        def paginate() -> tuple[Paginator, list[Person]]:
            paginator = Paginator(rows, size)
            page_in_range(number, paginator.num_pages)
            return paginator, list(paginator.page(number).object_list) if paginator.count else []

        paginator, shown = selectors.person_page(self.actor, paginate, purpose=PURPOSE_LIST)
        results = [
            {
                "pseudonym": row.pseudonym,
                "age_band": row.age_band,
                "level": row.level,
                "last_signal_on": row.last_observed,
                "blind_spots": row.blind_spots,
            }
            for row in shown
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
            **errors(400, 401, 403, 410, 415, 422, 503),
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
            "Dutch), the current registrations (a page of them, the newest first: "
            "`registrations_count` says how many there are, `registrations_next` links to "
            "the older ones) and whether the person was informed; and the "
            "other organisations in this application that registered the same person, with "
            "their contact, and the organisation with the lead (never their pseudonym, "
            "signals or notes). Never the identity. Written to the access log (action read)."
        ),
        parameters=[
            PSEUDONYM,
            OpenApiParameter(
                "registrations_page",
                {"type": "integer", "minimum": 1},
                description="Which page of the current registrations `registrations` holds, "
                "counted from the newest observation (default 1: the newest); a page past "
                "the last is 400 `page_out_of_range` (page 1 of none is empty).",
            ),
            OpenApiParameter(
                "registrations_page_size",
                {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                description=f"Registrations per page (default {PAGE_SIZE}, at most "
                f"{MAX_PAGE_SIZE}).",
            ),
        ],
        responses={
            200: s.PersonDetail,
            **errors(400, 401, 403, 404),
            400: OpenApiResponse(
                s.Error,
                description="`registrations_page` or `registrations_page_size` not a whole "
                "number in range (`invalid`), or a page past the last (`page_out_of_range`). "
                "Nothing is read or logged.",
            ),
        },
    )
    def get(self, request, pseudonym: str):
        number = query_number(
            "registrations_page", request.query_params.get("registrations_page"), 1
        )
        size = query_number(
            "registrations_page_size",
            request.query_params.get("registrations_page_size"),
            PAGE_SIZE,
            MAX_PAGE_SIZE,
        )

        def more(overview: selectors.PersonOverview):
            # In the read's transaction: a page past the last (400) logs nothing.
            shown, total = selectors.newest_registrations(overview.person, number, size)
            page_in_range(number, -(-total // size), name="registrations_page")
            return overview, shown, total

        try:
            overview, shown, total = selectors.person_overview(
                self.actor, pseudonym, purpose=PURPOSE_READ, more=more
            )
        except Http404:
            raise person_not_found() from None
        stored = overview.outcome
        catalogue, ruleset = services.active()  # once per request (one query)
        outcome = None
        if stored is not None:
            outcome = {
                "level": stored.level,
                "catalogue_version": stored.catalogue_version,
                "ruleset_version": stored.ruleset_version,
                "computed_at": stored.computed_at,
                "outcome": queries.outcome_document(stored, catalogue, ruleset),
            }
        person = overview.person
        data = {
            "pseudonym": person.pseudonym,
            "age_band": overview.age_band,
            "created_at": person.created_at,
            "outcome": outcome,
            "registrations": [registration_data(r, catalogue) for r in shown],
            "registrations_count": total,
            "registrations_next": (
                registrations_link(request, number + 1) if number * size < total else None
            ),
            "informed": informed_data(overview.informed),
            **involved_data(overview.involved),
        }
        return Response(s.PersonDetail(data).data)


def registrations_link(request, number: int) -> str:
    """The address of this person detail with page `number` of its registrations (the
    other query parameters kept)."""
    query = request.query_params.copy()
    query["registrations_page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


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
