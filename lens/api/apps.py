from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lens.api"
    label = "api"
    verbose_name = "API"
