"""The committed OpenAPI schema (openapi.yaml) is what the code generates.

Regenerates the schema in-process exactly as `make openapi` does (drf-spectacular's
SchemaGenerator and YAML renderer, English) and fails when the committed file differs.
"""

from __future__ import annotations

import difflib

import pytest
from django.conf import settings
from django.utils import translation
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer
from drf_spectacular.validation import validate_schema

COMMITTED = settings.BASE_DIR / "openapi.yaml"


def generate() -> tuple[dict, str]:
    GENERATOR_STATS.reset()
    with translation.override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return schema, OpenApiYamlRenderer().render(schema, renderer_context={}).decode()


def test_the_committed_schema_is_up_to_date():
    _schema, generated = generate()
    committed = COMMITTED.read_text(encoding="utf-8") if COMMITTED.exists() else ""
    if generated != committed:
        diff = "".join(
            list(
                difflib.unified_diff(
                    committed.splitlines(keepends=True),
                    generated.splitlines(keepends=True),
                    "openapi.yaml (committed)",
                    "openapi.yaml (generated)",
                )
            )[:60]
        )
        pytest.fail(
            "openapi.yaml is out of date with the API code: run `make openapi` and commit "
            f"the result.\n{diff}",
            pytrace=False,
        )


def test_the_schema_is_valid_openapi_without_generator_warnings():
    schema, _text = generate()
    validate_schema(schema)
    assert not GENERATOR_STATS, "drf-spectacular warned; run `make openapi` to see why"
    assert list(schema["paths"]) and all(p.startswith("/api/v1/") for p in schema["paths"])


def test_every_operation_requires_the_token_and_documents_401():
    schema, _text = generate()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert operation["security"] == [{"apiToken": []}], (method, path)
            assert "401" in operation["responses"], (method, path)


def test_the_schema_says_what_the_api_refuses():
    """Issue 9: what the API refuses is in the schema, so that a client (or schemathesis)
    validating against it sends nothing the API then refuses for its form."""
    schema, _text = generate()
    components = schema["components"]["schemas"]
    request_bodies = {
        f"{method} {path}": operation["requestBody"]
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation
    }
    for name, body in request_bodies.items():
        assert body.get("required") is True, name
        ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        assert components[ref].get("additionalProperties") is False, ref
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/persons"]["get"]["parameters"]
    }
    assert parameters["page"]["minimum"] == 1
    assert parameters["page_size"]["minimum"] == 1 and parameters["page_size"]["maximum"] == 200
    assert parameters["level"]["minimum"] == 0
    identity = components["IdentityInput"]["properties"]
    for field in ("given_names", "family_name"):
        assert identity[field]["minLength"] == 1 and "letter" in identity[field]["description"]
    assert components["RevealInput"]["properties"]["purpose"]["minLength"] == 1
    assert components["WithdrawalInput"]["properties"]["reason"]["minLength"] == 1
    assert components["CorrectionInput"]["minProperties"] == 1
    informed, not_informed = components["InformedInput"]["oneOf"]
    assert set(informed["required"]) == {"informed", "informed_on", "who"}
    assert set(not_informed["required"]) == {"informed", "reason_not"}
    assess = components["AssessInput"]["properties"]
    assert assess["as_of"]["format"] == "date"
    assert all(assess[key]["maxItems"] == 200 for key in ("signals", "unknown", "absent"))
