from django.apps import AppConfig


class PictureConfig(AppConfig):
    name = "lens.picture"
    label = "picture"
    verbose_name = "Local picture"

    def ready(self) -> None:
        # The registry and coordination keep the picture's aggregates current through
        # lens.data.aggregates (they may not import lens.picture: the layers).
        from lens.data import aggregates

        # A write only marks its records pending; lens.picture.pending applies the marks
        # before the cells are read (docs/design/insight.md, "Maintained aggregates").
        from lens.picture import bulk, pending

        aggregates.contribute(pending.mark, bulk.rebuild)
