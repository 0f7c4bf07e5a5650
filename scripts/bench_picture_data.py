"""Data and DuckDB queries for scripts/bench_picture.py (synthetic persons only)."""

from __future__ import annotations

import csv
import json
import random
import time
from datetime import date
from pathlib import Path

import bench_db  # beside this file (scripts/ is on the path)

REGIONS = {"midden_brabant": "midden_brabant", "amsterdam_amstelland": "amsterdam"}
LINKED_SHARE = 0.10
BATCH = 5000
REGISTRATION = (  # every column: COPY leaves the others NULL (lens.data.copy)
    "id", "person_id", "organisation_id", "author_id", "observed_on", "how_learned",
    "context_note", "signals", "risk_factors", "catalogue_version", "municipality_code",
    "wijk_code", "pc4", "areas_year", "phenomena", "version", "created_at",
)  # fmt: skip


def months() -> list[date]:
    today = date.today()
    return [
        date(y, m, 1)
        for y in range(today.year - 2, today.year + 1)
        for m in range(1, 13)
        if (y, m) <= (today.year, today.month)
    ]


def generate(catalogue, persons: int, seed: int, raw: Path) -> dict[str, int]:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from lens.data.coordination import ClusterMember
    from lens.data.copy import copy_rows
    from lens.data.registry import Organisation, Person, PersonOutcome, Registration
    from lens.insight.areas import areas

    rng = random.Random(seed)
    user = get_user_model().objects.create(username="bench")
    kinds = list(catalogue.organisation_types)
    orgs = {
        (region, kind): Organisation.objects.create(
            name=f"Bench {region} {kind}",
            organisation_type=kind,
            region=region,
            contact_name="Bench",
            contact_phone="0",
            contact_email="bench@example.org",
        )
        for region in REGIONS.values()
        for kind in kinds
    }
    table = areas()
    places = [
        (m, [d.code for d in table.districts_of(m.code)]) for m in table.municipalities.values()
    ]
    weights = [max(1, len(w)) for _m, w in places]
    signals = sorted(c for c, s in catalogue.signals.items() if not s.check_only)  # as registered
    phenomena = sorted(catalogue.phenomena)
    span = months()
    now = timezone.now()
    next_id = Registration.objects.aggregate(m=Max("id"))["m"] or 0
    counts = {"persons": 0, "records": 0, "registrations": 0, "signals": 0, "rows": 0}
    with raw.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(
            ["cluster", "reg", "org_type", "region", "municipality", "wijk", "day",
             "indicator", "level", "phenomena"]
        )  # fmt: skip
        for start in range(0, persons, BATCH):
            size = min(BATCH, persons - start)
            people = []
            for _ in range(size):
                municipality, wijken = rng.choices(places, weights)[0]
                home = rng.choice(wijken) if wijken and rng.random() < 0.9 else ""
                kind = rng.choice(kinds)
                second = rng.choice(kinds) if rng.random() < LINKED_SHARE else None
                people.append((municipality, home, kind, second))
            with transaction.atomic():
                records, plan = [], []
                for n, (municipality, home, kind, second) in enumerate(people):
                    region = REGIONS[municipality.region]
                    for k in [kind] + ([second] if second else []):
                        records.append(
                            bench_db.synthetic_person(
                                f"B{start + n:07d}{len(records) % 10}", orgs[(region, k)], user
                            )
                        )
                        plan.append((n, municipality, home, k))
                Person.objects.bulk_create(records)
                first = {}
                regs, bench, outcomes, members = [], [], [], []
                for person, (n, municipality, home, k) in zip(records, plan, strict=True):
                    cluster = first.setdefault(n, person.pk)
                    if cluster != person.pk:
                        members += [
                            ClusterMember(person_id=cluster, cluster_id=cluster),
                            ClusterMember(person_id=person.pk, cluster_id=cluster),
                        ]
                    level = rng.randrange(5)
                    outcomes.append(
                        PersonOutcome(
                            person=person,
                            level=level,
                            outcome={},
                            catalogue_version=catalogue.version,
                            ruleset_version="bench",
                        )
                    )
                    for _ in range(1 + min(int(rng.expovariate(1 / 3)), 9)):
                        codes = rng.sample(signals, 1 + min(int(rng.expovariate(1 / 3)), 7))
                        linked = rng.sample(phenomena, 1) if rng.random() < 0.3 else []
                        wijk = (
                            rng.choice(table.districts_of(municipality.code)).code
                            if (home and rng.random() < 0.05)
                            else home
                        )
                        next_id += 1
                        regs.append(
                            (next_id, person.pk, person.organisation_id, user.pk,
                             rng.choice(span).replace(day=rng.randint(1, 28)), "seen_myself",
                             "", json.dumps(codes), "[]", catalogue.version, municipality.code,
                             wijk, "", 2024, json.dumps(linked), 1, now)
                        )  # fmt: skip
                        bench.append((cluster, k, municipality, level, codes, linked))
                ClusterMember.objects.bulk_create(members, ignore_conflicts=True)
                PersonOutcome.objects.bulk_create(outcomes)
                copy_rows(Registration, REGISTRATION, regs)  # COPY on PostgreSQL
                for r, (cluster, k, municipality, level, codes, linked) in zip(
                    regs, bench, strict=True
                ):
                    for code in codes:
                        for indicator in catalogue.signals[code].indicators:
                            out.writerow(
                                [cluster, r[0], k, municipality.region, municipality.code,
                                 r[11], r[4], indicator, level, "|".join(linked)]
                            )  # fmt: skip
                            counts["rows"] += 1
                    counts["signals"] += len(codes)
            counts["persons"] += size
            counts["records"] += len(records)
            counts["registrations"] += len(regs)
    bench_db.reset_sequence(Registration)  # the ids were given here
    return counts


def duckdb_view(db, scope, filters) -> list:
    """The same distinct counts as the page's tables, from the raw rows."""
    from lens.insight.areas import area_region

    where = []
    if scope.municipality:
        where.append(f"municipality = '{scope.municipality}'")
    else:
        where.append(f"region = '{area_region(scope.region)}'")
    by_wijk = bool(scope.municipality or filters.area)
    if filters.area.startswith("GM"):
        where.append(f"municipality = '{filters.area}'")
    elif filters.area:
        where.append(f"wijk = '{filters.area}'")
    if filters.period.bounds:
        start, end = filters.period.bounds
        where.append(f"day >= DATE '{start}' AND day < DATE '{end}'")
    if filters.organisation_type:
        where.append(f"org_type = '{filters.organisation_type}'")
    if filters.outside:
        where.append(f"municipality <> '{filters.outside}'")
    if filters.indicator:  # the registrations with a signal of the indicator
        where.append(f"reg IN (SELECT reg FROM raw WHERE indicator = '{filters.indicator}')")
    area = "wijk" if by_wijk else "municipality"
    column = "strftime(day, '%Y-%m')" if filters.period.code else "year(day)"
    sel = f"WITH sel AS (SELECT * FROM raw WHERE {' AND '.join(where)}) "
    pi = "pi AS (SELECT DISTINCT cluster, indicator FROM sel)"
    queries = [
        f"{sel} SELECT {area}, {column}, count(DISTINCT cluster) FROM sel "
        f"GROUP BY GROUPING SETS (({area}, {column}), ({area}), ({column}), ())",
        f"{sel} SELECT indicator, count(DISTINCT cluster) FROM sel "
        "GROUP BY GROUPING SETS ((indicator), ())",
        f"{sel} SELECT org_type, count(DISTINCT cluster) FROM sel "
        "GROUP BY GROUPING SETS ((org_type), ())",
        f"{sel} SELECT l, count(*) FROM (SELECT cluster, max(level) l FROM sel GROUP BY cluster) "
        "GROUP BY l",
        f"{sel}, {pi} SELECT a.indicator, b.indicator, count(*) FROM pi a JOIN pi b "
        "ON a.cluster = b.cluster AND a.indicator < b.indicator GROUP BY 1, 2",
        f"{sel}, {pi}, ph AS (SELECT DISTINCT cluster, unnest(string_split(phenomena, '|')) p "
        "FROM sel WHERE phenomena <> '') SELECT p, indicator, count(*) FROM ph JOIN pi "
        "USING (cluster) GROUP BY 1, 2",
    ]
    return [db.execute(q).fetchall() for q in queries]


def maintain_some(catalogue, n: int, seed: int) -> list[float]:
    """Add n registrations to random records and maintain the cells, as an action does
    (one transaction each); milliseconds per registration."""
    from django.db import transaction

    from lens.data.registry import Person, Registration
    from lens.picture import maintain

    rng = random.Random(seed + 1)
    pks = list(Person.objects.values_list("pk", flat=True)[:20000])
    signals = sorted(c for c, s in catalogue.signals.items() if not s.check_only)  # as registered
    times = []
    for _ in range(n):
        person = Person.objects.select_related("organisation").get(pk=rng.choice(pks))
        last = Registration.objects.filter(person=person).first()
        started = time.perf_counter()
        with transaction.atomic():
            Registration.objects.create(
                person=person,
                organisation=person.organisation,
                author_id=last.author_id,
                observed_on=date.today(),
                how_learned="seen_myself",
                signals=rng.sample(signals, 3),
                catalogue_version=catalogue.version,
                municipality_code=last.municipality_code,
                wijk_code=last.wijk_code,
            )
            maintain.refresh([person.pk], catalogue)
        times.append(1000 * (time.perf_counter() - started))
    return times
