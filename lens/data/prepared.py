"""Querysets built once per process: a read model's base query (its joins, annotations
and columns) is the same for every request, and building and compiling it with the ORM
can cost more than running it. `prepared(build)` returns a function that gives a new
`.all()` copy of the queryset `build` made the first time: each request narrows its own
copy (which shares no rows: `.all()` copies the query, never the result cache), and the
base queryset itself is never evaluated. Never for anything that depends on the request
or the person: only the shape of the query."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, get_related_populators


class Prepared[M]:
    def __init__(self, build: Callable[[], QuerySet[M]]):
        self.base = functools.cache(build)  # the shared queryset: never evaluated

    def __call__(self) -> QuerySet[M]:
        return self.base().all()


def prepared[M](build: Callable[[], QuerySet[M]]) -> Prepared[M]:
    return Prepared(build)


# --- compiled once: the SQL as well as the queryset ----------------------------------------


class Slot:
    """A value a compiled query takes on each call (a pk, a pseudonym). The query is built
    twice, with two different stand-ins for it (numbers small enough for any integer
    column: Django leaves out a comparison with a number the column cannot hold); the
    parameters that differ between the two are the slots' places, and each must be one
    slot's stand-in in both (a constant of the query that happens to equal a stand-in is
    the same in both builds, so it is never taken for a slot)."""

    def __init__(self, number: int, kind: type):
        self.kind = kind
        self.stand_ins: tuple[int | str, int | str] = (
            (30_001 + number, 30_501 + number)
            if kind is int
            else (f"\x00lens-slot-a{number}\x00", f"\x00lens-slot-b{number}\x00")
        )


class Compiled[M]:
    """A queryset built and compiled to SQL once per process (and database connection):
    `build(*stand_ins)` is called twice, with a stand-in for each slot (`int` or `str`; see
    Slot), and each call runs the same SQL with the given values, giving the model instances the
    ORM would (with what the queryset selects of related models and its annotations). For
    the small reads of a hot page, where compiling the query costs more than running it.
    The queryset must select model instances (no values(), no prefetch); a slice or an
    ordering is part of it (`[:1]` for a first)."""

    def __init__(self, build: Callable[..., QuerySet[M]], *slots: type):
        self.slots = [Slot(number, kind) for number, kind in enumerate(slots)]
        # The queryset with each set of stand-ins: built once, never evaluated.
        self.base = functools.cache(
            lambda which=0: build(*(slot.stand_ins[which] for slot in self.slots))
        )
        self.by_connection: dict[tuple[str, int], _Statement] = {}

    def __call__(self, *values: int | str) -> list[M]:
        if len(values) != len(self.slots) or not all(
            type(value) is slot.kind for slot, value in zip(self.slots, values, strict=True)
        ):
            raise TypeError(f"expected values of types {[s.kind for s in self.slots]}")
        statement = self._statement()
        return statement.run(values)

    def first(self, *values: int | str) -> M | None:
        found = self(*values)
        return found[0] if found else None

    def _statement(self) -> _Statement:
        queryset = self.base()
        alias = queryset.db
        connection = connections[alias]
        key = (alias, id(connection))
        statement = self.by_connection.get(key)
        if statement is None or statement.connection is not connection:
            statement = _Statement(queryset, self.base(1), connection, self.slots)
            self.by_connection[key] = statement
        return statement


class _Statement:
    """One compiled query on one connection: its SQL, where each slot's value goes among
    its parameters, and how a row becomes a model instance (as Django's ModelIterable)."""

    def __init__(self, queryset: QuerySet, other: QuerySet, connection, slots: list[Slot]):
        if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:
            raise ValueError("a compiled query selects model instances, without prefetch")
        if queryset._known_related_objects or queryset._fetch_mode.track_peers:
            raise ValueError("a compiled query takes no known related objects nor peers")
        self.connection = connection
        self.compiler = queryset.query.get_compiler(connection=connection)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        other_sql, other_params = other.query.get_compiler(connection=connection).as_sql()
        if other_sql != self.sql or len(other_params) != len(self.params):
            raise ValueError("a slot's value changes the SQL, not only its parameters")
        differ = {
            i for i, (a, b) in enumerate(zip(self.params, other_params, strict=True)) if a != b
        }
        self.positions = []
        for slot in slots:
            a, b = slot.stand_ins
            at = [
                i
                for i in sorted(differ)
                # isinstance: on PostgreSQL a small integer comes as psycopg's Int2
                if isinstance(self.params[i], slot.kind)
                and self.params[i] == a
                and other_params[i] == b
            ]
            if not at:
                raise ValueError("a slot's value does not reach the SQL unchanged")
            self.positions.append(at)
            differ -= set(at)
        if differ:
            raise ValueError("parameters change with the slots other than as their values")
        select, klass_info = self.compiler.select, self.compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        self.annotations = dict(self.compiler.annotation_col_map or {})
        self.fetch_mode = queryset._fetch_mode
        self.db = queryset.db
        # What `compiler.results_iter` works out on every call, once: each column's
        # converters (from the database's form to Python's, for this connection) and the
        # populators of the related models selected with the rows (stateless).
        self.fields = [s[0] for s in self.compiler.select[0 : self.compiler.col_count]]
        self.converters = self.compiler.get_converters(self.fields)
        self.composite = self.compiler.has_composite_fields(self.fields)
        self.populators = get_related_populators(
            self.compiler.klass_info, self.compiler.select, self.db, self.fetch_mode
        )

    def run(self, values) -> list:
        params = list(self.params)
        for at, value in zip(self.positions, values, strict=True):
            for position in at:
                # In the stand-in's own type (psycopg's Int2 for a small integer).
                params[position] = type(self.params[position])(value)
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        populators = self.populators
        found = []
        for row in self._converted(rows):
            obj = self.model.from_db(
                self.db, self.init_list, row[self.start : self.end], fetch_mode=self.fetch_mode
            )
            for populator in populators:
                populator.populate(row, obj)
            for name, position in self.annotations.items():
                setattr(obj, name, row[position])
            found.append(obj)
        return found

    def _converted(self, rows: list):
        """`self.compiler.results_iter([rows])` with what it works out kept."""
        converted = iter(rows)
        if self.converters:
            converted = self.compiler.apply_converters(converted, self.converters)
        if self.composite:
            converted = self.compiler.composite_fields_to_tuples(converted, self.fields)
        return converted


def compiled[M](build: Callable[..., QuerySet[M]], *slots: type) -> Compiled[M]:
    return Compiled(build, *slots)
