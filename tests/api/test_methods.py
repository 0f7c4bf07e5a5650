"""Every route of the real URLconf refuses a method it does not accept with 405 and an
Allow header, and OPTIONS everywhere with 405 (third outside probe: PUT on some anonymous
pages was a 403 CSRF failure, elsewhere 405; lens.web.methods, lens.api.views.base)."""

from __future__ import annotations

import re
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.urls import get_resolver, reverse

from lens.access import routes
from tests.api.conftest import API
from tests.api.test_head import api_paths
from tests.registry.test_routes import walk

pytestmark = pytest.mark.django_db

SAMPLES = ["1", "x", "abc", "2026-01", str(uuid.UUID(int=1)), "a1b2c3d4"]


def sample_path(name: str, pattern) -> str:
    """The route's path with a value its converters accept (the view never runs)."""
    kwargs = {}
    for key, converter in pattern.pattern.converters.items():
        kwargs[key] = next(v for v in SAMPLES if re.fullmatch(converter.regex, v))
    return reverse(name, kwargs=kwargs)


def page_routes() -> list[tuple[str, object]]:
    api = f"{routes.API_NAMESPACE}:"
    return [
        (name, p)
        for namespaces, name, p in walk(get_resolver(settings.ROOT_URLCONF).url_patterns)
        if name and not namespaces.startswith(api)
    ]


def allowed(response) -> set[str]:
    return {m.strip() for m in response.get("Allow", "").split(",") if m.strip()}


def test_every_page_refuses_put_delete_and_options_with_405_and_allow():
    client = Client(enforce_csrf_checks=True)  # as a browser: the CSRF check is on
    found = page_routes()
    assert len(found) >= 40
    refused = 0
    for name, pattern in found:
        path = sample_path(name, pattern)
        for method in ("put", "delete", "patch", "options"):
            response = getattr(client, method)(path)
            assert response.status_code == 405, (name, method, response.status_code)
            methods = allowed(response)
            assert methods and method.upper() not in methods, (name, method, methods)
            assert "OPTIONS" not in methods, name
            refused += 1
    assert refused == 4 * len(found)


def test_a_put_on_the_anonymous_check_is_405_not_a_csrf_failure():
    client = Client(enforce_csrf_checks=True)
    for name in ("check:start", "check:form", "check:outcome", "check:levels"):
        response = client.put(reverse(name))
        assert response.status_code == 405, (name, response.status_code)
        assert {"GET", "HEAD"} <= allowed(response), name


def test_every_route_answers_options_alike_pages_and_api(ours):
    """OPTIONS: 405 with Allow (never naming OPTIONS) on every page route and on every API
    route (there with the API's JSON error): one decision for the whole URLconf."""
    pages = [sample_path(name, pattern) for name, pattern in page_routes()]
    api = [
        p.format(pseudonym=ours.person.pseudonym, registration_id=ours.registration.pk)
        for p in api_paths()
    ]
    assert len(api) >= 9 and all(url.startswith(API) for url in api)
    client = Client(enforce_csrf_checks=True)
    for path in pages:
        response = client.options(path)
        assert response.status_code == 405, (path, response.status_code)
        assert allowed(response) and "OPTIONS" not in allowed(response), path
    for url in api:
        response = ours.api.client.options(url, headers=ours.api.headers())
        assert response.status_code == 405, (url, response.status_code)
        assert allowed(response) and "OPTIONS" not in allowed(response), url
        assert response.json()["error"]["code"] == "method_not_allowed", url
