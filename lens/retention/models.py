"""What retention leaves behind: a tombstone per deleted record.

A tombstone says that a record existed and was deleted, when, and by which rule: its kind
and its former id, never its content (no name, no pseudonym, no signal). Together with the
access log (which keeps its entry for the deletion, lens.access.log) it lets a privacy
officer see that the rules were applied, without keeping what they were meant to remove.
"""

from django.db import models


class Tombstone(models.Model):
    kind = models.CharField(max_length=32)  # e.g. "registration", see lens.retention.erase.KINDS
    record_id = models.BigIntegerField()
    rule = models.CharField(max_length=32)  # e.g. "inactive_person", see lens.retention.rules
    deleted_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["kind", "record_id"])]

    def __str__(self) -> str:
        return f"{self.deleted_at:%Y-%m-%d} {self.kind} {self.record_id} ({self.rule})"
