"""Keeping the local picture's aggregates current (docs/design/insight.md, "Maintained
aggregates"): per person (the cluster) its *facts*, one per current registration (where,
which month, which organisation type, how many signals, the record's level, the indicators,
leefgebieden and phenomena), and from them the cells the person is in. A change recomputes
the facts of the clusters involved (before and after a link or an unlink) and applies the
difference to the cells: a person leaving a cell is -1 and minus their record key.

Cells of a closed period (ClosedPeriod) are never changed here: they stay as published.

The cell kinds of one slice (region, area, period, organisation type):
  n             the persons (and the sum of their signals)
  p             the persons with a known municipality ("Wat zie ik nog niet?" needs ten)
  i:<code>, i*  per indicator; with at least one indicator
  d:<code>, d*  per leefgebied; with at least one
  l:<level>     by the highest latest level of their records in the slice
  pp:<a>+<b>    indicator pairs (codes in alphabetical order); pp*: two indicators or more
  f:<p>/<i>     phenomenon x indicator; f*:<p>, fi:<i>, f**: its margins
The pair and phenomenon kinds only in the slices lens.picture.cooccurrence.answered
covers (all organisation types; all periods or a year).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from itertools import combinations

from django.db import connection, transaction
from django.db.models import OuterRef

from lens.catalogue import services
from lens.data.coordination import cluster_key, in_clusters
from lens.data.registry import Person, PersonOutcome, Registration
from lens.insight import disclosure
from lens.insight.areas import area_region, areas
from lens.rules.model import Catalogue

from . import cooccurrence, upsert
from .keys import secret
from .models import ClosedPeriod, PictureCell, PictureMember, PictureState

REGION = "*"  # the area of a whole region's cells
MODULUS = disclosure.KEY_MODULUS
type CellId = tuple[str, str, str, str, str]  # region, area, period, organisation type, kind
type Delta = dict[CellId, list[int]]  # persons, cell key, signals


def areas_of(municipality: str, wijk: str, organisation_region: str) -> tuple[str, list[str]]:
    """The region (catalogue/areas code) and the area keys a registration counts in, or
    ("", []) when its municipality is in none of the regions."""
    table = areas()
    if not municipality:
        return area_region(organisation_region), [REGION, ""]
    found = table.municipalities.get(municipality)
    if found is None:
        return "", []
    district = table.districts.get(wijk)
    wijk = wijk if district and district.municipality_code == municipality else ""
    return found.region, [REGION, municipality, f"{municipality}/{wijk}"]


def periods_of(month: str) -> list[str]:
    year, number = month[:4], int(month[5:7])
    return ["", year, f"{year}-Q{(number - 1) // 3 + 1}", month]


def facts_of(rows: Iterable[dict], levels: dict[int, int], catalogue: Catalogue) -> list[list]:
    """One fact per registration row: [region, areas, month, organisation type, signals,
    level, placed, indicators, leefgebieden, phenomena] (codes sorted)."""
    found = []
    known_phenomena = set(catalogue.phenomena)
    for row in rows:
        region, where = areas_of(
            row["municipality_code"], row["wijk_code"], row["organisation__region"]
        )
        if not where:
            continue
        indicators: set[str] = set()
        domains: set[str] = set()
        # Retired codes as what replaced them; a code unknown to the catalogue still
        # counts as a signal (as before), under no indicator.
        codes = catalogue.current_codes(row["signals"] or ())
        for code in codes.signals:
            signal = catalogue.signals[code]
            indicators.update(signal.indicators)
            domains.update(signal.life_domains)
        day = row["observed_on"]
        found.append(
            [
                region,
                where,
                f"{day.year}-{day.month:02d}",
                row["organisation__organisation_type"],
                len(codes.signals) + len(codes.dropped),
                levels.get(row["person_id"]) or 0,
                int(bool(row["municipality_code"])),
                sorted(indicators),
                sorted(domains),
                sorted(set(row["phenomena"] or ()) & known_phenomena),
            ]
        )
    return sorted(found)


def slices_of(facts: list[list]) -> dict[tuple, tuple]:
    """The slices (region, area, period, organisation type) a person with these facts is
    in, each with what decides its cells: (signals, level, placed, indicators,
    leefgebieden, phenomena)."""
    slices: dict[tuple, list] = {}
    for region, where, month, kind, signals, level, placed, inds, doms, phs in facts:
        for area in where:
            for period in periods_of(month):
                for org_type in ("", kind):
                    at = slices.setdefault(
                        (region, area, period, org_type), [0, 0, 0, set(), set(), set()]
                    )
                    at[0] += signals
                    at[1] = max(at[1], level)
                    at[2] |= placed
                    at[3].update(inds)
                    at[4].update(doms)
                    at[5].update(phs)
    return {
        at: (signals, level, placed, frozenset(inds), frozenset(doms), frozenset(phs))
        for at, (signals, level, placed, inds, doms, phs) in slices.items()
    }


def cells_of(slices: dict[tuple, tuple]) -> dict[CellId, int]:
    """The cells of these slices (`slices_of`), with the signals the person adds there."""
    cells: dict[CellId, int] = {}
    for (region, area, period, org_type), (
        signals,
        level,
        placed,
        inds,
        doms,
        phs,
    ) in slices.items():
        together = cooccurrence.answered(period, org_type)
        for kind in kinds(level, placed, inds, doms, phs, together):
            cells[(region, area, period, org_type, kind)] = signals if kind == "n" else 0
    return cells


def contributions(facts: list[list]) -> dict[CellId, int]:
    """The cells a person with these facts is in, with the signals they add there."""
    return cells_of(slices_of(facts))


def kinds(
    level: int, placed: int, inds: set, doms: set, phs: set, together: bool = True
) -> list[str]:
    found = ["n", f"l:{level}"]
    if placed:
        found.append("p")
    if inds:
        found += ["i*", *(f"i:{i}" for i in inds)]
    if doms:
        found += ["d*", *(f"d:{d}" for d in doms)]
    if not together:
        return found
    if len(inds) > 1:
        found += ["pp*", *(f"pp:{a}+{b}" for a, b in combinations(sorted(inds), 2))]
    if inds and phs:
        found += ["f**", *(f"f*:{p}" for p in phs), *(f"fi:{i}" for i in inds)]
        found += [f"f:{p}/{i}" for p in phs for i in inds]
    return found


def _add(delta: Delta, cluster: int, facts: list[list], sign: int, key: bytes) -> None:
    _add_cells(delta, disclosure.record_key(cluster, key), contributions(facts), sign)


def _add_cells(delta: Delta, record: int, cells: dict[CellId, int], sign: int) -> None:
    for cell, signals in cells.items():
        at = delta.setdefault(cell, [0, 0, 0])
        at[0] += sign
        at[1] = (at[1] + sign * record) % MODULUS
        at[2] += sign * signals


def _replace(delta: Delta, cluster: int, old: list[list], new: list[list], key: bytes) -> None:
    """`_add(old, -1)` and `_add(new, +1)` of one cluster, drawn only for the slices whose
    content differs: a slice the change left alone adds the same cells once with each
    sign, which cancel out. (A new registration of May touches the slices of May, its
    quarter, its year and all periods, in its areas; not the person's other months.)"""
    before, after = slices_of(old), slices_of(new)
    changed = {s for s in before.keys() | after.keys() if before.get(s) != after.get(s)}
    if not changed:
        return
    record = disclosure.record_key(cluster, key)
    _add_cells(delta, record, cells_of({s: before[s] for s in changed if s in before}), -1)
    _add_cells(delta, record, cells_of({s: after[s] for s in changed if s in after}), +1)


# The registration columns `facts_of` reads (here and in lens.picture.bulk).
FACT_FIELDS = (
    "person_id",
    "organisation__organisation_type",
    "organisation__region",
    "municipality_code",
    "wijk_code",
    "observed_on",
    "signals",
    "phenomena",
)


def latest_levels(persons) -> dict[int, int]:
    """Record pk -> the level of its latest outcome (None without one), one query."""
    return dict(
        persons.annotate(level=PersonOutcome.objects.latest_value("level")).values_list(
            "pk", "level"
        )
    )


def _facts_by_cluster(members: dict[int, int], catalogue: Catalogue) -> dict[int, list[list]]:
    """Cluster id -> facts, from the current registrations of the records in `members`
    (record pk -> cluster id), each with its record's latest level; one query."""
    pks = sorted(members)
    latest = PersonOutcome.objects.latest_value("level", person=OuterRef("person_id"))
    rows = list(
        Registration.objects.current()
        .filter(person_id__in=pks)
        .annotate(latest_level=latest)
        .values(*FACT_FIELDS, "latest_level")
        .order_by()
    )
    levels = {r["person_id"]: r["latest_level"] for r in rows}
    grouped: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[members[row["person_id"]]].append(row)
    return {cluster: facts_of(found, levels, catalogue) for cluster, found in grouped.items()}


def refresh(person_ids: Iterable[int], catalogue: Catalogue | None = None) -> None:
    """Bring the cells of the clusters of these records up to date: the clusters they were
    counted in (PictureMember) and the ones they are in now (ClusterMember). In the
    caller's transaction; the records are locked in pk order, as coordination's renumber
    does, so two changes to one cluster are applied one after the other."""
    seeds = {int(pk) for pk in person_ids}
    if not seeds:
        return
    catalogue = catalogue or services.active()[0]
    # No savepoint of its own: a failure here fails the caller's whole write.
    with transaction.atomic(savepoint=False):
        records, counted = set(seeds), {}
        while True:
            # The clusters the records are counted in, with every record counted there.
            counted = dict(
                PictureMember.objects.filter(
                    cluster_id__in=PictureMember.objects.filter(person_id__in=records).values(
                        "cluster_id"
                    )
                ).values_list("person_id", "cluster_id")
            )
            records |= set(counted)
            keys = Person.objects.filter(pk__in=records).annotate(k=cluster_key()).values("k")
            now = Person.objects.filter(pk__in=in_clusters(keys)).annotate(k=cluster_key())
            members = dict(now.values_list("pk", "k"))
            if set(members) <= records:
                break
            records |= set(members)
        if connection.features.has_select_for_update:  # SQLite: the transaction locks
            locked = Person.objects.select_for_update().filter(pk__in=records).order_by("pk")
            list(locked.values("pk"))
        key = secret()
        delta: Delta = {}
        old = set(counted.values())
        before = dict(
            PictureState.objects.filter(cluster_id__in=old).values_list("cluster_id", "slices")
        )
        fresh = _facts_by_cluster(members, catalogue)
        for cluster, facts in before.items():
            if cluster in fresh:
                _replace(delta, cluster, facts, fresh[cluster], key)
            else:
                _add(delta, cluster, facts, -1, key)
        for cluster, facts in fresh.items():
            if cluster not in before:
                _add(delta, cluster, facts, +1, key)
        _store_states(before, fresh)
        now_counted = {m: c for m, c in members.items() if c in fresh}
        if now_counted != counted:
            PictureMember.objects.filter(person_id__in=records).delete()
            PictureMember.objects.bulk_create(
                PictureMember(person_id=pk, cluster_id=now_counted[pk])
                for pk in sorted(now_counted)
            )
        if delta:
            apply(delta, closed_periods())


def _store_states(before: dict[int, list[list]], fresh: dict[int, list[list]]) -> None:
    """The clusters' PictureState rows as `fresh` has them: removed for a cluster that is
    gone, replaced where its facts changed, added for a new one."""
    gone = set(before) - set(fresh)
    if gone:
        PictureState.objects.filter(cluster_id__in=gone).delete()
    for cluster, facts in fresh.items():
        if cluster in before and before[cluster] != facts:
            PictureState.objects.filter(cluster_id=cluster).update(slices=facts)
    PictureState.objects.bulk_create(
        PictureState(cluster_id=cluster, slices=facts)
        for cluster, facts in fresh.items()
        if cluster not in before
    )


def closed_periods() -> set[str]:
    return set(ClosedPeriod.objects.values_list("period", flat=True))


def apply(delta: Delta, closed: set[str], batch: int = 500) -> int:
    """Add the delta to the cells (an upsert that adds), except those of closed periods.
    Returns the number of cells written. (A rebuild inserts fresh cells with
    lens.picture.bulk instead.)"""
    rows = [
        (*cell, persons, key, signals)
        for cell, (persons, key, signals) in delta.items()
        if cell[2] not in closed and (persons or key or signals)
    ]
    upsert.add(rows, batch)
    return len(rows)


def recount(
    catalogue: Catalogue | None = None,
    batch: int = 5000,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[dict[int, list[list]], Delta]:
    """Everything from scratch: the facts of every cluster and the cells they make (the
    state `rebuild` writes, and the oracle of the property test)."""
    catalogue = catalogue or services.active()[0]
    with_rows = Registration.objects.current().values("person_id")
    members = dict(
        Person.objects.filter(pk__in=with_rows).annotate(k=cluster_key()).values_list("pk", "k")
    )
    by_cluster: dict[int, list[int]] = defaultdict(list)
    for pk, cluster in members.items():
        by_cluster[cluster].append(pk)
    clusters = sorted(by_cluster)
    facts: dict[int, list[list]] = {}
    delta: Delta = {}
    key = secret()
    for start in range(0, len(clusters), batch):
        part = {pk: c for c in clusters[start : start + batch] for pk in by_cluster[c]}
        for cluster, found in _facts_by_cluster(part, catalogue).items():
            facts[cluster] = found
            _add(delta, cluster, found, +1, key)
        if progress:
            progress(min(start + batch, len(clusters)), len(clusters))
    return facts, delta


def stored_cells() -> Delta:
    """The cells as stored, without the empty ones (for comparing with `recount`)."""
    found: Delta = {}
    for c in PictureCell.objects.all():
        if c.persons or c.cell_key or c.signals:
            found[(c.region, c.area, c.period, c.organisation_type, c.kind)] = [
                c.persons,
                c.cell_key,
                c.signals,
            ]
    return found
