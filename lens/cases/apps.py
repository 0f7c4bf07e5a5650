from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lens.cases"
    label = "cases"
    verbose_name = "Casussen"
