"""A small valid catalogue and ruleset, written to a folder for loader and command tests.

Tests break one thing in one file and assert the exact `file:line:` of the message;
`line_of` finds the line, so the expected number is computed from what was written.
"""

from __future__ import annotations

from pathlib import Path

TEXT = "{nl: Tekst, en: Text}"

FILES = {
    "catalogue.yaml": """\
catalogue:
  version: "2026.11"
  name: "Testcatalogus"
""",
    "sources.yaml": """\
sources:
  - code: seed_000
    title: "Wat is nou eigenlijk criminele uitbuiting?"
    file: 000.txt
""",
    "base.yaml": f"""\
organisation_types:
  - code: school
    label: {{nl: School, en: School}}
    explanation: {TEXT}
    sources: [seed_000]
life_domains:
  - code: gezondheid
    order: 2
    label: {{nl: Gezondheid, en: Health}}
    explanation: {TEXT}
    seen_by: [school]
    sources: [seed_000]
  - code: wonen_financien
    order: 1
    label: {{nl: "Wonen & Financiën", en: "Housing & Finances"}}
    explanation: {TEXT}
    seen_by: [school]
    sources: [seed_000]
indicators:
  - code: money
    label: {{nl: Geld, en: Money}}
    explanation: {TEXT}
    seen_by: [school]
    sources: [seed_000]
risk_factors:
  - code: debts
    label: {{nl: Schulden, en: Debts}}
    explanation: {TEXT}
    sources: [seed_000]
""",
    "signals.yaml": f"""\
signals:
  - code: cash
    label: {{nl: Veel contant geld, en: Lots of cash}}
    explanation: {TEXT}
    indicators: [money]
    life_domains: [wonen_financien]
    strength: zacht
    strength_basis: "seed 000: a 0-signal"
    sources: [seed_000]
  - code: threatened
    label: {{nl: Bedreigd, en: Threatened}}
    explanation: {TEXT}
    indicators: [money]
    life_domains: [gezondheid, wonen_financien]
    strength: sterk
    strength_basis: "ILO/EC 2009: strong indicator"
    acute: true
    sources: [seed_000]
""",
    "steps.yaml": f"""\
steps:
  - code: meldcode_1
    route: meldcode
    number: 1
    label: {{nl: In kaart brengen, en: Map the signals}}
    explanation: {TEXT}
    sources: [seed_000]
regions:
  - code: midden_brabant
    label: {{nl: Midden-Brabant, en: Midden-Brabant}}
    explanation: {TEXT}
    municipalities: [Tilburg]
    sources: [seed_000]
contacts:
  - code: acute_112
    role: acute
    phone: "112"
    always_available: true
    label: {{nl: Alarmnummer, en: Emergency number}}
    explanation: {TEXT}
    sources: [seed_000]
  - code: zorgcoordinator_midden_brabant
    role: zorgcoordinator
    region: midden_brabant
    phone: "013 549 8430"
    hours: {{nl: "ma-vr 9-17", en: "Mon-Fri 9-17"}}
    label: {{nl: Zorgcoördinator, en: Care coordinator}}
    explanation: {TEXT}
    sources: [seed_000]
""",
    "ruleset.yaml": f"""\
ruleset:
  version: "2026.11"
  weights: {{zacht: 1, middel: 2, sterk: 4}}
  recent_days: 365
  old_weight: 0.5
  acute_days: 30
  indicator_cap: 8
  life_domain_cap: 12
  risk_bonus_per_factor: 0.5
  risk_bonus_max: 1.5
  risk_alert_min: 2
  theme_cap: 2
  levels:
    - number: 0
      label: {TEXT}
      meaning: {TEXT}
      rules: []
    - number: 1
      label: {TEXT}
      meaning: {TEXT}
      rules:
        - code: l1_signal
          description: {TEXT}
          minimum: {{signals: 1}}
        - code: l1_risk_factors
          description: {TEXT}
          minimum: {{risk_factors: 2}}
      steps: [meldcode_1]
      contact_roles: [zorgcoordinator]
    - number: 2
      label: {TEXT}
      meaning: {TEXT}
      rules:
        - code: l2_sum
          description: {TEXT}
          minimum: {{signals: 1, total: 3}}
    - number: 3
      label: {TEXT}
      meaning: {TEXT}
      rules:
        - code: l3_strong
          description: {TEXT}
          minimum: {{signals: 1, strong: 2}}
    - number: 4
      label: {TEXT}
      meaning: {TEXT}
      rules:
        - code: l4_acute
          description: {TEXT}
          minimum: {{signals: 1, acute: 1}}
      contact_roles: [acute, zorgcoordinator]
""",
}


def write_catalogue(directory: Path, files: dict[str, str] | None = None) -> Path:
    """Write the minimal catalogue, with `files` replacing or adding whole files."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in (FILES | (files or {})).items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def change(name: str, old: str, new: str) -> dict[str, str]:
    """One file of the minimal catalogue with `old` (which must occur once) replaced."""
    assert FILES[name].count(old) == 1, f"{old!r} must occur once in {name}"
    return {name: FILES[name].replace(old, new)}


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The 1-based number of the line holding the `occurrence`-th `needle`."""
    hits = [n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line]
    return hits[occurrence - 1]
