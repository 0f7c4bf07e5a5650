"""The hook through which writes keep the local picture's maintained aggregates current.

The registry (registrations, corrections, withdrawals, outcomes) and coordination (links
made, confirmed, rejected, reopened) change what the picture counts, but the layers keep
them from importing lens.picture. So lens.picture contributes its maintenance here when
Django starts (lens.picture.apps), as coordination contributes the region scope to
lens.access.scopes; the writers call `changed` explicitly, inside their own transaction
(lens.picture only marks the records there and catches up before a read).
Without a contributed maintainer the call refuses: a picture silently out of date would
publish wrong figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured

from lens.rules.model import Catalogue

type Maintainer = Callable[[Iterable[int], Catalogue | None], None]
type Rebuilder = Callable[[], object]

_maintainer: Maintainer | None = None
_rebuilder: Rebuilder | None = None


def contribute(maintainer: Maintainer, rebuilder: Rebuilder | None = None) -> None:
    global _maintainer, _rebuilder
    _maintainer = maintainer
    _rebuilder = rebuilder


def changed(person_ids: Iterable[int], catalogue: Catalogue | None = None) -> None:
    """The registrations or links of these records changed: the aggregates of their
    clusters (before and after the change) are to be brought up to date. In the caller's
    transaction; lens.picture marks the records pending there (one insert) and applies
    the marks before the picture is read (lens.picture.pending).
    `catalogue`: the active one, when the caller has it already."""
    if _maintainer is None:
        raise ImproperlyConfigured(
            "No picture maintainer contributed: lens.picture must be in INSTALLED_APPS."
        )
    _maintainer(person_ids, catalogue)


def rebuild() -> None:
    """Recompute every aggregate from the current data, set-based: for a write that
    changed too many records to bring up to date one cluster at a time (the bulk
    recompute of every outcome)."""
    if _rebuilder is None:
        raise ImproperlyConfigured(
            "No picture rebuilder contributed: lens.picture must be in INSTALLED_APPS."
        )
    _rebuilder()
