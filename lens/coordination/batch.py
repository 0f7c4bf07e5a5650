"""The batch run of the fuzzy match rule (`lens matching run`): candidate pairs among
the records without a BSN and the records of other organisations sharing a narrow
blocking key with them (lens.coordination.blocking).

Where the time went before (profiled at 50,000 persons): the date block held everyone
born on one day, so the run opened 38,160 identities for 5,000 records without a BSN,
built a model instance for each, and wrote each candidate and its work-list lines in a
transaction of their own with one e-mail per line. Now the pairs are found in the
database by equality of keyed hashes (a self-join per blocking key on its index, nothing
decrypted), only the records in a pair are opened (plain rows, no model instances), and
the new candidates are written in bulk, a batch per transaction, with one e-mail per
region and run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from rapidfuzz import process
from rapidfuzz.distance import OSA, JaroWinkler

from lens.coordination import notify, similarity
from lens.coordination.blocking import BLOCK_FIELDS, Opened, open_rows
from lens.coordination.bulk_sql import insert_rows
from lens.data.coordination import LinkBasis, LinkState, PersonLink
from lens.data.registry import Organisation, Person


@dataclass
class RunReport:
    compared_persons: int = 0
    opened: int = 0
    blocks: int = 0
    comparisons: int = 0
    new_candidates: int = 0


def fuzzy_run(*, region: str | None = None, batch: int = 2000) -> RunReport:
    """Look for candidate pairs among all records without a BSN (in `region`'s
    organisations, when given) and the records of other organisations sharing a block
    with them.

    Each block is compared once, with rapidfuzz (`family_names_close`) as a first
    filter on the family names, then the full rule; a pair sharing several blocks is
    compared once. Candidates already stored (or decided) are kept as they are.
    Returns what was done.
    """
    report = RunReport()
    organisations = Organisation.objects.all()
    if region:
        organisations = organisations.filter(region=region)
    own = sorted(organisations.values_list("pk", flat=True))
    without_bsn = Person.objects.filter(bsn_match_key="", organisation_id__in=own)
    report.compared_persons = without_bsn.count()
    groups = _blocks_with_pairs(own)
    report.blocks = len(groups)
    people = open_rows({pk for members in groups.values() for pk in members}, batch)
    report.opened = len(people)
    known = set(PersonLink.objects.values_list("person_a_id", "person_b_id"))
    found: list[tuple[int, int, similarity.Similarity]] = []
    for _key, members in sorted(groups.items()):
        for a_pk, b_pk in _pairs_to_compare(members, people):
            if (a_pk, b_pk) in known:
                continue
            known.add((a_pk, b_pk))  # a pair sharing two blocks is compared once
            report.comparisons += 1
            similar = similarity.compare(people[a_pk].comparable, people[b_pk].comparable)
            if similar.candidate:
                found.append((a_pk, b_pk, similar))
    regions = dict(Organisation.objects.values_list("pk", "region"))
    region_of = {pk: regions[item.organisation_id] for pk, item in people.items()}
    for start in range(0, len(found), batch):
        report.new_candidates += _store(found[start : start + batch], region_of)
    return report


def _blocks_with_pairs(own: list[int]) -> dict[tuple[int, str], list[int]]:
    """The blocks holding a record without a BSN of an organisation in `own` and a
    record of another organisation, with those records: found by a self-join on each
    blocking key's index, comparing keyed hashes only."""
    if not own:
        return {}
    table = connection.ops.quote_name(Person._meta.db_table)
    groups: dict[tuple[int, str], set[int]] = defaultdict(set)
    placeholders = ", ".join(["%s"] * len(own))
    with connection.cursor() as cursor:
        for k, field in enumerate(BLOCK_FIELDS):
            column = connection.ops.quote_name(field)
            cursor.execute(
                f"SELECT a.{column}, a.id, b.id FROM {table} a "
                f"JOIN {table} b ON b.{column} = a.{column} "
                "AND b.organisation_id <> a.organisation_id "
                f"WHERE a.bsn_match_key = '' AND a.{column} <> '' "
                f"AND a.organisation_id IN ({placeholders})",
                own,
            )
            for key, a, b in cursor.fetchall():
                members = groups[(k, key)]
                members.add(a)
                members.add(b)
    return {key: sorted(members) for key, members in groups.items()}


def _pairs_to_compare(members: list[int], people: dict[int, Opened]) -> Iterable[tuple[int, int]]:
    """The pairs of a block worth the full rule: different organisations, not both with a
    BSN, and family names close enough (`family_names_close`, the cheap first filter).
    Pairs as (lower pk, higher pk), in order."""
    items = [people[pk] for pk in members if pk in people]
    if len(items) < 2:
        return []
    # A pair needs one record without a BSN: only those rows are worth filtering.
    rows = [i for i, item in enumerate(items) if not item.has_bsn]
    close = family_names_close([item.comparable for item in items], rows)
    pairs = set()
    for i in rows:
        for j in close[i]:
            a, b = items[i], items[j]
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


def _store(found: list[tuple[int, int, similarity.Similarity]], region_of: dict[int, str]) -> int:
    """Store new candidates and their work-list lines in one transaction (both or
    neither); returns how many were new. A pair stored meanwhile (a registration's own
    look-up, after the run read the stored pairs) is left as it is."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                _insert_links(found)
        except IntegrityError:  # a pair stored meanwhile: the others one by one
            found = [(a, b, similar) for a, b, similar in found if _create_one(a, b, similar)]
        ids = dict(_stored_pairs_with_ids([(a, b) for a, b, _similar in found]))
        notify.candidates([(ids[(a, b)], a, b) for a, b, _similar in found], region_of)
    return len(found)


def _insert_links(found: list[tuple[int, int, similarity.Similarity]]) -> None:
    reasons = PersonLink._meta.get_field("reasons")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    insert_rows(
        PersonLink,
        ("person_a", "person_b", "basis", "state", "score", "reasons", "created_at"),
        [
            (
                a,
                b,
                LinkBasis.FUZZY.value,
                LinkState.CANDIDATE.value,
                similar.score,
                reasons.get_db_prep_save(list(similar.reasons), connection),
                now,
            )
            for a, b, similar in found
        ],
    )


def _stored_pairs_with_ids(pairs: list[tuple[int, int]]) -> list[tuple[tuple[int, int], int]]:
    wanted = set(pairs)
    rows = PersonLink.objects.filter(person_a_id__in={a for a, _b in pairs}).values_list(
        "person_a_id", "person_b_id", "pk"
    )
    return [((a, b), pk) for a, b, pk in rows if (a, b) in wanted]


def _create_one(a: int, b: int, similar: similarity.Similarity) -> bool:
    try:
        with transaction.atomic():
            PersonLink.objects.create(
                person_a_id=a,
                person_b_id=b,
                basis=LinkBasis.FUZZY,
                state=LinkState.CANDIDATE,
                score=similar.score,
                reasons=list(similar.reasons),
            )
    except IntegrityError:
        return False
    return True
