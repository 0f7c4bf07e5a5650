from django.apps import AppConfig


class PictureConfig(AppConfig):
    name = "lens.picture"
    label = "picture"
    verbose_name = "Local picture"
