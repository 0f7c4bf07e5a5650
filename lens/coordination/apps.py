from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "lens.coordination"
    label = "coordination"
    verbose_name = "Regie"

    def ready(self) -> None:
        # The region's need-to-know scope is coordination's to define; the one access
        # policy asks it through lens.access.scopes.
        from lens.access import scopes
        from lens.coordination.scope import RegionScope

        scopes.contribute_region_scope(RegionScope())
