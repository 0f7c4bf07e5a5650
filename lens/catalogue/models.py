"""Loaded versions of the catalogue and the ruleset.

Each load of changed files adds a row holding a JSON snapshot of the validated content;
rows are never changed except for which one is active. Stored registrations and outcomes
name the version they were made with, so the snapshot of that version must stay.
Writes go through `lens.catalogue.services`.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Version(models.Model):
    # Declared version plus the first 8 hex digits of the content digest, e.g.
    # "2026.11-3f2a9c1b": unique, so the same content is never stored twice.
    version = models.CharField(max_length=64, unique=True)
    digest = models.CharField(max_length=64, help_text="sha256 of the data files (hex)")
    snapshot = models.JSONField(help_text="The validated content (loader.*_to_dict).")
    loaded_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=False)

    class Meta:
        abstract = True
        ordering = ["-loaded_at", "-id"]
        constraints = [
            # At most one active version: the database guards it, not only the code.
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="%(app_label)s_%(class)s_one_active",
            )
        ]

    def __str__(self) -> str:
        return self.version + (" (actief)" if self.is_active else "")


class CatalogueVersion(Version):
    class Meta(Version.Meta):
        pass


class RulesetVersion(Version):
    class Meta(Version.Meta):
        pass
