"""The per-person part of scripts/bench_recompute.py: re-scoring one person after a new
registration (lens.registry.actions.recompute_outcome) beside an indexed read of that
person's current registrations, on the same connection, of the same rows, in the same
transaction. Imported by the script beside it (scripts/ is its path).

Each round runs as register_signals does: one transaction with the new registration and
its re-scoring; the commit that ends it (the registration's as much as the
re-scoring's) is printed apart. Both the wall time (perf_counter) and the CPU time of
this process (process_time: the Python side, steadier on a shared machine; the
database's own work on PostgreSQL is in the wall time only) are printed, with their p95
ratios. The reads: `Registration.objects.current_of` (as the pages read them: model
instances of every column; the one the issue's goal names) and the same rows through a
written-out query of the columns the engine reads (no model instances), both through the
registrations' person index (SQLite: EXPLAIN QUERY PLAN printed once)."""

from __future__ import annotations

import random
import statistics
import time
from datetime import date

from bench_db import percentile

WRITES = ("INSERT", "UPDATE", "DELETE")


class UpkeepTimer:
    """The local picture's upkeep (lens.data.aggregates.changed) timed per call, until
    restore()."""

    def __init__(self) -> None:
        from lens.data import aggregates

        self.module, self.original, self.times = aggregates, aggregates.changed, []

        def changed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return self.original(*args, **kwargs)
            finally:
                self.times.append(1000 * (time.perf_counter() - started))

        aggregates.changed = changed

    def restore(self) -> None:
        self.module.changed = self.original


def _raw_read_sql() -> str:
    """The rows of `Registration.objects.current_of` (the same joins and order), only the
    columns the engine reads."""
    from lens.data.registry import Registration, Withdrawal

    reg, withdrawal = Registration._meta.db_table, Withdrawal._meta.db_table
    return (
        f"SELECT r.id, r.observed_on, r.signals, r.risk_factors FROM {reg} r "
        f"LEFT JOIN {reg} t ON t.supersedes_id = r.id "
        f"LEFT JOIN {withdrawal} w ON w.registration_id = r.id "
        "WHERE t.id IS NULL AND w.id IS NULL AND r.organisation_id = %s AND r.person_id = %s "
        "ORDER BY r.observed_on, r.id"
    )


def _plan(person) -> str:
    """How the database finds the read's rows (SQLite's EXPLAIN QUERY PLAN; PostgreSQL's
    plan depends on the table's size and is not printed)."""
    from django.db import connection

    from lens.data.registry import Registration

    if connection.vendor != "sqlite":
        return ""
    sql, params = Registration.objects.current_of(person).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "; ".join(row[-1] for row in cursor.fetchall())


class Timed:
    """Wall and CPU milliseconds of repeated calls."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> Timed:
        self._cpu, self._wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.wall.append(1000 * (time.perf_counter() - self._wall))
        self.cpu.append(1000 * (time.process_time() - self._cpu))

    def p(self, kind: str, share: float) -> float:
        values = getattr(self, kind)
        return statistics.median(values) if share == 0.5 else percentile(values, share)


def ratio(a: Timed, b: Timed, kind: str) -> float:
    return a.p(kind, 0.95) / max(b.p(kind, 0.95), 1e-6)


def rescorings(catalogue, ruleset, today: date, count: int, seed: int) -> None:
    """Re-score `count` random persons after a new registration each; print the figures."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from lens.data.registry import Person, Registration
    from lens.picture import pending
    from lens.registry.actions import recompute_outcome

    rng = random.Random(seed)
    ids = list(Person.objects.values_list("pk", flat=True))
    picked = rng.sample(ids, min(count, len(ids)))
    rescore, read, raw, commit = Timed(), Timed(), Timed(), Timed()
    signals = sorted(c for c, s in catalogue.signals.items() if not s.check_only)  # as registered
    raw_sql = _raw_read_sql()
    upkeep = UpkeepTimer()

    def new_registration(pk: int) -> Person:
        """The person `pk` with one more registration of two random signals, today."""
        person = Person.objects.select_related("organisation").get(pk=pk)
        Registration.objects.create(
            person=person,
            organisation=person.organisation,
            author_id=person.created_by_id,
            observed_on=today,
            how_learned="seen_myself",
            signals=rng.sample(signals, 2),
            catalogue_version=catalogue.version,
        )
        return person

    plan = ""
    for pk in picked:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            person = new_registration(pk)
            plan = plan or _plan(person)
            with read:
                list(Registration.objects.current_of(person))
            with raw, connection.cursor() as cursor:
                cursor.execute(raw_sql, [person.organisation_id, person.pk])
                cursor.fetchall()
            with rescore:
                recompute_outcome(person, today=today, versions=(catalogue, ruleset))
        except BaseException as exc:
            atomic.__exit__(type(exc), exc, exc.__traceback__)
            raise
        with commit:
            atomic.__exit__(None, None, None)
    upkeep.restore()
    # The marks the re-scorings left, applied afterwards as a read of the picture or
    # `lens picture catch-up` does: many clusters at once, outside the re-scoring.
    marked = pending.count()
    t = time.perf_counter()
    caught = pending.catch_up()
    catch_up_ms = 1000 * (time.perf_counter() - t)
    writes = []
    for pk in picked[:5]:  # the statements of a re-scoring, counted apart (not timed)
        with transaction.atomic():
            person = new_registration(pk)
            with CaptureQueriesContext(connection) as queries:
                recompute_outcome(person, today=today, versions=(catalogue, ruleset))
        writes.append(queries.captured_queries)
    print(
        f"re-scoring one person after a new registration: p50 {rescore.p('wall', 0.5):.1f} "
        f"ms p95 {rescore.p('wall', 0.95):.1f} ms | indexed read of the person's current "
        f"registrations p50 {read.p('wall', 0.5):.2f} ms p95 {read.p('wall', 0.95):.2f} ms | "
        f"p95 ratio {ratio(rescore, read, 'wall'):.1f}x",
        flush=True,
    )
    print(
        f"the same in CPU time of this process: re-scoring p50 {rescore.p('cpu', 0.5):.2f} ms "
        f"p95 {rescore.p('cpu', 0.95):.2f} ms | indexed read p50 {read.p('cpu', 0.5):.2f} ms "
        f"p95 {read.p('cpu', 0.95):.2f} ms | p95 ratio {ratio(rescore, read, 'cpu'):.1f}x",
        flush=True,
    )
    print(
        f"the same rows written out (4 columns, no model instances): p50 "
        f"{raw.p('wall', 0.5):.2f} ms p95 {raw.p('wall', 0.95):.2f} ms, CPU p95 "
        f"{raw.p('cpu', 0.95):.2f} ms | re-scoring p95 ratio to it "
        f"{ratio(rescore, raw, 'wall'):.1f}x (CPU {ratio(rescore, raw, 'cpu'):.1f}x); "
        "the commit of each registration with its "
        f"re-scoring (not in the re-scoring) p50 {commit.p('wall', 0.5):.1f} ms p95 "
        f"{commit.p('wall', 0.95):.1f} ms{f' | read plan: {plan}' if plan else ''}",
        flush=True,
    )
    # Where the time goes: the local picture's upkeep in the re-scoring's transaction
    # (aggregates.changed: marking the record pending, lens.picture.pending).
    times = upkeep.times
    without = [total - picture for total, picture in zip(rescore.wall, times, strict=True)]
    statements = [len(q) for q in writes]
    written = [sum(1 for x in q if x["sql"].lstrip().upper().startswith(WRITES)) for q in writes]
    print(
        f"of which the local picture's upkeep p50 {statistics.median(times):.1f} ms "
        f"p95 {percentile(times, 0.95):.1f} ms; without it p50 "
        f"{statistics.median(without):.1f} ms p95 {percentile(without, 0.95):.1f} ms (p95 ratio "
        f"{percentile(without, 0.95) / max(read.p('wall', 0.95), 1e-6):.1f}x); statements per "
        f"re-scoring p50 {statistics.median(statements):.0f}, of them writes p50 "
        f"{statistics.median(written):.0f}",
        flush=True,
    )
    print(
        f"then the local picture caught up: {caught} of {marked} marks applied in "
        f"{catch_up_ms:.0f} ms ({catch_up_ms / max(caught, 1):.1f} ms per mark; one catch-up, "
        f"as before a read of the picture)",
        flush=True,
    )
