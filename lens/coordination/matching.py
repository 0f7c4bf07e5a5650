"""Finding the same person at other organisations: exact links and fuzzy candidates.

Called by lens.registry.actions.register_person in the registration's own transaction
(`on_new_person`), and in batch by `lens matching run` (`fuzzy_run`).

- Exact (linked at once): the same BSN match key; or the same name match key (names and
  birth date) when at least one of the two has no BSN. Two different BSNs are two people,
  and so are two records whose link the zorgcoördinator rejected: a name match that
  would join such records in one cluster is left to the fuzzy rule (a candidate).
- Fuzzy (a candidate only, never linked without the zorgcoördinator): records of other
  organisations sharing a blocking key (lens.coordination.similarity.blocks, keyed with
  HMAC so the database holds no birth dates or names), whose identities, opened in memory
  only for the comparison, the rule in lens.coordination.similarity finds alike.

Records of the same organisation are never paired: within an organisation the registry
already answers "known in your organisation".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Length
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from lens.access import crypto
from lens.access.crypto import Identity
from lens.access.names import name_parts
from lens.access.rotation import sealed_of
from lens.coordination import clusters, notify, similarity
from lens.data.coordination import LinkBasis, LinkState, PersonLink
from lens.data.registry import Person

BLOCK_FIELDS = ("block_date_key", "block_family_key", "block_names_key")
_BLOCK_PURPOSES = ("block-date", "block-family", "block-names")


def comparable(identity: Identity) -> similarity.Comparable:
    given, family, core = name_parts(identity.given_names, identity.family_name)
    return similarity.Comparable(given, family, core, identity.birth_date)


def block_keys(identity: Identity) -> dict[str, str]:
    """The keyed blocking keys of an identity, by Person field name."""
    values = similarity.blocks(comparable(identity))
    return {
        field: crypto.keyed(purpose, value)
        for field, purpose, value in zip(BLOCK_FIELDS, _BLOCK_PURPOSES, values, strict=True)
    }


@dataclass(frozen=True)
class NewLinks:
    linked: list[PersonLink]
    candidates: list[PersonLink]


def on_new_person(person: Person, identity: Identity) -> NewLinks:
    """Link a just-registered record to the same person's records at other organisations,
    and propose fuzzy candidates. Call inside the registration's transaction."""
    exact = exact_matches(person)
    linked = [_link(person, other, basis) for other, basis in exact]
    already = {other.pk for other, _basis in exact}
    candidates = []
    mine = comparable(identity)
    for other, other_identity in _block_neighbours(person):
        if other.pk in already:
            continue
        found = similarity.compare(mine, comparable(other_identity))
        if found.candidate:
            candidates.append(_candidate(person, other, found))
    return NewLinks(
        linked=[link for link in linked if link is not None],
        candidates=[link for link in candidates if link is not None],
    )


def exact_matches(person: Person) -> list[tuple[Person, str]]:
    """Records of other organisations that are certainly the same person, with the basis."""
    others = Person.objects.exclude(organisation_id=person.organisation_id)
    found: dict[int, tuple[Person, str]] = {}
    if person.bsn_match_key:
        for other in others.filter(bsn_match_key=person.bsn_match_key):
            found[other.pk] = (other, LinkBasis.BSN)
    if person.name_match_key:
        same_name = others.filter(name_match_key=person.name_match_key)
        if person.bsn_match_key:
            same_name = same_name.filter(bsn_match_key="")
        by_name = [other for other in same_name if other.pk not in found]
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


def _block_neighbours(person: Person) -> Iterator[tuple[Person, Identity]]:
    """Records of other organisations sharing a blocking key with `person`, opened; not
    those where both have a BSN (two BSNs that differ are two people)."""
    condition = Q()
    for field in BLOCK_FIELDS:
        value = getattr(person, field)
        if value:
            condition |= Q(**{field: value})
    if not condition:
        return
    others = Person.objects.filter(condition).exclude(organisation_id=person.organisation_id)
    if person.bsn_match_key:
        # Through LENGTH, not `bsn_match_key=""`: with an equality on that indexed column
        # SQLite's planner takes its index (every record without a BSN, a tenth of the
        # registry) instead of the three block indexes (a few hundred records).
        others = others.alias(bsn_length=Length("bsn_match_key")).filter(bsn_length=0)
    for other in others.order_by("pk"):
        yield other, open_person(other)


def open_person(person: Person) -> Identity:
    """The identity, opened in memory for the comparison only (never shown or logged)."""
    return crypto.open_identity(sealed_of(person), person.pseudonym.encode())


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


# --- the batch run ---------------------------------------------------------------------


@dataclass
class RunReport:
    compared_persons: int = 0
    opened: int = 0
    blocks: int = 0
    comparisons: int = 0
    new_candidates: int = 0


def fuzzy_run(*, region: str | None = None, batch: int = 2000) -> RunReport:
    """Look for candidate pairs among all records without a BSN (in `region`'s
    organisations, when given) and the records sharing a block with them.

    Each block is compared once, with rapidfuzz (`family_names_close`) as a first
    filter on the family names, then the full rule; a pair sharing several blocks is
    compared once. Candidates already stored (or decided) are kept as they are.
    Returns what was done.
    """
    report = RunReport()
    without_bsn = Person.objects.filter(bsn_match_key="")
    if region:
        without_bsn = without_bsn.filter(organisation__region=region)
    keys: dict[str, set[str]] = defaultdict(set)
    for row in without_bsn.values_list(*BLOCK_FIELDS).iterator(chunk_size=batch):
        report.compared_persons += 1
        for field, value in zip(BLOCK_FIELDS, row, strict=True):
            if value:
                keys[field].add(value)
    groups = _block_members(keys, batch)
    report.blocks = len(groups)
    needed = sorted({pk for members in groups.values() for pk in members})
    people = _open_all(needed, batch)
    report.opened = len(people)
    known = set(PersonLink.objects.values_list("person_a_id", "person_b_id"))
    for members in groups.values():
        for a_pk, b_pk in _pairs_to_compare(members, people):
            if (a_pk, b_pk) in known:
                continue
            known.add((a_pk, b_pk))  # a pair sharing two blocks is compared once
            report.comparisons += 1
            a, b = people[a_pk], people[b_pk]
            found = similarity.compare(a.comparable, b.comparable)
            if found.candidate:
                # The candidate and its work-list lines together, or neither.
                with transaction.atomic():
                    link = _candidate(a.person, b.person, found)
                    if link is not None:
                        notify.candidate(link)
                if link is not None:
                    report.new_candidates += 1
    return report


@dataclass(frozen=True)
class _Opened:
    person: Person
    comparable: similarity.Comparable


def _block_members(keys: dict[str, set[str]], batch: int) -> dict[tuple[str, str], list[int]]:
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for field, values in keys.items():
        values = sorted(values)
        for start in range(0, len(values), batch):
            chunk = values[start : start + batch]
            rows = Person.objects.filter(**{f"{field}__in": chunk}).values_list(field, "pk")
            for value, pk in rows.iterator(chunk_size=batch):
                groups[(field, value)].append(pk)
    return {key: sorted(pks) for key, pks in groups.items() if len(pks) > 1}


def _open_all(pks: list[int], batch: int) -> dict[int, _Opened]:
    opened = {}
    for start in range(0, len(pks), batch):
        chunk = pks[start : start + batch]
        for person in Person.objects.filter(pk__in=chunk):
            opened[person.pk] = _Opened(person, comparable(open_person(person)))
    return opened


def _pairs_to_compare(members: list[int], people: dict[int, _Opened]) -> Iterable[tuple[int, int]]:
    """The pairs of a block worth the full rule: different organisations, not both with a
    BSN, and family names close enough (`family_names_close`, the cheap first filter).
    Pairs as (lower pk, higher pk), in order."""
    items = [people[pk] for pk in members if pk in people]
    if len(items) < 2:
        return []
    # A pair needs one record without a BSN: only those rows are worth filtering.
    rows = [i for i, item in enumerate(items) if not item.person.bsn_match_key]
    close = family_names_close([item.comparable for item in items], rows)
    pairs = set()
    for i in rows:
        for j in close[i]:
            a, b = items[i].person, items[j].person
            if a.organisation_id == b.organisation_id:
                continue
            pairs.add((a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk))
    return sorted(pairs)


def family_names_close(
    people: list[similarity.Comparable], rows: Iterable[int] | None = None
) -> dict[int, set[int]]:
    """For each index in `rows` (default: all), the indexes of the others whose family
    names could reach MIN_FAMILY in similarity.compare: Jaro-Winkler of the family names
    with or without tussenvoegsels at least MIN_FAMILY, or one typing error apart
    (similarity.one_typo). A necessary condition, computed by rapidfuzz's C++
    `process.extract`, one row against the whole block at a time (not `cdist`: that
    needs numpy, which the project does not install); the rule itself decides."""
    columns = ([p.family_core for p in people], [p.family for p in people])
    close: dict[int, set[int]] = {}
    for i in range(len(people)) if rows is None else rows:
        found: set[int] = set()
        for names in columns:
            for scorer, cutoff in (
                (JaroWinkler.normalized_similarity, similarity.MIN_FAMILY),
                (OSA.distance, 1),
            ):
                matches = process.extract(
                    names[i], names, scorer=scorer, score_cutoff=cutoff, limit=None
                )
                found.update(j for _choice, _score, j in matches)
        found.discard(i)
        close[i] = found
    return close
