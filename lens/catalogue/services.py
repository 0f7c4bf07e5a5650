"""Store catalogue and ruleset versions, and read the active ones.

Every write to CatalogueVersion and RulesetVersion goes through `store` (which
`load_from_files` calls after validating the files).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.dispatch import Signal

from lens.catalogue import loader
from lens.catalogue.models import CatalogueVersion, RulesetVersion, Version
from lens.rules.model import Catalogue, Ruleset

# Sent by `lens catalogue load` after it stored the files' versions (new or not). The
# layers above the catalogue listen here instead of being imported by it: the registry
# enqueues the recompute of stale stored outcomes and answers True when it did.
versions_loaded = Signal()


class NoCatalogueLoaded(Exception):
    """No active catalogue or ruleset in the database yet."""

    def __init__(self) -> None:
        super().__init__(
            "Er is geen catalogus geladen. Laad hem met `lens catalogue load` "
            "(of `python -m django catalogue load`)."
        )


@dataclass(frozen=True)
class Stored:
    """One stored version and what loading did to it."""

    row: CatalogueVersion | RulesetVersion
    status: Literal["new", "reactivated", "unchanged"]


def load_from_files(
    directory: Path | str | None = None,
) -> tuple[CatalogueVersion, RulesetVersion, bool]:
    """Validate the catalogue and ruleset files and make them the active versions.

    Returns both rows and whether a new row was stored. Raises loader.CatalogueInvalid
    on bad files, storing nothing. See `store` for what happens to known content.
    """
    catalogue, ruleset = store(loader.load_directory(Path(directory or settings.CATALOGUE_DIR)))
    created = "new" in (catalogue.status, ruleset.status)
    return catalogue.row, ruleset.row, created  # type: ignore[return-value]


@transaction.atomic
def store(
    loaded: loader.Loaded, on_stored: Callable[[tuple[Stored, Stored]], object] | None = None
) -> tuple[Stored, Stored]:
    """Store a validated catalogue and ruleset and make them active, in one transaction.

    Content that is already stored (same version, so same digest) adds no row: when it
    is the active version nothing changes, when it is an older one that row becomes
    active again. Rows are never deleted: stored outcomes name the version they used.

    `on_stored` is called with the result inside the same transaction, before it
    commits: `lens catalogue load` (lens.ops) writes its audit record there, which this
    layer may not import. When it raises, nothing is stored.
    """
    catalogue = _store(
        CatalogueVersion,
        loaded.catalogue.version,
        loaded.catalogue_digest,
        loader.catalogue_to_dict(loaded.catalogue),
    )
    ruleset = _store(
        RulesetVersion,
        loaded.ruleset.version,
        loaded.ruleset_digest,
        loader.ruleset_to_dict(loaded.ruleset),
    )
    if on_stored is not None:
        on_stored((catalogue, ruleset))
    return catalogue, ruleset


def _store(model: type[Version], version: str, digest: str, snapshot: dict) -> Stored:
    row, created = model.objects.get_or_create(
        version=version, defaults={"digest": digest, "snapshot": snapshot}
    )
    if row.is_active:
        return Stored(row, "unchanged")
    # Deactivate first: the database allows one active row at a time.
    model.objects.filter(is_active=True).update(is_active=False)
    row.is_active = True
    row.save(update_fields=["is_active"])
    return Stored(row, "new" if created else "reactivated")


# The active pair, rebuilt only when another version becomes active. The key is the two
# versions, not the row ids: a version names its content (it ends in the content's
# digest), while an id can be handed out again after a rollback (SQLite, as in tests) or
# differ between databases holding the same content. Each call asks the database which
# versions are active (one small query, written out so that no ORM query is built: that
# cost 1.5 ms a call), so a `lens catalogue load` in another process is seen at once.
_cache: tuple[tuple, tuple[Catalogue, Ruleset]] | None = None


def active() -> tuple[Catalogue, Ruleset]:
    """The active catalogue and ruleset; raises NoCatalogueLoaded when there is none."""
    global _cache
    key = _active_versions()
    if key is None:
        raise NoCatalogueLoaded
    cached = _cache
    if cached is not None and cached[0] == (key[1], key[3]):
        return cached[1]
    catalogue_snapshot = CatalogueVersion.objects.values_list("snapshot", flat=True).get(pk=key[0])
    ruleset_snapshot = RulesetVersion.objects.values_list("snapshot", flat=True).get(pk=key[2])
    value = (
        loader.catalogue_from_dict(catalogue_snapshot),
        loader.ruleset_from_dict(ruleset_snapshot),
    )
    _cache = ((key[1], key[3]), value)
    return value


def versions(catalogue_version: str, ruleset_version: str) -> tuple[Catalogue, Ruleset]:
    """The stored catalogue and ruleset of these versions: the active pair when they are
    the active ones, else read from their stored snapshots (to draw an outcome again with
    the versions it was computed with, lens.data.queries.outcome_document). Raises
    NoCatalogueLoaded when either is not stored. No query once read: a version names its
    content, so a pair read before (or the cached active pair) stays right."""
    key = (catalogue_version, ruleset_version)
    cached = _cache
    if cached is not None and cached[0] == key:
        return cached[1]
    found = _others.get(key)
    if found is None:
        try:
            stored_catalogue = CatalogueVersion.objects.get(version=catalogue_version).snapshot
            stored_ruleset = RulesetVersion.objects.get(version=ruleset_version).snapshot
        except (CatalogueVersion.DoesNotExist, RulesetVersion.DoesNotExist):
            raise NoCatalogueLoaded from None
        found = (
            loader.catalogue_from_dict(stored_catalogue),
            loader.ruleset_from_dict(stored_ruleset),
        )
        if len(_others) >= 8:  # a version names its content: any entry stays right
            _others.clear()
        _others[key] = found
    return found


_others: dict[tuple[str, str], tuple[Catalogue, Ruleset]] = {}


def is_loaded() -> bool:
    """Whether an active catalogue and ruleset are loaded: one query, nothing built (the
    readiness probe, lens/urls.py)."""
    return _active_versions() is not None


def _active_versions() -> tuple[int, str, int, str] | None:
    """(catalogue id, catalogue version, ruleset id, ruleset version) of the active pair,
    or None unless both are loaded."""
    quote = connection.ops.quote_name
    catalogues = quote(CatalogueVersion._meta.db_table)
    rulesets = quote(RulesetVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, c.version, r.id, r.version FROM {catalogues} c, {rulesets} r "
            "WHERE c.is_active = %s AND r.is_active = %s",
            [True, True],
        )
        return cursor.fetchone()


def active_or_files() -> tuple[Catalogue, Ruleset]:
    """The active catalogue and ruleset from the database, or, when none is loaded or
    there is no database (yet), read from the files in settings.CATALOGUE_DIR: for the
    engine alone (`lens assess`), which stores nothing. Raises loader.CatalogueInvalid
    when it has to read the files and they are invalid."""
    if _database_exists():
        try:
            return active()
        except (NoCatalogueLoaded, DatabaseError):
            pass  # e.g. no tables yet: `lens migrate` was never run
    loaded = loader.load_directory(Path(settings.CATALOGUE_DIR))
    return loaded.catalogue, loaded.ruleset


def _database_exists() -> bool:
    """False for an embedded SQLite database whose file is not there: opening it would
    create an empty file."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return True
    name = str(database["NAME"])
    return name == ":memory:" or "mode=memory" in name or Path(name).exists()


def region_label(code: str, language: str) -> str:
    """A region's name in `language` from the active catalogue; the code itself when no
    catalogue is loaded or the catalogue does not know the region."""
    try:
        catalogue, _ruleset = active()
    except NoCatalogueLoaded:
        return code
    region = catalogue.regions.get(code)
    return region.label.get(language) if region else code
