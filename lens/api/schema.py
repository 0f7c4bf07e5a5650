"""drf-spectacular extensions: how ApiTokenAuthentication appears in the OpenAPI schema,
and what request serializers refuse beyond their fields. Imported by ApiConfig.ready()."""

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension
from rest_framework import serializers


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "lens.api.auth.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Token <token>`. Tokens are issued per organisation's system with "
                "`lens apiclient create`."
            ),
        }


def add_retry_after(result, generator, request, public):
    """SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]: every 429 names its Retry-After header
    (drf-spectacular's OpenApiResponse has no headers of its own)."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            response = (
                operation.get("responses", {}).get("429") if isinstance(operation, dict) else None
            )
            if response is not None:
                response["headers"] = {
                    "Retry-After": {
                        "description": "Seconds to wait before the client's budget allows "
                        "this operation again.",
                        "schema": {"type": "integer", "minimum": 1},
                    }
                }
    return result


class RequestSchema(OpenApiSerializerExtension):
    """A serializer's own `schema_extra` (additionalProperties, minProperties, oneOf: what
    the serializer or the action refuses and OpenAPI can say) merged into its schema."""

    target_class = serializers.Serializer
    match_subclasses = True

    @classmethod
    def _matches(cls, target) -> bool:
        return super()._matches(target) and hasattr(target, "schema_extra")

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_basic_serializer(self.target, direction)
        return {**schema, **self.target.schema_extra}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, with every request body required: each POST of the API refuses
    one without a body (a correction too, though each of its fields is optional)."""

    def _get_request_body(self, direction="request"):
        request_body = super()._get_request_body(direction)
        if request_body:
            request_body["required"] = True
        return request_body
