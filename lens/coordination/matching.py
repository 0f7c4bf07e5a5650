"""Finding the same person at other organisations: exact links and fuzzy candidates.

Called by lens.registry.actions.register_person in the registration's own transaction
(`on_new_person`), and in batch by `lens matching run` (`fuzzy_run`, in
lens.coordination.batch).

- Exact (linked at once): the same BSN match key; or the same name match key (names and
  birth date) when at least one of the two has no BSN. Two different BSNs are two people,
  and so are two records whose link the zorgcoördinator rejected: a name match that
  would join such records in one cluster is left to the fuzzy rule (a candidate).
- Fuzzy (a candidate only, never linked without the zorgcoördinator): records of other
  organisations sharing a narrow blocking key (lens.coordination.blocking, keyed with
  HMAC so the database holds no birth dates or names), whose identities, opened in memory
  only for the comparison, the rule in lens.coordination.similarity finds alike.

The look-up of a new record is one query on indexed keyed hashes (`lookup`): the exact
keys and the blocking keys together. The keys decide what is exact and what shares a
block before anything is decrypted; only the few records sharing a block are opened.

Records of the same organisation are never paired: within an organisation the registry
already answers "known in your organisation".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from lens.access.crypto import Identity
from lens.coordination import clusters, similarity
from lens.coordination.batch import RunReport, family_names_close, fuzzy_run  # noqa: F401
from lens.coordination.blocking import (  # noqa: F401 (the key API stays matching's too)
    BLOCK_FIELDS,
    block_keys,
    comparable,
    open_person,
)
from lens.data.coordination import LinkBasis, LinkState, PersonLink
from lens.data.registry import Person


@dataclass(frozen=True)
class Lookup:
    """What the look-up of a new record found, before anything is written."""

    exact: list[tuple[Person, str]]  # (record, LinkBasis), certainly the same person
    candidates: list[tuple[Person, similarity.Similarity]]  # alike by the fuzzy rule
    opened: int  # identities opened for the comparison


@dataclass(frozen=True)
class NewLinks:
    linked: list[PersonLink]
    candidates: list[PersonLink]


def on_new_person(person: Person, identity: Identity) -> NewLinks:
    """Link a just-registered record to the same person's records at other organisations,
    and propose fuzzy candidates. Call inside the registration's transaction."""
    found = lookup(person, identity)
    linked = [_link(person, other, basis) for other, basis in found.exact]
    candidates = [_candidate(person, other, similar) for other, similar in found.candidates]
    return NewLinks(
        linked=[link for link in linked if link is not None],
        candidates=[link for link in candidates if link is not None],
    )


def lookup(person: Person, identity: Identity) -> Lookup:
    """The read part of `on_new_person`: the exact matches, and the records sharing a
    block with `person` that the fuzzy rule finds alike (only those opened)."""
    rows = _sharing_a_key(person)
    exact = _exact(person, rows)
    already = {other.pk for other, _basis in exact}
    mine = comparable(identity)
    candidates = []
    opened = 0
    for other in rows:
        if other.pk in already or not _shares_a_block(person, other):
            continue
        if person.bsn_match_key and other.bsn_match_key:
            continue  # two BSNs that differ are two people
        opened += 1
        found = similarity.compare(mine, comparable(open_person(other)))
        if found.candidate:
            candidates.append((other, found))
    return Lookup(exact=exact, candidates=candidates, opened=opened)


def exact_matches(person: Person) -> list[tuple[Person, str]]:
    """Records of other organisations that are certainly the same person, with the basis."""
    return _exact(person, _sharing_a_key(person))


def _sharing_a_key(person: Person) -> list[Person]:
    """Every record of another organisation that shares a match key or a blocking key
    with `person`: one query, each condition an equality on an indexed column. Its SQL
    is written once per set of keys: building it with the ORM on every registration
    cost several times the query itself."""
    fields = tuple(field for field in _LOOKUP_KEYS if getattr(person, field))
    if not fields:
        return []
    params = [*(getattr(person, field) for field in fields), person.organisation_id]
    return list(Person.objects.raw(_lookup_sql(connection.vendor, fields), params))


_LOOKUP_KEYS = ("bsn_match_key", "name_match_key", *BLOCK_FIELDS)


@functools.cache
def _lookup_sql(vendor: str, fields: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    meta = Person._meta
    columns = ", ".join(quote(field.column) for field in meta.concrete_fields)
    keys = " OR ".join(f"{quote(meta.get_field(field).column)} = %s" for field in fields)
    return (
        f"SELECT {columns} FROM {quote(meta.db_table)} "
        f"WHERE ({keys}) AND {quote(meta.get_field('organisation').column)} <> %s "
        f"ORDER BY {quote(meta.pk.column)}"
    )


def _shares_a_block(person: Person, other: Person) -> bool:
    return any(
        getattr(person, field) and getattr(person, field) == getattr(other, field)
        for field in BLOCK_FIELDS
    )


def _exact(person: Person, rows: list[Person]) -> list[tuple[Person, str]]:
    found: dict[int, tuple[Person, str]] = {}
    if person.bsn_match_key:
        for other in rows:
            if other.bsn_match_key == person.bsn_match_key:
                found[other.pk] = (other, LinkBasis.BSN)
    if person.name_match_key:
        by_name = [
            other
            for other in rows
            if other.name_match_key == person.name_match_key
            and other.pk not in found
            and not (person.bsn_match_key and other.bsn_match_key)
        ]
        for other in _unambiguous(person, set(found), by_name):
            found[other.pk] = (other, LinkBasis.NAME)
    return [found[pk] for pk in sorted(found)]


def _unambiguous(person: Person, by_bsn: set[int], by_name: list[Person]) -> list[Person]:
    """The records matched by name that may be linked without joining, in one cluster,
    records known to be two people: two different BSNs, or two records whose link the
    zorgcoördinator rejected (through the new record, linked to both).

    Those whose cluster is apart from the new record's (with its BSN matches) are left
    out; of the rest all, or none when two of their clusters are apart (which of the two
    is it?). Those left out are compared by the fuzzy rule instead: a candidate for the
    zorgcoördinator to decide."""
    if not by_name:
        return []
    if not person.bsn_match_key and len(by_name) == 1:
        return by_name  # one cluster, and no BSN of the new record's to be apart from
    groups = {other.pk: frozenset(clusters.cluster_ids([other.pk])) for other in by_name}
    if person.bsn_match_key:
        own = frozenset(clusters.cluster_ids(by_bsn) | {person.pk})
        by_name = [other for other in by_name if not _apart(own, groups[other.pk])]
    distinct = list({groups[other.pk] for other in by_name})
    for i, first in enumerate(distinct):
        if any(_apart(first, second) for second in distinct[i + 1 :]):
            return []
    return by_name


def _apart(first: frozenset[int], second: frozenset[int]) -> bool:
    """Whether two clusters hold records known to be two people: different BSNs, or a
    rejected link between them."""
    keys = Person.objects.filter(pk__in=first | second).exclude(bsn_match_key="")
    if len(set(keys.values_list("bsn_match_key", flat=True))) > 1:
        return True
    between = Q(person_a__in=first, person_b__in=second) | Q(
        person_a__in=second, person_b__in=first
    )
    return PersonLink.objects.filter(between, state=LinkState.REJECTED).exists()


def _pair(a: Person, b: Person) -> tuple[Person, Person]:
    return (a, b) if a.pk < b.pk else (b, a)


def _link(person: Person, other: Person, basis: str) -> PersonLink | None:
    a, b = _pair(person, other)
    # An existing pair stays as it is: a decision on an earlier candidate stands.
    link, created = PersonLink.objects.get_or_create(
        person_a=a, person_b=b, defaults={"basis": basis, "state": LinkState.LINKED}
    )
    return link if created else None


def _candidate(person: Person, other: Person, found: similarity.Similarity) -> PersonLink | None:
    a, b = _pair(person, other)
    link, created = PersonLink.objects.get_or_create(
        person_a=a,
        person_b=b,
        defaults={
            "basis": LinkBasis.FUZZY,
            "state": LinkState.CANDIDATE,
            "score": found.score,
            "reasons": list(found.reasons),
        },
    )
    return link if created else None
