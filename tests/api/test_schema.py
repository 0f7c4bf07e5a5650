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
