"""Token authentication: no token, a wrong one, a revoked one -> 401 with a reason; a
valid one acts as the client's organisation, and the token itself is never stored."""

from __future__ import annotations

import hashlib

import pytest
from rest_framework.request import Request

from lens.access.actor import actor_from_request
from lens.api import actions
from lens.api.auth import ApiTokenAuthentication
from lens.api.models import ApiClient
from lens.data.registry import Role
from tests.api.conftest import Api, error
from tests.api.factories import make_client, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_and_token(db):
    return make_client(make_organisation("Synthetische Gemeente"), "Zaaksysteem")


def test_a_valid_token_is_accepted(loaded_catalogue, client_and_token):
    _client, token = client_and_token
    response = Api(token).get("/persons")
    assert response.status_code == 200, response.content
    assert response.json()["results"] == []
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "not_authenticated"),
        ({"Authorization": "Bearer something"}, "not_authenticated"),
        ({"Authorization": "Token"}, "invalid_token_header"),
        ({"Authorization": "Token two parts"}, "invalid_token_header"),
        ({"Authorization": "Token not-a-token-we-issued"}, "invalid_token"),
        ({"Authorization": "Token " + "x" * 5000}, "invalid_token"),
    ],
)
def test_missing_or_wrong_credentials_get_401(db, headers, code):
    api = Api(None)
    for method, path in (("GET", "/persons"), ("POST", "/assess"), ("GET", "/persons/P-2345")):
        if method == "GET":
            response = api.client.get("/api/v1" + path, headers=headers)
        else:
            response = api.client.post(
                "/api/v1" + path, "{}", content_type="application/json", headers=headers
            )
        assert response.status_code == 401, (path, response.content)
        assert error(response)["code"] == code
        assert response["WWW-Authenticate"] == "Token"


def test_a_token_of_a_revoked_client_gets_401_with_the_reason(loaded_catalogue, client_and_token):
    client, token = client_and_token
    actions.revoke_client(client)
    response = Api(token).get("/persons")
    assert response.status_code == 401
    problem = error(response)
    assert problem["code"] == "token_revoked"
    assert "revoked" in problem["message"] and client.token_prefix in problem["message"]


def test_the_token_is_stored_only_as_prefix_and_sha256(client_and_token):
    client, token = client_and_token
    row = ApiClient.objects.filter(pk=client.pk).values().get()
    assert token not in [str(v) for v in row.values()]
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert row["token_prefix"] == token[:8]
    assert len(token) >= 43  # 32 random bytes, urlsafe base64


def test_the_service_user_cannot_log_in(client_and_token):
    client, _token = client_and_token
    assert not client.user.is_active
    assert not client.user.has_usable_password()


def test_the_actor_is_the_client_acting_as_professional_of_its_organisation(rf, client_and_token):
    client, token = client_and_token
    request = rf.get("/api/v1/persons", headers={"Authorization": f"Token {token}"})
    user, auth = ApiTokenAuthentication().authenticate(Request(request))
    assert auth == client and user == client.user
    request.user = user
    actor = actor_from_request(request)
    assert actor.api_client == client
    assert actor.role == Role.PROFESSIONAL
    assert actor.organisation == client.organisation
    assert actor.username == f"api:{client.name}"
