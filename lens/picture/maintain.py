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

from lens.catalogue import services
from lens.data.coordination import cluster_key
from lens.data.registry import Person, PersonOutcome, Registration
from lens.insight import disclosure
from lens.insight.areas import area_region, areas
from lens.rules.model import Catalogue

from . import cooccurrence
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


def contributions(facts: list[list]) -> dict[CellId, int]:
    """The cells a person with these facts is in, with the signals they add there."""
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
    record = disclosure.record_key(cluster, key)
    for cell, signals in contributions(facts).items():
        at = delta.setdefault(cell, [0, 0, 0])
        at[0] += sign
        at[1] = (at[1] + sign * record) % MODULUS
        at[2] += sign * signals


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
    (record pk -> cluster id); two queries."""
    pks = sorted(members)
    rows = list(
        Registration.objects.current().filter(person_id__in=pks).values(*FACT_FIELDS).order_by()
    )
    levels = latest_levels(Person.objects.filter(pk__in={r["person_id"] for r in rows} or [0]))
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
    with transaction.atomic():
        records, old = set(seeds), set()
        while True:
            more = set(
                PictureMember.objects.filter(person_id__in=records).values_list(
                    "cluster_id", flat=True
                )
            )
            records |= set(
                PictureMember.objects.filter(cluster_id__in=more - old).values_list(
                    "person_id", flat=True
                )
            )
            old |= more
            now = Person.objects.annotate(k=cluster_key()).filter(
                k__in=Person.objects.filter(pk__in=records).annotate(k=cluster_key()).values("k")
            )
            members = dict(now.values_list("pk", "k"))
            if set(members) <= records:
                break
            records |= set(members)
        list(Person.objects.select_for_update().filter(pk__in=records).order_by("pk").values("pk"))
        key = secret()
        delta: Delta = {}
        stale = PictureState.objects.filter(cluster_id__in=old)
        for state in stale:
            _add(delta, state.cluster_id, state.slices, -1, key)
        stale.delete()
        PictureMember.objects.filter(person_id__in=records).delete()
        fresh = _facts_by_cluster(members, catalogue)
        for cluster, facts in fresh.items():
            _add(delta, cluster, facts, +1, key)
        PictureState.objects.bulk_create(
            PictureState(cluster_id=cluster, slices=facts) for cluster, facts in fresh.items()
        )
        counted = {m for m, c in members.items() if c in fresh}
        PictureMember.objects.bulk_create(
            PictureMember(person_id=pk, cluster_id=members[pk]) for pk in sorted(counted)
        )
        apply(delta, closed_periods())


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
    table = PictureCell._meta.db_table
    columns = "region, area, period, organisation_type, kind, persons, cell_key, signals"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values} "
                "ON CONFLICT (region, area, period, organisation_type, kind) DO UPDATE SET "
                f"persons = {table}.persons + excluded.persons, "
                f"cell_key = ({table}.cell_key + excluded.cell_key) %% {MODULUS}, "
                f"signals = {table}.signals + excluded.signals",
                [value for row in chunk for value in row],
            )
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
