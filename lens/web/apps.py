from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "lens.web"
    label = "web"
    verbose_name = "Pagina's"
