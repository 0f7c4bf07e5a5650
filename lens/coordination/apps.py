from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "lens.coordination"
    label = "coordination"
    verbose_name = "Regie"
