from django.apps import AppConfig


def recompute_after_load(sender, **kwargs) -> bool:
    """After `lens catalogue load`: enqueue the recompute of outcomes computed with other
    versions; whether it did (the command says so)."""
    from lens.registry.tasks import enqueue_recompute_if_needed

    return enqueue_recompute_if_needed()


class RegistryConfig(AppConfig):
    name = "lens.registry"
    label = "registry"
    verbose_name = "Registratie"

    def ready(self) -> None:
        from lens.catalogue import services

        services.versions_loaded.connect(recompute_after_load, dispatch_uid="registry-recompute")
