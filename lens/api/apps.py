from django.apps import AppConfig
from django.db.models.signals import post_migrate


def create_cache_table(sender, using: str = "default", verbosity: int = 1, **kwargs) -> None:
    """`lens migrate` also makes the database cache's table (settings.CACHES without
    CACHE_URL; it holds the API's throttle counts), so that a fresh install needs no
    separate `lens createcachetable`. Does nothing when the table exists or no cache
    uses the database."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=verbosity)


class ApiConfig(AppConfig):
    name = "lens.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from lens.api import schema  # noqa: F401  (registers the schema extension)

        post_migrate.connect(create_cache_table, sender=self)
