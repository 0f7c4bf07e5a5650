from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "lens.retention"
    label = "retention"
    verbose_name = "Bewaartermijnen"
