"""The catalogue and ruleset as plain, immutable Python objects.

No Django import here: the lens engine and everything it needs is pure Python, so the
rules can be tested (and reasoned about) without a database. The catalogue loader
(`lens.catalogue.loader`) builds these objects from the YAML files under `catalogue/`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
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


@dataclass(frozen=True)
class RiskFactor(Item):
    pass


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


@dataclass(frozen=True)
class Threshold(Item):
    """One of the ten drempels: `label` is the doubt, `explanation` the answer."""

    number: int = 0


@dataclass(frozen=True)
class Principle(Item):
    pass


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
