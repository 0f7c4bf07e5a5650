from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "lens.catalogue"
    label = "catalogue"
    verbose_name = "Catalogus"
