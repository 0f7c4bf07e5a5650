"""drf-spectacular extension: how ApiTokenAuthentication appears in the OpenAPI schema.
Imported by ApiConfig.ready()."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
