from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "lens.access"
    label = "access"
    verbose_name = "Toegang"
