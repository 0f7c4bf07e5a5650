from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the application: the production server, the task worker, backups."""

    name = "lens.ops"
    label = "ops"
    verbose_name = "Beheer van de installatie"
