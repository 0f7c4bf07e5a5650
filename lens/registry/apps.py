from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "lens.registry"
    label = "registry"
    verbose_name = "Registratie"
