#!/usr/bin/env python3
"""Benchmark: matching across organisations at registry scale (issues 5 and 14). A script, not a
test: it prints figures, each beside a baseline measured in the same run, and asserts
nothing.

    .venv/bin/python scripts/bench_matching.py [--persons 1000000] [--lookups 500]

Builds N synthetic registered persons straight into the database (bulk inserts of real
Person rows: identities sealed with lens.access.crypto, real match keys and keyed
blocking keys; 10% without a BSN; 8 organisations in 2 regions), about 2% of them
deliberate near-duplicates at another organisation (a typo in a name, day and month
swapped, one wrong digit, a missing tussenvoegsel, always without a BSN). Then measures:

a. the look-up a new registration does (`lens.coordination.matching.lookup`, the read
   part of `on_new_person`, no writes: one query on the exact and blocking keys, the
   records sharing a block opened and compared), p50 and p95, beside the baseline
   "indexed look-up of the raw key" (Person.objects.filter(bsn_match_key=key),
   values_list); then the recall of the look-up: each planted near-duplicate looked up
   as a new registration, and whether its original is found;
b. the batch run `matching.fuzzy_run()` over all persons without a BSN, beside the
   baseline "rapidfuzz on the same blocks" (each block that pairs a record without a
   BSN with one of another organisation): the plaintext identities already in memory,
   the same blocks, the same rapidfuzz first filter (matching.family_names_close) and
   the same rule (similarity.compare), without database or decryption; and the recall:
   how many planted near-duplicates the run found.

Database: by default a fresh SQLite file var/bench-matching.sqlite3 (the project's
settings: WAL, BEGIN IMMEDIATE), removed afterwards unless --keep. With DATABASE_URL set,
a fresh database next to it on that server (bench_matching_<pid>_<name>, dropped
afterwards). Secrets: from the environment when set, otherwise random ones for this run.
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = ROOT / "var" / "bench-matching.sqlite3"
NO_BSN_SHARE = 0.10  # of all persons, the near-duplicates included
DUPLICATE_SHARE = 0.02
FIRST_BIRTH, LAST_BIRTH = date(1995, 1, 1), date(2015, 12, 31)
TUSSENVOEGSELS = ("de", "van", "van der", "van den", "van de", "ter", "in 't")
_SYLLABLE_TEXT = (
    "ba be bo bra bre da de do dri el en er fa fe ge gro ha he ho ja je jo ka ke ko kra "
    "la le lo ma me mo na ne no pa pe po ra re ro sa se so sta ste ta te to tra vel ver "
    "vo wa we wi wo za ze zo ink man sen ers berg dijk hof kamp veld meer stra ling"
)
SYLLABLES = tuple(_SYLLABLE_TEXT.split(" "))
LETTERS = "abcdefghijklmnopqrstuvwxyz"
ORGANISATIONS = (
    ("school", "midden_brabant", "Tilburg"),
    ("youth_care", "midden_brabant", "Tilburg"),
    ("police", "midden_brabant", "Tilburg"),
    ("general_practitioner", "midden_brabant", "Oisterwijk"),
    ("school", "amsterdam", "Amsterdam"),
    ("youth_care", "amsterdam", "Amsterdam"),
    ("police", "amsterdam", "Amsterdam"),
    ("neighbourhood_team", "amsterdam", "Amsterdam"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--persons", type=int, default=1_000_000, help="persons to build (default 1000000)"
    )
    parser.add_argument(
        "--lookups", type=int, default=500, help="registration look-ups to time (default 500)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed of the synthetic data")
    parser.add_argument(
        "--database",
        type=Path,
        default=DEFAULT_DATABASE,
        help=f"SQLite file, made anew (default {DEFAULT_DATABASE.relative_to(ROOT)}); "
        "ignored when DATABASE_URL is set",
    )
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file afterwards")
    args = parser.parse_args(argv)
    if args.persons < 100 or args.lookups < 1:
        parser.error("--persons must be at least 100 and --lookups at least 1")

    var_dir = tempfile.mkdtemp(prefix="lens-bench-matching-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "lens.settings"
    os.environ["DEBUG"] = "1"
    os.environ["DEMO_MODE"] = "0"
    os.environ["VAR_DIR"] = var_dir
    os.environ["LOG_LEVEL"] = "WARNING"
    # Keys of this run only, unless the environment names its own (never a real key).
    if not os.environ.get("IDENTITY_KEYS") and not os.environ.get("IDENTITY_KEY_FILE"):
        os.environ["IDENTITY_KEYS"] = "bench1:" + base64.b64encode(os.urandom(32)).decode()
    os.environ.setdefault("MATCH_KEY_SECRET", secrets.token_urlsafe(32))

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    # As in production: no query log (DEBUG keeps every query's SQL, which costs time in
    # the look-ups and the batch run alike, and memory at a million persons).
    settings.DEBUG = False

    creation = connection.creation
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        args.database.parent.mkdir(parents=True, exist_ok=True)
        test_settings["NAME"] = str(args.database)
    else:
        test_settings["NAME"] = f"bench_matching_{os.getpid()}_{connection.settings_dict['NAME']}"[
            :63
        ]
    old_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        return run(args, connection)
    finally:
        if connection.vendor == "sqlite" and args.keep:
            connection.close()
            connection.settings_dict["NAME"] = old_name
        else:
            creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(var_dir, ignore_errors=True)


# --- synthetic persons (pure) ---------------------------------------------------------------


@dataclass
class Planned:
    given_names: str
    family_name: str
    birth_date: date
    bsn: str
    organisation: int  # index into ORGANISATIONS
    duplicate_of: int | None = None  # index of the planned person it nearly repeats
    change: str = ""


class Names:
    def __init__(self, rng: random.Random):
        from faker.providers.person.nl_NL import Provider

        self.rng = rng
        self.given = tuple(Provider.first_names_male) + tuple(Provider.first_names_female)
        self.family = tuple(n for n in Provider.last_names if " " not in n and "'" not in n)

    def given_names(self) -> str:
        rng = self.rng
        first = rng.choice(self.given) if rng.random() < 0.7 else self._made_up(2)
        if rng.random() < 0.15:
            return f"{first} {rng.choice(self.given)}"
        return first

    def family_name(self) -> str:
        rng = self.rng
        name = rng.choice(self.family) if rng.random() < 0.55 else self._made_up(rng.choice((2, 3)))
        if rng.random() < 0.25:
            return f"{rng.choice(TUSSENVOEGSELS)} {name}"
        return name

    def _made_up(self, syllables: int) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def plan(count: int, seed: int) -> list[Planned]:
    """`count` planned persons; the near-duplicates come last (their originals first)."""
    from lens.demo.identities import BSN_PREFIX, check_digit

    rng = random.Random(seed)
    names = Names(rng)
    span = (LAST_BIRTH - FIRST_BIRTH).days
    duplicates = int(count * DUPLICATE_SHARE)
    originals = count - duplicates
    without_bsn = int(count * NO_BSN_SHARE) - duplicates  # the duplicates have none
    no_bsn = set(rng.sample(range(originals), max(0, without_bsn)))
    persons = []
    serial = 0
    for index in range(originals):
        bsn = ""
        if index not in no_bsn:
            while not bsn:  # synthetic BSNs (elfproef), distinct per person
                first_eight = f"{BSN_PREFIX[:1]}{serial:07d}"
                serial += 1
                digit = check_digit(first_eight)
                bsn = f"{first_eight}{digit}" if digit is not None else ""
        persons.append(
            Planned(
                names.given_names(),
                names.family_name(),
                FIRST_BIRTH + timedelta(days=rng.randrange(span + 1)),
                bsn,
                rng.randrange(len(ORGANISATIONS)),
            )
        )
    for _ in range(duplicates):
        original_index = rng.randrange(originals)
        original = persons[original_index]
        region = ORGANISATIONS[original.organisation][1]
        others = [
            i
            for i, (_t, r, _m) in enumerate(ORGANISATIONS)
            if i != original.organisation and (r == region or rng.random() < 0.1)
        ]
        persons.append(near_duplicate(rng, original, original_index, rng.choice(others)))
    return persons


def near_duplicate(rng: random.Random, original: Planned, index: int, organisation: int):
    given, family, birth = original.given_names, original.family_name, original.birth_date
    change = rng.choice(("family_typo", "family_typo", "given_typo", "date_swap", "date_digit"))
    if change == "date_swap" and (birth.day > 12 or birth.day == birth.month):
        change = "family_typo"
    if change == "given_typo" and len(given.replace(" ", "")) < 5:
        change = "family_typo"
    if change == "family_typo":
        words = family.split()
        core = words[-1]
        if " " in family and rng.random() < 0.3:
            family, change = core, "tussenvoegsel_missing"
        else:
            family = " ".join([*words[:-1], typo(rng, core)])
    elif change == "given_typo":
        given = typo(rng, given)
    elif change == "date_swap":
        birth = birth.replace(day=birth.month, month=birth.day)
    else:
        birth = one_digit_off(rng, birth)
    return Planned(given, family, birth, "", organisation, index, change)


def typo(rng: random.Random, word: str) -> str:
    for _ in range(20):
        i = rng.randrange(1, len(word)) if len(word) > 1 else 0
        kind = rng.choice(("substitution", "deletion", "insertion", "transposition"))
        if kind == "substitution":
            new = word[:i] + rng.choice(LETTERS) + word[i + 1 :]
        elif kind == "deletion" and len(word) > 4:
            new = word[:i] + word[i + 1 :]
        elif kind == "insertion":
            new = word[:i] + rng.choice(LETTERS) + word[i:]
        elif i < len(word) - 1:
            new = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        else:
            continue
        if new != word and " " not in new.strip():
            return new
    return word + "e"


def one_digit_off(rng: random.Random, day: date) -> date:
    digits = f"{day.day:02d}{day.month:02d}{day.year:04d}"
    for _ in range(50):
        i = rng.choice((0, 1, 2, 3, 6, 7))  # day, month or the year's last two digits
        text = digits[:i] + rng.choice("0123456789") + digits[i + 1 :]
        try:
            other = date(int(text[4:]), int(text[2:4]), int(text[:2]))
        except ValueError:
            continue
        if other != day and other <= date.today():
            return other
    return day + timedelta(days=1) if day.day < 9 else day - timedelta(days=1)


def pseudonym(index: int) -> str:
    from lens.data.pseudonyms import ALPHABET, PREFIX

    chars = []
    for _ in range(6):
        index, rest = divmod(index, len(ALPHABET))
        chars.append(ALPHABET[rest])
    return PREFIX + "".join(chars)


# --- the run ----------------------------------------------------------------------------------


@dataclass
class InMemory:
    """What the baseline has in memory: the plaintext identity, as the rule sees it."""

    pk: int
    organisation_id: int
    has_bsn: bool
    comparable: object  # similarity.Comparable
    blocks: tuple[str, ...]  # keyed, as stored


def run(args, connection) -> int:
    import django
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from lens.access import crypto, matchkeys
    from lens.access.crypto import Identity
    from lens.coordination import matching
    from lens.data.coordination import PersonLink
    from lens.data.registry import Organisation, Person

    print(
        f"Matching benchmark: {args.persons} persons ({NO_BSN_SHARE:.0%} without a BSN, "
        f"{DUPLICATE_SHARE:.0%} planted near-duplicates), {len(ORGANISATIONS)} organisations "
        f"in 2 regions, {args.lookups} look-ups"
    )
    if connection.vendor == "sqlite":
        print(f"database: sqlite {connection.Database.sqlite_version} ({args.database.name})")
    else:
        version = connection.pg_version
        print(f"database: {connection.vendor} {version // 10000}.{version % 10000}")
    print(
        f"python {platform.python_version()}, django {django.get_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cpus"
    )
    sys.stdout.flush()

    # --- build --------------------------------------------------------------------------
    started = time.perf_counter()
    planned = plan(args.persons, args.seed)
    planning = time.perf_counter() - started
    user = get_user_model().objects.create_user(username="bench-matching")
    organisations = [
        Organisation.objects.create(
            name=f"Bench {org_type} {municipality} {n}",
            organisation_type=org_type,
            region=region,
            municipality=municipality,
            contact_name="Bench Contact",
            contact_phone="013-000 00 00",
            contact_email=f"bench{n}@example.nl",
        )
        for n, (org_type, region, municipality) in enumerate(ORGANISATIONS)
    ]
    memory: list[InMemory] = []
    sealing = keys = 0.0
    if connection.vendor == "sqlite":
        # The build only: a page cache big enough for the indexes (random hex keys), so
        # that inserting a million rows is not disk-bound. Reset before measuring.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -2000000")
    inserting = 0.0
    batch_size = 10_000
    for start in range(0, len(planned), batch_size):
        rows = []
        for index in range(start, min(start + batch_size, len(planned))):
            p = planned[index]
            identity = Identity(p.given_names, p.family_name, p.birth_date, p.bsn)
            name = pseudonym(index)
            t0 = time.perf_counter()
            sealed = crypto.seal_identity(identity, name.encode())
            t1 = time.perf_counter()
            bsn_key, name_key = matchkeys.match_keys(identity)
            blocks = matching.block_keys(identity)
            t2 = time.perf_counter()
            sealing += t1 - t0
            keys += t2 - t1
            organisation = organisations[p.organisation]
            rows.append(
                Person(
                    pseudonym=name,
                    organisation=organisation,
                    created_by=user,
                    identity_key_id=sealed.key_id,
                    identity_wrapped_key=sealed.wrapped_key,
                    identity_nonce=sealed.nonce,
                    identity_ciphertext=sealed.ciphertext,
                    bsn_match_key=bsn_key,
                    name_match_key=name_key,
                    birth_year=p.birth_date.year,
                    **blocks,
                )
            )
            memory.append(
                InMemory(
                    0,
                    organisation.pk,
                    bool(bsn_key),
                    matching.comparable(identity),
                    tuple(blocks[field] for field in matching.BLOCK_FIELDS),
                )
            )
        t0 = time.perf_counter()
        with transaction.atomic():
            Person.objects.bulk_create(rows)
        inserting += time.perf_counter() - t0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -2000")  # SQLite's default
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    pks = dict(Person.objects.values_list("pseudonym", "pk"))
    for index, item in enumerate(memory):
        item.pk = pks[pseudonym(index)]
    built = time.perf_counter() - started
    print(
        f"build: {built:.1f} s for {len(planned)} persons "
        f"({len(planned) / built:.0f} persons/s): planning {planning:.1f} s, sealing "
        f"identities {sealing:.1f} s, match and block keys {keys:.1f} s, inserts "
        f"{inserting:.1f} s"
    )
    sys.stdout.flush()

    # --- (a) the look-up of a new registration -------------------------------------------
    rng = random.Random(args.seed + 1)
    lookups = []
    for _ in range(args.lookups):
        p = planned[rng.randrange(len(planned))]
        # A new registration at another organisation: an existing person (same identity,
        # half the time without the BSN), or someone new.
        if rng.random() < 0.5:
            identity = Identity(
                p.given_names, p.family_name, p.birth_date, p.bsn if rng.random() < 0.8 else ""
            )
        else:
            names = Names(rng)
            identity = Identity(
                names.given_names(),
                names.family_name(),
                FIRST_BIRTH + timedelta(days=rng.randrange((LAST_BIRTH - FIRST_BIRTH).days)),
                p.bsn if rng.random() < 0.9 and p.bsn else "",
            )
        organisation = organisations[(p.organisation + 1) % len(organisations)]
        bsn_key, name_key = matchkeys.match_keys(identity)
        new = Person(
            organisation=organisation,
            bsn_match_key=bsn_key,
            name_match_key=name_key,
            **matching.block_keys(identity),
        )
        lookups.append((new, identity, bsn_key or name_key))

    def lookup(new, identity) -> int:
        found = matching.lookup(new, identity)
        return len(found.exact) + len(found.candidates)

    def baseline_lookup(key: str) -> int:
        return len(list(Person.objects.filter(bsn_match_key=key).values_list("pk", flat=True)))

    for new, identity, key in lookups[:20]:  # warm-up: caches, prepared statements
        lookup(new, identity)
        baseline_lookup(key)
    timings: dict[str, list[float]] = {"matching": [], "baseline": []}
    for number, (new, identity, key) in enumerate(lookups):
        order = ("matching", "baseline") if number % 2 == 0 else ("baseline", "matching")
        for mode in order:
            t0 = time.perf_counter()
            if mode == "matching":
                lookup(new, identity)
            else:
                baseline_lookup(key)
            timings[mode].append(time.perf_counter() - t0)
    p50 = {mode: percentile(sorted(values), 50) for mode, values in timings.items()}
    p95 = {mode: percentile(sorted(values), 95) for mode, values in timings.items()}
    print(
        f"(a) look-up of a new registration, {args.lookups} look-ups "
        "(matching.lookup: one query on the exact and blocking keys, the records sharing "
        "a block opened and compared):"
    )
    for mode, note in (("matching", ""), ("baseline", "   (indexed look-up of the raw key)")):
        mean = statistics.fmean(timings[mode])
        print(
            f"    {mode:<9} p50 {p50[mode] * 1000:8.2f} ms   p95 {p95[mode] * 1000:8.2f} ms   "
            f"mean {mean * 1000:8.2f} ms{note}"
        )
    print(
        f"    ratio: p50 {p50['matching'] / p50['baseline']:.1f}, "
        f"p95 {p95['matching'] / p95['baseline']:.1f} (matching / baseline)"
    )
    # The recall of the look-up: each planted near-duplicate (at another organisation
    # than its original) registered anew; is the original found (a candidate)?
    duplicates = [
        (index, p)
        for index, p in enumerate(planned)
        if p.duplicate_of is not None and planned[p.duplicate_of].organisation != p.organisation
    ]
    sample = rng.sample(duplicates, min(len(duplicates), args.lookups))
    found_by_lookup = opened = 0
    for _index, p in sample:
        identity = Identity(p.given_names, p.family_name, p.birth_date, p.bsn)
        bsn_key, name_key = matchkeys.match_keys(identity)
        new = Person(
            organisation=organisations[p.organisation],
            bsn_match_key=bsn_key,
            name_match_key=name_key,
            **matching.block_keys(identity),
        )
        result = matching.lookup(new, identity)
        opened += result.opened
        original = memory[p.duplicate_of].pk
        found_by_lookup += any(other.pk == original for other, _s in result.candidates) or any(
            other.pk == original for other, _b in result.exact
        )
    print(
        f"    recall: planted near-duplicates found by the look-up: {found_by_lookup} of "
        f"{len(sample)} ({opened / max(len(sample), 1):.1f} identities opened per look-up)"
    )
    sys.stdout.flush()

    # --- (b) the batch run ------------------------------------------------------------------
    baseline = in_memory_run(memory)
    t0 = time.perf_counter()
    report = matching.fuzzy_run()
    fuzzy = time.perf_counter() - t0
    by_pk = {item.pk: index for index, item in enumerate(memory)}
    planted = {
        tuple(sorted((memory[p.duplicate_of].pk, memory[index].pk)))
        for index, p in enumerate(planned)
        if p.duplicate_of is not None
        and memory[p.duplicate_of].organisation_id != memory[index].organisation_id
    }
    found = set(PersonLink.objects.values_list("person_a_id", "person_b_id"))
    found_planted = len(planted & found)
    missed = sorted(planted - found)
    print(f"(b) fuzzy run over the {report.compared_persons} persons without a BSN:")
    print(
        f"    fuzzy_run  {fuzzy:8.1f} s   blocks {report.blocks}, identities opened "
        f"{report.opened}, comparisons {report.comparisons}, new candidates "
        f"{report.new_candidates}"
    )
    print(
        f"    baseline   {baseline.seconds:8.1f} s   blocks {baseline.blocks}, comparisons "
        f"{baseline.comparisons}, candidates {baseline.candidates}   (rapidfuzz on the same "
        "blocks, identities in memory: no database, no decryption)"
    )
    print(f"    ratio: {fuzzy / max(baseline.seconds, 1e-6):.1f} (fuzzy_run / baseline)")
    print(
        f"    recall: planted near-duplicates found: {found_planted} of {len(planted)}; "
        f"other candidates: {len(found) - found_planted}"
    )
    if missed:
        changes = defaultdict(int)
        for a, b in missed:
            index = max(by_pk[a], by_pk[b])
            changes[planned[index].change] += 1
        print(f"    missed, by kind of change: {dict(sorted(changes.items()))}")
    return 0


@dataclass
class InMemoryReport:
    seconds: float
    blocks: int
    comparisons: int
    candidates: int


def in_memory_run(memory: list[InMemory]) -> InMemoryReport:
    """The baseline: fuzzy_run's work without the database and without decryption."""
    from lens.coordination import matching, similarity

    started = time.perf_counter()
    wanted: list[set[str]] = [set() for _field in matching.BLOCK_FIELDS]
    for item in memory:
        if not item.has_bsn:
            for k, value in enumerate(item.blocks):
                if value:
                    wanted[k].add(value)
    groups: dict[tuple[int, str], list[InMemory]] = defaultdict(list)
    for item in memory:
        for k, value in enumerate(item.blocks):
            if value in wanted[k]:
                groups[(k, value)].append(item)
    seen: set[tuple[int, int]] = set()
    blocks = comparisons = candidates = 0
    for members in groups.values():
        # A block counts when it pairs a record without a BSN with one of another
        # organisation (as fuzzy_run's blocks).
        if len({m.organisation_id for m in members}) < 2 or all(m.has_bsn for m in members):
            continue
        blocks += 1
        rows = [i for i, item in enumerate(members) if not item.has_bsn]
        close = matching.family_names_close([m.comparable for m in members], rows)
        for i in rows:
            for j in close[i]:
                a, b = members[i], members[j]
                if a.organisation_id == b.organisation_id:
                    continue
                pair = (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)
                if pair in seen:
                    continue
                seen.add(pair)
                comparisons += 1
                candidates += similarity.compare(a.comparable, b.comparable).candidate
    return InMemoryReport(time.perf_counter() - started, blocks, comparisons, candidates)


def percentile(sorted_values: list[float], percent: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, -(-len(sorted_values) * percent // 100))
    return sorted_values[int(rank) - 1]


if __name__ == "__main__":
    sys.exit(main())
