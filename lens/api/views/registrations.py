"""The API's registration operations: register signals, correct, withdraw."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.response import Response

from lens.access.models import Action
from lens.api import serializers as s
from lens.api.errors import ApiError

# Purposes written to the access log for the reads the API does. Dutch, like the web
# pages' (lens.registry.views): the log is one record, read in Dutch.
from lens.api.views.base import (
    IDEMPOTENCY_KEY,
    PSEUDONYM,
    REGISTRATION_ID,
    ApiView,
    errors,
    operation,
    registration_data,
)
from lens.data import queries
from lens.data.registry import Registration, Withdrawal
from lens.registry import actions

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
