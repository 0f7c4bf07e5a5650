"""The local picture's maintained aggregates (docs/design/insight.md, "Maintained
aggregates"): per person (the cluster) the slices they fall in, and per cell the count of
distinct persons with their cell key (the sum of their record keys, for the disclosure's
noise) and the plain sum of their signals. A registration, correction, withdrawal, link
decision or re-scoring only marks its records pending (PicturePending) in its own
transaction; lens.picture.pending applies the marks with lens.picture.maintain, many
clusters at once, before the cells are read (lens.picture.cells) or from `lens picture
catch-up`. No person data: cluster ids and record pks only.
"""

from __future__ import annotations

from django.db import models


class PictureState(models.Model):
    """One person (a cluster of linked records) as the cells count them now: `slices` is a
    list of [region, area, period, organisation type, signals, [cell kinds]], exactly what
    the person adds to the cells; a change subtracts the old list and adds the new one."""

    cluster_id = models.BigIntegerField(primary_key=True)
    slices = models.JSONField(default=list)

    class Meta:
        app_label = "picture"

    def __str__(self) -> str:
        return f"picture state of cluster {self.cluster_id}"


class PictureMember(models.Model):
    """Under which cluster the picture counts a record now: after a link or an unlink the
    clusters it was counted in are taken out before the new ones are added."""

    person_id = models.BigIntegerField(primary_key=True)
    cluster_id = models.BigIntegerField(db_index=True)

    class Meta:
        app_label = "picture"

    def __str__(self) -> str:
        return f"{self.person_id} counted in {self.cluster_id}"


class PictureCell(models.Model):
    """Distinct persons (and their signals) in one cell: region (catalogue/areas code),
    area ("" the region; a municipality code or "" unknown; "GM0855/WK085501" a wijk or
    "GM0855/" unknown wijk), period ("" all, "2026", "2026-Q3", "2026-09"), organisation
    type ("" all) and kind ("n" persons, "i:<indicator>", "l:<level>", ...; see
    lens.picture.maintain.kinds)."""

    region = models.CharField(max_length=64)
    area = models.CharField(max_length=20)
    period = models.CharField(max_length=7)
    organisation_type = models.CharField(max_length=64)
    kind = models.CharField(max_length=140)
    persons = models.IntegerField(default=0)
    cell_key = models.BigIntegerField(default=0)  # sum of record keys modulo 2**32
    signals = models.BigIntegerField(default=0)

    class Meta:
        app_label = "picture"
        constraints = [
            models.UniqueConstraint(
                fields=["region", "area", "period", "organisation_type", "kind"],
                name="picturecell_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region}/{self.area}/{self.period}/{self.organisation_type}/{self.kind}"


class PicturePending(models.Model):
    """A record whose registrations or links changed since the cells last counted it: the
    outbox of the writes (lens.picture.pending). Insert only, one row per record and write
    (no upsert, so a write never waits on a catch-up that is applying the same record); a
    catch-up applies the records of the rows it read and deletes exactly those rows, so a
    mark made meanwhile stays for the next one. No foreign key: an erased record's mark
    outlives it until applied."""

    id = models.BigAutoField(primary_key=True)
    person_id = models.BigIntegerField()

    class Meta:
        app_label = "picture"

    def __str__(self) -> str:
        return f"{self.person_id} pending"


class ClosedPeriod(models.Model):
    """A period whose cells are frozen as published: later withdrawals, retention or a
    catalogue change no longer alter them (issue 11 §2). Closed by `lens picture close`."""

    period = models.CharField(max_length=7, primary_key=True)
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "picture"

    def __str__(self) -> str:
        return f"{self.period} (closed {self.closed_at:%Y-%m-%d})"


class KeptView(models.Model):
    """The published figures of one view (scope and filters) of a closed period, stored
    when it is first read and then returned as they are (lens.picture.kept): late
    registrations, withdrawals, corrections, link changes, retention and catalogue changes
    no longer alter them. Published (suppressed) values and codes only, no person data."""

    view = models.CharField(max_length=400, primary_key=True)
    period = models.CharField(max_length=7, db_index=True)
    figures = models.JSONField()
    kept_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "picture"

    def __str__(self) -> str:
        return f"{self.view} (kept {self.kept_at:%Y-%m-%d})"
