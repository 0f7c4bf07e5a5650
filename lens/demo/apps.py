from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lens.demo"
    label = "demo"
    verbose_name = "Demo"
