from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lens.core"
    label = "core"
    verbose_name = "Uitbuitingslens"
