"""The catalogue and ruleset as plain, immutable Python objects.

No Django import here: the lens engine and everything it needs is pure Python, so the
rules can be tested (and reasoned about) without a database. The catalogue loader
(`lens.catalogue.loader`) builds these objects from the YAML files under `catalogue/`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Literal

Strength = Literal["zacht", "middel", "sterk"]
STRENGTHS: tuple[Strength, ...] = ("zacht", "middel", "sterk")

# Why a leefgebied or indicator is a blind spot: a signal in it was answered "weet ik
# niet" (unknown), or nothing in it was answered at all (no_information).
BlindSpotStatus = Literal["unknown", "no_information"]

# The metrics a ruleset's level rules may put minimum thresholds on. Every metric is
# non-decreasing when a signal is added, which is what makes the engine monotone.
METRICS = (
    "signals",  # distinct positive signals
    "total",  # total signal value (after risk-factor bonus)
    "life_domains",  # leefgebieden with at least one positive signal
    "indicators",  # indicators with at least one positive signal
    "strong",  # distinct positive signals of strength "sterk"
    "acute",  # distinct positive, current signals marked acute
    "risk_factors",  # distinct risk factors present
)


@dataclass(frozen=True)
class Text:
    """A text in Dutch and English."""

    nl: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.nl


@dataclass(frozen=True)
class Source:
    code: str
    title: str
    url: str = ""
    file: str = ""  # seed file name, for the project's own source documents
    verification: str = ""  # how well the facts taken from it were checked
    note: str = ""


@dataclass(frozen=True)
class Item:
    """Common fields of every catalogue item."""

    code: str
    label: Text
    explanation: Text
    sources: tuple[str, ...]


@dataclass(frozen=True)
class OrganisationType(Item):
    pass


@dataclass(frozen=True)
class LifeDomain(Item):
    seen_by: tuple[str, ...] = ()  # organisation type codes that typically see it
    order: int = 0


@dataclass(frozen=True)
class Indicator(Item):
    seen_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signal(Item):
    indicators: tuple[str, ...] = ()
    life_domains: tuple[str, ...] = ()  # the first is where the check shows it
    strength: Strength = "zacht"
    strength_basis: str = ""  # why this strength class: the source that grades it
    acute: bool = False  # points to acute danger: advice level 4 (112)
    # A question about this moment ("is there direct danger now?"), asked by the check and
    # `lens assess` only: never a stored observation about a person, never a blind spot.
    check_only: bool = False
    # A sentence the check adds to the explanation, for what only the check asks (the
    # danger question): the registry's form shows `explanation` alone.
    check_hint: Text | None = None


@dataclass(frozen=True)
class RiskFactor(Item):
    pass


@dataclass(frozen=True)
class RetiredSignal(Item):
    """A signal code that is no longer asked, and what a stored registration with it means
    now: another signal (`replaced_by`, which may itself be retired: a chain) or a risk
    factor (`replaced_by_risk_factor`). Exactly one of the two is set (the loader checks).
    `label` is the old label, `explanation` why it went."""

    replaced_by: str = ""
    replaced_by_risk_factor: str = ""


@dataclass(frozen=True)
class CurrentCodes:
    """Stored codes as the catalogue reads them now (`Catalogue.current_codes`)."""

    signals: tuple[str, ...]
    risk_factors: tuple[str, ...]
    dropped: tuple[str, ...]  # codes the catalogue does not know at all


@dataclass(frozen=True)
class Phenomenon(Item):
    """A linked phenomenon (verwant fenomeen), e.g. ondermijning, pgb-fraude."""


@dataclass(frozen=True)
class Step(Item):
    route: str = ""  # "meldcode" (five steps) or "route" (the explainer's six steps)
    number: int = 0


@dataclass(frozen=True)
class ConversationTip(Item):
    kind: Literal["helps", "hinders"] = "helps"
    # Written for a professional (a file, a colleague, one's own organisation): the check
    # does not show it to a parent or carer.
    professional_only: bool = False


@dataclass(frozen=True)
class Threshold(Item):
    """One of the ten drempels: `label` is the doubt, `explanation` the answer."""

    number: int = 0
    professional_only: bool = False  # as ConversationTip.professional_only


@dataclass(frozen=True)
class Principle(Item):
    professional_only: bool = False  # as ConversationTip.professional_only


@dataclass(frozen=True)
class Region(Item):
    municipalities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contact(Item):
    role: str = ""  # e.g. acute, zorgcoordinator, police, anonymous, veilig_thuis, expert
    region: str = ""  # region code; empty for a national contact
    phone: str = ""
    url: str = ""
    email: str = ""
    hours: Text | None = None
    always_available: bool = False  # 24/7


@dataclass(frozen=True)
class Catalogue:
    version: str  # declared version plus content digest, e.g. "2026.11-3f2a9c1b"
    sources: dict[str, Source]
    organisation_types: dict[str, OrganisationType]
    life_domains: dict[str, LifeDomain]
    indicators: dict[str, Indicator]
    signals: dict[str, Signal]
    risk_factors: dict[str, RiskFactor]
    phenomena: dict[str, Phenomenon]
    steps: dict[str, Step]
    conversation_tips: dict[str, ConversationTip]
    thresholds: dict[str, Threshold]
    principles: dict[str, Principle]
    regions: dict[str, Region]
    contacts: dict[str, Contact]
    retired_signals: dict[str, RetiredSignal] = field(default_factory=dict)

    def resolve_signal(self, code: str) -> tuple[str, str] | None:
        """What a (stored) signal code means now: ("signal", code) for a current signal,
        the end of its `retired_signals` chain for a retired one (("signal", c) or
        ("risk_factor", c)), None for a code the catalogue does not know."""
        seen: set[str] = set()
        while code in self.retired_signals and code not in self.signals and code not in seen:
            seen.add(code)
            retired = self.retired_signals[code]
            if retired.replaced_by_risk_factor:
                found = retired.replaced_by_risk_factor
                return ("risk_factor", found) if found in self.risk_factors else None
            code = retired.replaced_by
        return ("signal", code) if code in self.signals else None

    def current_codes(
        self, signals: Iterable[str], risk_factors: Iterable[str] = ()
    ) -> CurrentCodes:
        """Stored signal and risk-factor codes read through the retired codes: the one
        place where an old registration gets its meaning under this catalogue. Order is
        kept, duplicates (two old codes merged into one) counted once."""
        found_signals: dict[str, None] = {}
        found_risks: dict[str, None] = {}
        dropped: dict[str, None] = {}
        for code in signals:
            resolved = self.resolve_signal(code)
            if resolved is None:
                dropped[code] = None
            elif resolved[0] == "signal":
                found_signals[resolved[1]] = None
            else:
                found_risks[resolved[1]] = None
        for code in risk_factors:
            (found_risks if code in self.risk_factors else dropped)[code] = None
        return CurrentCodes(tuple(found_signals), tuple(found_risks), tuple(dropped))

    def current_input(self, data: AssessmentInput) -> AssessmentInput:
        """The input with retired signal codes read as what replaced them (a signal, or a
        risk factor); unknown codes are left for the engine to refuse."""
        if not self.retired_signals:
            return data
        retired = self.retired_signals

        def mapped(codes: tuple[str, ...]) -> tuple[str, ...]:
            out = []
            for code in codes:
                resolved = self.resolve_signal(code) if code in retired else ("signal", code)
                if resolved is None:
                    out.append(code)
                elif resolved[0] == "signal":
                    out.append(resolved[1])
            return tuple(dict.fromkeys(out))

        observations = []
        risks = list(data.risk_factors)
        for obs in data.signals:
            resolved = self.resolve_signal(obs.code) if obs.code in retired else None
            if resolved is None:
                observations.append(obs)
            elif resolved[0] == "signal":
                observations.append(replace(obs, code=resolved[1]))
            else:
                risks.append(resolved[1])
        return replace(
            data,
            signals=tuple(observations),
            unknown=mapped(data.unknown),
            absent=mapped(data.absent),
            risk_factors=tuple(dict.fromkeys(risks)),
        )

    @cached_property
    def areas(self) -> tuple[tuple[str, str, Item, frozenset[str], tuple[str, ...]], ...]:
        """Each leefgebied, then each indicator, in catalogue order, as the engine reads
        them for its blind spots: (kind, code, the item, the codes of its signals, those
        of them that are not check-only, in catalogue order). Worked out once per
        catalogue (cached on the instance: it never changes)."""
        found = []
        groups = (("life_domain", self.life_domains), ("indicator", self.indicators))
        for kind, areas in groups:
            attribute = "life_domains" if kind == "life_domain" else "indicators"
            for code, area in areas.items():
                members = [s.code for s in self.signals.values() if code in getattr(s, attribute)]
                askable = tuple(c for c in members if not self.signals[c].check_only)
                found.append((kind, code, area, frozenset(members), askable))
        return tuple(found)

    def contacts_for(self, region: str | None) -> list[Contact]:
        """The region's own contacts first, then the national ones."""
        regional = [c for c in self.contacts.values() if region and c.region == region]
        national = [c for c in self.contacts.values() if not c.region]
        return regional + national


@dataclass(frozen=True)
class Rule:
    """A level applies when every minimum in `minimum` is met (metric -> threshold)."""

    code: str
    description: Text
    minimum: dict[str, float]
    # The description in a parent's or carer's words, where theirs differs (the check's
    # parent path); None: `description` fits every reader.
    parent_description: Text | None = None

    def description_for(self, *, parent: bool) -> Text:
        return self.parent_description if parent and self.parent_description else self.description


@dataclass(frozen=True)
class Level:
    number: int  # 0..4
    label: Text
    meaning: Text
    rules: tuple[Rule, ...]  # any one rule suffices; level 0 has none
    steps: tuple[str, ...] = ()  # step codes from the catalogue
    contact_roles: tuple[str, ...] = ()  # which contacts to offer, in order


@dataclass(frozen=True)
class Ruleset:
    version: str
    weights: dict[str, float]  # strength -> weight
    recent_days: int  # observations older than this (days) are "old"
    old_weight: float  # factor (0..1] for old observations
    acute_days: int  # an acute signal counts as acute only within this many days
    indicator_cap: float  # cap on the value shown per indicator
    life_domain_cap: float  # cap on the value shown per leefgebied
    risk_bonus_per_factor: float  # added to the total per risk factor, when signals exist
    risk_bonus_max: float
    risk_alert_min: int  # this many risk factors: "wees extra alert" (level 1 at most)
    levels: tuple[Level, ...] = field(default_factory=tuple)
    # Soft signals of one theme (their first indicator) in one leefgebied (their first)
    # count together for at most this much in the total: repetition is not spread.
    # 0: no such cap (a ruleset stored before the cap existed).
    theme_cap: float = 0.0


@dataclass(frozen=True)
class Observation:
    code: str
    organisation_type: str = ""
    observed_on: date | None = None


@dataclass(frozen=True)
class AssessmentInput:
    signals: tuple[Observation, ...] = ()
    unknown: tuple[str, ...] = ()  # signal codes answered "weet ik niet"
    absent: tuple[str, ...] = ()  # signal codes answered "nee"
    risk_factors: tuple[str, ...] = ()
    region: str = ""
    as_of: date | None = None  # reference date for recency; None means today
