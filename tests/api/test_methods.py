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


def test_every_route_answers_an_undeclared_method_itself_never_the_csrf_check(ours):
    """PUT, DELETE, PATCH and OPTIONS on every page of the URLconf, as a browser (CSRF
    enforced, no login): the page's own answer, the same for the four: its access check
    first (to the login page), else 405 with an Allow header that names neither the
    method nor OPTIONS; never the CSRF failure (403). OPTIONS is one decision for the
    whole URLconf: on every API route too it is 405 with Allow, in the API's JSON."""
    client = Client(enforce_csrf_checks=True)
    found = page_routes()
    assert len(found) >= 40
    statuses = set()
    for name, pattern in found:
        path = sample_path(name, pattern)
        answers = set()
        for method in ("put", "delete", "patch", "options"):
            response = getattr(client, method)(path)
            answers.add(response.status_code)
            if response.status_code == 405:
                methods = allowed(response)
                assert methods and method.upper() not in methods, (name, method, methods)
                assert "OPTIONS" not in methods, name
            else:
                assert response.status_code == 302, (name, method, response.status_code)
                assert response["Location"].startswith(reverse("accounts:login")), name
        assert len(answers) == 1, (name, answers)  # one answer for every undeclared method
        statuses |= answers
    assert statuses == {302, 405}
    api = [
        p.format(pseudonym=ours.person.pseudonym, registration_id=ours.registration.pk)
        for p in api_paths()
    ]
    assert len(api) >= 9 and all(url.startswith(API) for url in api)
    for url in api:
        response = ours.api.client.options(url, headers=ours.api.headers())
        assert response.status_code == 405, (url, response.status_code)
        assert allowed(response) and "OPTIONS" not in allowed(response), url
        assert response.json()["error"]["code"] == "method_not_allowed", url


def test_a_put_on_the_anonymous_check_is_405_not_a_csrf_failure():
    client = Client(enforce_csrf_checks=True)
    for name in ("check:start", "check:form", "check:outcome", "check:levels"):
        response = client.put(reverse(name))
        assert response.status_code == 405, (name, response.status_code)
        assert {"GET", "HEAD"} <= allowed(response), name
