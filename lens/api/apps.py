from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lens.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from lens.api import schema  # noqa: F401  (registers the schema extension)
