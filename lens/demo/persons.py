"""Synthetic persons and their registrations, written through the actions layer.

Each person is planned from its own seeded random generator (and a Faker('nl_NL') seeded
the same way), so person number i is the same on every run whatever the total: running
again, or with a larger `--persons`, only adds the persons that are missing. A planned
person whose identity the organisation already knows (same BSN, or same name and birth
date without a BSN: the actions layer's own matching) is skipped without a write.

The plan aims at a level per person (weighted so that every level 0-4 occurs, only a
handful acute) and draws signals that the organisation's type typically sees, retrying
until the lens engine gives the aimed-for level. Level 0 means every registration was
withdrawn (with a reason: nothing is deleted). A few persons are registered at a second
organisation of the same region under the same identity, for cross-organisation
matching later; now and then that second organisation has no BSN, only name and birth
date.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from faker import Faker

from lens.access.crypto import Identity
from lens.data.registry import HowLearned, InformedWho
from lens.rules.engine import assess
from lens.rules.model import AssessmentInput, Catalogue, Observation, Ruleset

from . import areas, texts
from .identities import synthetic_bsn
from .world import ORGANISATIONS

# How the demo's persons spread over levels (relative weights).
LEVEL_WEIGHTS = {0: 5, 1: 34, 2: 31, 3: 27, 4: 3}
# A second organisation's registrations alone mostly stay low: the point of combining.
SECOND_STAY_LEVEL_WEIGHTS = {1: 5, 2: 4, 3: 1}
SECOND_ORGANISATION_SHARE = 0.08
BSN_SHARE = 0.75
REGION_WEIGHTS = {"midden_brabant": 55, "amsterdam": 45}
TYPE_WEIGHTS = {
    "school": 20,
    "youth_care": 15,
    "police": 15,
    "neighbourhood_team": 12,
    "general_practitioner": 10,
    "debt_counselling": 10,
    "youth_work": 10,
    "housing_corporation": 8,
}
# (lowest age, highest age, weight): mostly 12-25, a few adults.
AGE_GROUPS = ((12, 15, 30), (16, 17, 25), (18, 22, 28), (23, 25, 9), (26, 40, 8))
HOW_LEARNED_WEIGHTS = {
    HowLearned.SEEN.value: 6,
    HowLearned.TOLD_BY_PERSON.value: 2,
    HowLearned.TOLD_BY_OTHERS.value: 3,
}
DAYS_BACK = 730  # observations spread over the last two years
ACUTE_DAYS = 25  # an acute signal within the ruleset's acute window (30 days)
TRIES = 60  # attempts to hit the aimed-for level


@dataclass(frozen=True)
class PlannedRegistration:
    signals: tuple[str, ...]
    observed_on: date
    how_learned: str
    context_note: str
    risk_factors: tuple[str, ...] = ()
    author: int = 0  # index into the organisation's members
    where: tuple[tuple[str, object], ...] = ()  # area and phenomena (lens.demo.areas)
    correction: tuple[tuple[str, str], ...] = ()  # (field, new value) pairs
    withdraw_reason: str = ""


@dataclass(frozen=True)
class PlannedInformed:
    informed: bool
    informed_on: date | None = None
    who: str = ""
    reason_not: str = ""


@dataclass(frozen=True)
class PlannedStay:
    """A person's registrations at one organisation (one Person row)."""

    organisation: str  # OrgSpec slug
    identity: Identity
    level: int  # aimed for
    registrations: tuple[PlannedRegistration, ...]
    informed: PlannedInformed | None = None


@dataclass(frozen=True)
class PlannedPerson:
    index: int
    stays: tuple[PlannedStay, ...]


@dataclass
class Report:
    """What `build_persons` did."""

    planned: int = 0
    skipped: int = 0  # stays whose person was there already
    persons: int = 0  # Person rows created
    registrations: int = 0
    corrections: int = 0
    withdrawals: int = 0
    informed: int = 0
    second_organisation: int = 0
    aimed: Counter = field(default_factory=Counter)


# --- planning (pure: no database) ---------------------------------------------------------


class Planner:
    def __init__(self, catalogue: Catalogue, ruleset: Ruleset, today: date, seed: int):
        self.catalogue = catalogue
        self.ruleset = ruleset
        self.today = today
        self.seed = seed
        self.faker = Faker("nl_NL")
        # A check-only question (is there direct danger now?) is never registered.
        known = {c: s for c, s in catalogue.signals.items() if not s.check_only}
        # Only codes the active catalogue knows; strength decides which levels use them.
        self.pools = {
            org_type: {c: w for c, w in pool.items() if c in known}
            for org_type, pool in texts.SIGNAL_POOLS.items()
        }
        self.soft_signals = {c: 1 for c, signal in known.items() if signal.strength == "zacht"}
        self.acute = {
            org_type: tuple(c for c in codes if c in known and known[c].acute)
            for org_type, codes in texts.ACUTE_POOLS.items()
        }
        self.risk_weights = {
            c: w for c, w in texts.RISK_FACTOR_WEIGHTS.items() if c in catalogue.risk_factors
        }

    def person(self, index: int) -> PlannedPerson:
        rng = random.Random(f"uitbuitingslens-demo:{self.seed}:{index}")
        self.faker.seed_instance(f"uitbuitingslens-demo:{self.seed}:{index}")
        identity = self._identity(rng, index)
        age = age_on(identity.birth_date, self.today)
        region = _weighted(rng, REGION_WEIGHTS)
        in_region = [o for o in ORGANISATIONS if o.region == region]
        first = _weighted(rng, {o: TYPE_WEIGHTS.get(o.organisation_type, 5) for o in in_region})
        stays = [self._stay(rng, first, identity, age, _weighted(rng, LEVEL_WEIGHTS))]
        if rng.random() < SECOND_ORGANISATION_SHARE:
            others = {o: TYPE_WEIGHTS.get(o.organisation_type, 5) for o in in_region if o != first}
            second = _weighted(rng, others)
            second_identity = identity
            if identity.bsn and rng.random() < 1 / 3:  # known there by name and birth date only
                second_identity = Identity(
                    identity.given_names,
                    identity.family_name,
                    identity.birth_date,
                    "",
                    identity.sex,
                )
            level = _weighted(rng, SECOND_STAY_LEVEL_WEIGHTS)
            stays.append(self._stay(rng, second, second_identity, age, level))
        return PlannedPerson(index, tuple(stays))

    def _identity(self, rng: random.Random, index: int) -> Identity:
        low, high, _w = _weighted(rng, {group: group[2] for group in AGE_GROUPS})
        age = rng.randint(low, high)
        birthday = self.today - timedelta(days=rng.randrange(1, 365))
        birth_date = _years_before(birthday, age)
        sex = _weighted(rng, {"female": 46, "male": 50, "other": 1, "": 3})
        fake = self.faker
        if sex == "female":
            given = fake.first_name_female()
        elif sex == "male":
            given = fake.first_name_male()
        else:
            given = fake.first_name()
        if rng.random() < 0.2:
            given = (
                f"{given} {fake.first_name_female() if sex == 'female' else fake.first_name_male()}"
            )
        bsn = synthetic_bsn(index) if rng.random() < BSN_SHARE else ""
        return Identity(given, fake.last_name(), birth_date, bsn, sex)

    def _stay(self, rng, org, identity: Identity, age: int, level: int) -> PlannedStay:
        org_type = org.organisation_type
        registrations: tuple[PlannedRegistration, ...] = ()
        for _attempt in range(TRIES):
            registrations = self._registrations(rng, org_type, age, max(level, 1))
            if level == 0 or self._level(org, registrations) == level:
                break
        if level == 0:  # every registration withdrawn: nothing current, level 0
            registrations = tuple(
                _replace(r, withdraw_reason=rng.choice(texts.WITHDRAWAL_REASONS))
                for r in registrations
            )
        elif len(registrations) >= 2 and rng.random() < 0.06:
            # Now and then a correction: the source was noted wrongly (level unchanged).
            k = rng.randrange(len(registrations))
            old = registrations[k]
            new_how = rng.choice([h for h in HowLearned.values if h != old.how_learned])
            note = f"{old.context_note} Bron gecorrigeerd na overleg met een collega."
            correction = (("how_learned", new_how), ("context_note", note))
            registrations = (
                *registrations[:k],
                _replace(old, correction=correction),
                *registrations[k + 1 :],
            )
        elif rng.random() < 0.05:
            # An extra registration, later withdrawn with a reason (level unchanged).
            extra = self._registration(rng, org_type, 1, self._days_ago(rng), ())
            reason = rng.choice(texts.WITHDRAWAL_REASONS)
            registrations = (*registrations, _replace(extra, withdraw_reason=reason))
        registrations = tuple(sorted(registrations, key=lambda r: r.observed_on))
        registrations = areas.placed(registrations, org, identity, self.catalogue, self.seed)
        informed = self._informed(rng, identity, registrations[0].observed_on)
        return PlannedStay(org.slug, identity, level, registrations, informed)

    def _registrations(self, rng, org_type: str, age: int, level: int):
        count = rng.choice({1: (1, 1, 2), 2: (1, 2, 2, 3), 3: (2, 3, 3, 4), 4: (1, 2, 3)}[level])
        days = sorted((self._days_ago(rng) for _ in range(count)), reverse=True)
        risk = self._risk_factors(rng, age) if rng.random() < 0.4 else ()
        risk_at = rng.randrange(count)
        registrations = []
        for k, days_ago in enumerate(days):
            acute = level == 4 and k == count - 1
            if acute:
                days_ago = rng.randrange(ACUTE_DAYS)
            registrations.append(
                self._registration(
                    rng, org_type, level, days_ago, risk if k == risk_at else (), acute=acute
                )
            )
        return tuple(registrations)

    def _registration(self, rng, org_type, level, days_ago, risk, *, acute=False):
        pool = self.pools.get(org_type) or self.soft_signals  # a pool the catalogue emptied
        if level <= 1:
            pool = {c: w for c, w in pool.items() if self.catalogue.signals[c].strength == "zacht"}
        elif level == 2:  # the odd middel or sterk signal, mostly soft ones
            pool = {
                c: (w if self.catalogue.signals[c].strength == "zacht" else max(1, w // 2))
                for c, w in pool.items()
            }
        size = rng.choice({1: (1, 1, 2), 2: (1, 2, 2, 3), 3: (2, 2, 3), 4: (1, 2)}[level])
        signals = _sample(rng, pool, min(size, len(pool)))
        if acute and self.acute.get(org_type):
            signals = [rng.choice(self.acute[org_type]), *signals]
        how = _weighted(rng, HOW_LEARNED_WEIGHTS)
        note = ". ".join(texts.SIGNAL_NOTES[c] for c in signals[:2] if c in texts.SIGNAL_NOTES)
        note = f"{note}." if note else ""
        if rng.random() < 0.5:
            note = f"{note} {rng.choice(texts.HOW_LEARNED_NOTES[how])}".strip()
        return PlannedRegistration(
            signals=tuple(signals),
            observed_on=self.today - timedelta(days=days_ago),
            how_learned=how,
            context_note=note,
            risk_factors=tuple(risk),
            author=rng.randrange(6),
        )

    def _risk_factors(self, rng, age: int) -> tuple[str, ...]:
        chosen = _sample(rng, self.risk_weights, rng.choice((1, 1, 2)))
        if age < 18 and "young_age" in self.catalogue.risk_factors and rng.random() < 0.5:
            chosen.append("young_age")
        return tuple(chosen)

    def _days_ago(self, rng) -> int:
        # More recent than old, but about a third older than a year.
        return int(DAYS_BACK * rng.random() ** 1.3)

    def _informed(self, rng, identity: Identity, first_seen: date) -> PlannedInformed | None:
        if rng.random() >= 0.4:
            return None
        if rng.random() < 0.3:
            return PlannedInformed(False, reason_not=rng.choice(texts.NOT_INFORMED_REASONS))
        span = (self.today - first_seen).days
        informed_on = first_seen + timedelta(days=rng.randint(0, min(span, 30)))
        minor = age_on(identity.birth_date, informed_on) < 16
        who = InformedWho.PARENTS if minor else InformedWho.PERSON
        return PlannedInformed(True, informed_on=informed_on, who=who.value)

    def _level(self, org, registrations) -> int:
        """The level the lens engine gives these registrations (as actions would store)."""
        observations = tuple(
            Observation(code, org.organisation_type, r.observed_on)
            for r in registrations
            if not r.withdraw_reason
            for code in r.signals
        )
        risk = tuple(sorted({c for r in registrations for c in r.risk_factors}))
        data = AssessmentInput(
            signals=observations, risk_factors=risk, region=org.region, as_of=self.today
        )
        return assess(self.catalogue, self.ruleset, data, today=self.today).level.number


# --- helpers ------------------------------------------------------------------------------


def _weighted(rng: random.Random, weights: dict):
    items = list(weights)
    return rng.choices(items, weights=[weights[i] for i in items])[0]


def _sample(rng: random.Random, weights: dict[str, int], k: int) -> list[str]:
    """k distinct codes, drawn by weight."""
    remaining = dict(weights)
    chosen: list[str] = []
    while remaining and len(chosen) < k:
        code = _weighted(rng, remaining)
        chosen.append(code)
        del remaining[code]
    return chosen


def age_on(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _replace(registration: PlannedRegistration, **changes) -> PlannedRegistration:
    return replace(registration, **changes)
