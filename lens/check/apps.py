from django.apps import AppConfig


class CheckConfig(AppConfig):
    name = "lens.check"
    label = "check"
