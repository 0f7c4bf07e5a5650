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
