"""Read and validate the ruleset file: weights, time windows, caps, and the levels with
their rules. Public through `lens.catalogue.loader`; pure Python and PyYAML, no Django.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lens.catalogue.fields import INVALID, FieldSpec, check_fields, check_value, suggest
from lens.catalogue.yamlio import CatalogueInvalid, LineMapping, Report, files_digest, read_yaml
from lens.rules.model import METRICS, STRENGTHS, Catalogue, Level, Rule, Ruleset, Text

LEVEL_NUMBERS = range(5)
# Risk factors are not signals: they may raise the advice to "be extra alert" (level 1),
# never further. Levels from this number on need at least one signal in every rule.
FIRST_LEVEL_NEEDING_SIGNALS = 2

RULESET_SPEC = {
    "version": FieldSpec("str"),
    "weights": FieldSpec("map"),
    "recent_days": FieldSpec("int", above=0),
    "old_weight": FieldSpec("number", above=0, high=1),
    "acute_days": FieldSpec("int", above=0),
    "indicator_cap": FieldSpec("number", above=0),
    "life_domain_cap": FieldSpec("number", above=0),
    "risk_bonus_per_factor": FieldSpec("number", low=0),
    "risk_bonus_max": FieldSpec("number", low=0),
    "risk_alert_min": FieldSpec("int", low=1),
    "theme_cap": FieldSpec("number", above=0),
    "levels": FieldSpec("list"),
}
LEVEL_SPEC = {
    "number": FieldSpec("int", low=0, high=4),
    "label": FieldSpec("text"),
    "meaning": FieldSpec("text"),
    "rules": FieldSpec("list"),
    "steps": FieldSpec("codes", required=False, ref="steps"),
    "contact_roles": FieldSpec("codes", required=False, ref="contact_roles"),
}
RULE_SPEC = {
    "code": FieldSpec("code"),
    "description": FieldSpec("text"),
    "minimum": FieldSpec("map"),
    "parent_description": FieldSpec("text", required=False),
}
# Words of someone who works in an organisation: a text written for a parent or carer must
# not use them (a parent has no meldcode, designated officer or organisation of their own).
PROFESSIONAL_WORDS = (
    "meldcode",
    "aandachtsfunctionaris",
    "organisatie",
    "collega",
    "dossier",
    "reporting code",
    "designated officer",
    "organisation",
    "colleague",
)
WEIGHTS_SPEC = {strength: FieldSpec("number", low=0) for strength in STRENGTHS}


def load_ruleset_with_digest(path: Path, catalogue: Catalogue | None = None) -> tuple[Ruleset, str]:
    """Like `load_ruleset`, also returning the full sha256 digest of the file."""
    path = Path(path)
    report = Report(str(path))
    if not path.is_file():
        report.add(0, "the ruleset file does not exist")
        raise CatalogueInvalid(report.errors)
    data, raw = read_yaml(path, report)
    ruleset = None
    if isinstance(data, LineMapping):
        for key in data:
            if key != "ruleset":
                report.add(data.line_of(key), f"unknown section {key!r} (only 'ruleset')")
        if "ruleset" not in data:
            report.add(data.line, "missing the 'ruleset' section")
        else:
            ruleset = _check_ruleset(data["ruleset"], data.line_of("ruleset"), report)
    elif not report.errors:
        report.add(1, "the ruleset file must hold a mapping with the key 'ruleset'")
    if catalogue is not None:
        _check_ruleset_refs(report, catalogue)
    if report.errors or ruleset is None:
        raise CatalogueInvalid(report.errors)
    digest = files_digest([(path.name, raw)])
    return Ruleset(**(ruleset | {"version": f"{ruleset['version']}-{digest[:8]}"})), digest


def _check_ruleset_refs(report: Report, catalogue: Catalogue) -> None:
    """The steps and contact roles the levels name must exist in the catalogue."""
    known = {
        "steps": set(catalogue.steps),
        "contact_roles": {contact.role for contact in catalogue.contacts.values()},
    }
    for _, line, kind, code, what in report.refs:
        if code not in known[kind]:
            missing = "no step with this code" if kind == "steps" else "no contact with this role"
            report.add(
                line, f"{what}: {code!r}: the catalogue has {missing}" + suggest(code, known[kind])
            )


def _check_ruleset(data: Any, line: int, report: Report) -> dict[str, Any] | None:
    values = check_fields(data, RULESET_SPEC, "ruleset", line, report)
    if values is None:
        return None
    if "weights" in values:
        weights = values["weights"]
        checked = check_fields(weights, WEIGHTS_SPEC, "weights", weights.line, report)
        if checked is not None and len(checked) == len(STRENGTHS):
            if not checked["zacht"] <= checked["middel"] <= checked["sterk"]:
                report.add(weights.line, "weights: must not decrease: zacht <= middel <= sterk")
            values["weights"] = dict(checked)
    levels: dict[int, Level] = {}
    if "levels" in values:
        rule_codes: dict[str, int] = {}
        for item, item_line in zip(values["levels"], values["levels"].item_lines, strict=True):
            level = _check_level(item, item_line, report, rule_codes)
            if level is None:
                continue
            if level.number in levels:
                report.add(item_line, f"level {level.number} is defined twice")
            levels[level.number] = level
        missing = [str(number) for number in LEVEL_NUMBERS if number not in levels]
        if missing:
            numbers = (
                f"level {missing[0]} is"
                if len(missing) == 1
                else f"levels {', '.join(missing)} are"
            )
            report.add(data.line_of("levels"), f"levels: {numbers} missing")
        values["levels"] = tuple(levels[n] for n in sorted(levels))
    return values if len(values) == len(RULESET_SPEC) else None


def _check_level(data: Any, line: int, report: Report, rule_codes: dict[str, int]) -> Level | None:
    number = data.get("number") if isinstance(data, LineMapping) else None
    what = f"level {number}" if isinstance(number, int) else "level"
    values = check_fields(data, LEVEL_SPEC, what, line, report)
    if values is None:
        return None
    rules: list[Rule] = []
    rules_seq = values.get("rules")
    if rules_seq is not None:
        for item, item_line in zip(rules_seq, rules_seq.item_lines, strict=True):
            rule = _check_rule(item, item_line, what, values.get("number"), report)
            if rule is None:
                continue
            if rule.code in rule_codes:
                report.add(
                    item_line,
                    f"{what}: duplicate rule code {rule.code!r} "
                    f"(first on line {rule_codes[rule.code]})",
                )
            rule_codes.setdefault(rule.code, item_line)
            rules.append(rule)
        number = values.get("number")
        if number == 0 and len(rules_seq):
            report.add(
                data.line_of("rules"),
                "level 0: must have no rules (it is the outcome when no other level applies)",
            )
        elif isinstance(number, int) and number > 0 and not len(rules_seq):
            report.add(
                data.line_of("rules"), f"{what}: needs at least one rule, or it never applies"
            )
    if not all(name in values for name, spec in LEVEL_SPEC.items() if spec.required):
        return None
    return Level(**(values | {"rules": tuple(rules)}))


def _check_rule(
    data: Any, line: int, level_what: str, level: int | None, report: Report
) -> Rule | None:
    code = data.get("code") if isinstance(data, LineMapping) else None
    what = f"{level_what}, rule {code!r}" if isinstance(code, str) else f"{level_what}, rule"
    values = check_fields(data, RULE_SPEC, what, line, report)
    if values is None or "minimum" not in values:
        return None
    minimum = values["minimum"]
    checked: dict[str, float] = {}
    for metric, threshold in minimum.items():
        metric_line = minimum.line_of(metric)
        if metric not in METRICS:
            message = f"{what}: unknown metric {metric!r}{suggest(metric, METRICS)}"
            report.add(metric_line, message)
            continue
        value = check_value(
            threshold, FieldSpec("number", above=0), f"{what}: {metric}", metric_line, report
        )
        if value is not INVALID:
            checked[metric] = value
    if not minimum:
        report.add(minimum.line, f"{what}: minimum needs at least one metric")
    if level is not None and level >= FIRST_LEVEL_NEEDING_SIGNALS:
        if "risk_factors" in minimum:
            report.add(
                minimum.line_of("risk_factors"),
                f"{what}: the metric 'risk_factors' is only allowed in levels 0 and 1: "
                "risk factors are not signals and never raise the advice above level 1",
            )
        # `acute` counts acute signals and the answer "direct danger now" (never a risk
        # factor), so it guards this as well as `signals` does (ruleset 2026.12.1)
        if checked.get("signals", 0) < 1 and checked.get("acute", 0) < 1:
            report.add(
                minimum.line,
                f"{what}: a rule of level {level} must require 'signals' or 'acute' of at "
                "least 1, so that risk factors alone never reach it",
            )
    parent = values.get("parent_description")
    if parent is not None:
        _check_parent_words(
            parent, data["parent_description"], f"{what}: parent_description", report
        )
    if not all(name in values for name, spec in RULE_SPEC.items() if spec.required):
        return None
    return Rule(
        code=values["code"],
        description=values["description"],
        minimum=checked,
        parent_description=parent,
    )


def _check_parent_words(text: Text, raw: LineMapping, what: str, report: Report) -> None:
    """A text for a parent or carer in a professional's words is an error (reported on
    the line of the language that has them)."""
    for language in ("nl", "en"):
        found = [w for w in PROFESSIONAL_WORDS if w in text.get(language).lower()]
        if found:
            report.add(
                raw.line_of(language),
                f"{what}: {language}: uses {', '.join(repr(w) for w in found)}, words for "
                "professionals, not for a parent or carer",
            )


def load_ruleset(path: Path, catalogue: Catalogue | None = None) -> Ruleset:
    """Read and validate the ruleset file; with a catalogue, also check that the steps
    and contact roles it names exist. Raises CatalogueInvalid."""
    return load_ruleset_with_digest(path, catalogue)[0]
