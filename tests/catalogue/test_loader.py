"""The loader: a valid catalogue builds; every kind of mistake names its file and line."""

import json
import re

import pytest

from lens.catalogue.loader import (
    CatalogueError,
    CatalogueInvalid,
    catalogue_from_dict,
    catalogue_to_dict,
    load_catalogue,
    load_directory,
    load_ruleset,
    ruleset_from_dict,
    ruleset_to_dict,
)

from .minimal import FILES, change, line_of, write_catalogue


def errors_for(directory):
    with pytest.raises(CatalogueInvalid) as caught:
        load_directory(directory)
    return [str(error) for error in caught.value.errors]


def at(path, needle):
    """`path:line` of the line holding `needle`."""
    return f"{path}:{line_of(path, needle)}"


def assert_error(directory, file, needle, reason, occurrence=1):
    """Exactly one error, at the line of `needle` in `file`, whose reason holds `reason`."""
    path = directory / file
    expected = f"{path}:{line_of(path, needle, occurrence)}: "
    errors = errors_for(directory)
    assert len(errors) == 1, errors
    assert errors[0].startswith(expected), (errors[0], expected)
    assert reason in errors[0]


def test_minimal_catalogue_loads(tmp_path):
    loaded = load_directory(write_catalogue(tmp_path))
    catalogue, ruleset = loaded.catalogue, loaded.ruleset
    assert re.fullmatch(r"2026\.11-[0-9a-f]{8}", catalogue.version)
    assert catalogue.version.endswith(loaded.catalogue_digest[:8])
    assert re.fullmatch(r"2026\.11-[0-9a-f]{8}", ruleset.version)
    assert list(catalogue.signals) == ["cash", "threatened"]  # file order
    assert list(catalogue.life_domains) == ["wonen_financien", "gezondheid"]  # by `order`
    threatened = catalogue.signals["threatened"]
    assert (threatened.strength, threatened.acute) == ("sterk", True)
    assert threatened.life_domains == ("gezondheid", "wonen_financien")
    assert catalogue.signals["cash"].acute is False  # the default
    assert catalogue.contacts["zorgcoordinator_midden_brabant"].hours.en == "Mon-Fri 9-17"
    assert catalogue.contacts["acute_112"].region == ""
    assert [level.number for level in ruleset.levels] == [0, 1, 2, 3, 4]
    assert ruleset.levels[1].rules[1].minimum == {"risk_factors": 2}
    assert ruleset.weights == {"zacht": 1, "middel": 2, "sterk": 4}


def test_version_follows_the_content(tmp_path):
    first = load_catalogue(write_catalogue(tmp_path / "a"))
    same = load_catalogue(write_catalogue(tmp_path / "b"))
    changed = load_catalogue(
        write_catalogue(tmp_path / "c", change("signals.yaml", "Lots of cash", "Much cash"))
    )
    new_ruleset = write_catalogue(
        tmp_path / "d", change("ruleset.yaml", "old_weight: 0.5", "old_weight: 0.6")
    )
    assert first.version == same.version
    assert changed.version != first.version
    # The ruleset is versioned on its own: changing it leaves the catalogue version alone.
    assert load_catalogue(new_ruleset).version == first.version
    assert (
        load_ruleset(new_ruleset / "ruleset.yaml").version
        != load_ruleset(tmp_path / "a" / "ruleset.yaml").version
    )


def test_duplicate_code_names_both_places(tmp_path):
    extra = FILES["signals.yaml"].split("  - code: threatened")[0]
    directory = write_catalogue(tmp_path, {"signals-extra.yaml": extra})
    first = at(directory / "signals-extra.yaml", "code: cash")
    assert_error(
        directory,
        "signals.yaml",
        "code: cash",
        f"duplicate code 'cash' in 'signals' (first at {first})",
    )


def test_unknown_reference(tmp_path):
    directory = write_catalogue(
        tmp_path,
        change("signals.yaml", "life_domains: [gezondheid, ", "life_domains: [gezondhied, "),
    )
    assert_error(
        directory,
        "signals.yaml",
        "gezondhied",
        "unknown code 'gezondhied' (not in section 'life_domains') (did you mean 'gezondheid'?)",
    )


def test_unknown_organisation_type_in_seen_by(tmp_path):
    old = "    seen_by: [school]\n    sources: [seed_000]\nrisk"
    directory = write_catalogue(
        tmp_path, change("base.yaml", old, old.replace("[school]", "[school, police]"))
    )
    assert_error(
        directory, "base.yaml", "police", "indicators 'money': seen_by: unknown code 'police'"
    )


def test_missing_label_language(tmp_path):
    directory = write_catalogue(
        tmp_path, change("signals.yaml", "{nl: Bedreigd, en: Threatened}", "{nl: Bedreigd}")
    )
    assert_error(
        directory,
        "signals.yaml",
        "Bedreigd",
        "signals 'threatened': label: missing the English text (en)",
    )


def test_missing_source(tmp_path):
    old = '    strength_basis: "seed 000: a 0-signal"\n    sources: [seed_000]'
    directory = write_catalogue(
        tmp_path, change("signals.yaml", old, old.replace("[seed_000]", "[]"))
    )
    assert_error(
        directory,
        "signals.yaml",
        "sources: []",
        "signals 'cash': sources: needs at least one code from section 'sources'",
    )


def test_missing_sources_field(tmp_path):
    directory = write_catalogue(
        tmp_path, change("base.yaml", "    sources: [seed_000]\nlife_domains:", "life_domains:")
    )
    assert_error(
        directory,
        "base.yaml",
        "code: school",
        "organisation_types 'school': missing field 'sources'",
    )


def test_unknown_field(tmp_path):
    directory = write_catalogue(
        tmp_path, change("signals.yaml", "    label: {nl: Veel", "    lable: {nl: Veel")
    )
    path = directory / "signals.yaml"
    errors = errors_for(directory)
    # The typo is reported where it is, and the real field as missing where the item starts.
    assert errors == [
        f"{at(path, 'code: cash')}: signals 'cash': missing field 'label'",
        f"{at(path, 'lable')}: signals 'cash': unknown field 'lable' (did you mean 'label'?)",
    ]


def test_bad_strength(tmp_path):
    directory = write_catalogue(
        tmp_path, change("signals.yaml", "strength: sterk", "strength: heel_sterk")
    )
    assert_error(
        directory,
        "signals.yaml",
        "heel_sterk",
        "signals 'threatened': strength: 'heel_sterk' is not one of zacht, middel, sterk",
    )


def test_yaml_syntax_error(tmp_path):
    directory = write_catalogue(
        tmp_path, change("signals.yaml", "    strength: zacht", "    strength: [zacht")
    )
    errors = errors_for(directory)
    path = directory / "signals.yaml"
    assert len(errors) == 1
    assert re.match(rf"{re.escape(str(path))}:\d+: YAML syntax error: ", errors[0])
    # PyYAML notices the unclosed list a line or two later; the line must be near the cause.
    line = int(errors[0][len(str(path)) + 1 :].split(":")[0])
    assert line_of(path, "[zacht") <= line <= line_of(path, "[zacht") + 2


def test_yaml_syntax_error_at_its_line(tmp_path):
    directory = write_catalogue(
        tmp_path, change("steps.yaml", "    route: meldcode", "    route: meldcode: 1")
    )
    assert_error(
        directory,
        "steps.yaml",
        "meldcode: 1",
        "YAML syntax error: mapping values are not allowed here",
    )


def test_duplicate_key(tmp_path):
    directory = write_catalogue(
        tmp_path, change("steps.yaml", "    number: 1", "    number: 1\n    number: 2")
    )
    assert_error(directory, "steps.yaml", "number: 2", "duplicate key 'number'")


def test_unknown_section(tmp_path):
    directory = write_catalogue(tmp_path, {"extra.yaml": "signal:\n  - code: x\n"})
    assert_error(
        directory, "extra.yaml", "signal:", "unknown section 'signal' (did you mean 'signals'?)"
    )


def test_contact_needs_a_way_to_reach_it(tmp_path):
    directory = write_catalogue(tmp_path, change("steps.yaml", '    phone: "112"\n', ""))
    assert_error(
        directory,
        "steps.yaml",
        "code: acute_112",
        "contacts 'acute_112': needs at least one of phone, url or email",
    )


def test_bad_code_and_unquoted_version(tmp_path):
    files = change("catalogue.yaml", '"2026.11"', "2026.11") | change(
        "base.yaml", "code: debts", "code: Debts"
    )
    directory = write_catalogue(tmp_path, files)
    assert errors_for(directory) == [
        f"{directory / 'base.yaml'}:{line_of(directory / 'base.yaml', 'Debts')}: "
        "risk_factors 'Debts': code: 'Debts' is not a valid code (a-z, 0-9 and _)",
        f"{directory / 'catalogue.yaml'}:2: "
        "catalogue: version: expected text, found a number (put it in quotes)",
    ]


def test_all_errors_are_collected_and_sorted(tmp_path):
    files = (
        change("signals.yaml", "strength: sterk", "strength: enorm")
        | change("base.yaml", "order: 1", "order: een")
        | {"ruleset.yaml": FILES["ruleset.yaml"].replace("old_weight: 0.5", "old_weight: 0")}
    )
    files["signals.yaml"] = files["signals.yaml"].replace(
        "indicators: [money]", "indicators: [mony]", 1
    )
    directory = write_catalogue(tmp_path, files)
    errors = errors_for(directory)
    assert [e.split(": ")[0] for e in errors] == [
        f"{directory / 'base.yaml'}:{line_of(directory / 'base.yaml', 'order: een')}",
        f"{directory / 'ruleset.yaml'}:{line_of(directory / 'ruleset.yaml', 'old_weight')}",
        f"{directory / 'signals.yaml'}:{line_of(directory / 'signals.yaml', 'mony')}",
        f"{directory / 'signals.yaml'}:{line_of(directory / 'signals.yaml', 'enorm')}",
    ]


# --- the ruleset -------------------------------------------------------------------------


def test_ruleset_risk_factors_metric_above_level_1(tmp_path):
    files = change(
        "ruleset.yaml", "minimum: {signals: 1, total: 3}", "minimum: {signals: 1, risk_factors: 3}"
    )
    directory = write_catalogue(tmp_path, files)
    assert_error(
        directory,
        "ruleset.yaml",
        "risk_factors: 3",
        "level 2, rule 'l2_sum': the metric 'risk_factors' is only allowed in levels 0 and 1",
    )


def test_ruleset_rule_of_level_2_without_signals(tmp_path):
    directory = write_catalogue(
        tmp_path, change("ruleset.yaml", "minimum: {signals: 1, strong: 2}", "minimum: {strong: 2}")
    )
    assert_error(
        directory,
        "ruleset.yaml",
        "minimum: {strong: 2}",
        "level 3, rule 'l3_strong': a rule of level 3 must require 'signals' or 'acute' of "
        "at least 1",
    )


def test_ruleset_missing_level(tmp_path):
    text = FILES["ruleset.yaml"]
    without_3 = text[: text.index("    - number: 3")] + text[text.index("    - number: 4") :]
    directory = write_catalogue(tmp_path, {"ruleset.yaml": without_3})
    assert_error(directory, "ruleset.yaml", "levels:", "levels: level 3 is missing")


def test_ruleset_unknown_metric_and_bad_weights(tmp_path):
    files = change(
        "ruleset.yaml", "{zacht: 1, middel: 2, sterk: 4}", "{zacht: 3, middel: 2, sterk: 4}"
    )
    files["ruleset.yaml"] = files["ruleset.yaml"].replace(
        "{signals: 1, total: 3}", "{signals: 1, totaal: 3}"
    )
    directory = write_catalogue(tmp_path, files)
    path = directory / "ruleset.yaml"
    assert errors_for(directory) == [
        f"{path}:3: weights: must not decrease: zacht <= middel <= sterk",
        f"{at(path, 'totaal')}: level 2, rule 'l2_sum': "
        "unknown metric 'totaal' (did you mean 'total'?)",
    ]


def test_ruleset_level_0_has_no_rules(tmp_path):
    directory = write_catalogue(
        tmp_path,
        change(
            "ruleset.yaml",
            "      rules: []",
            "      rules:\n"
            "        - code: l0\n"
            "          description: {nl: a, en: b}\n"
            "          minimum: {signals: 1}",
        ),
    )
    assert_error(directory, "ruleset.yaml", "rules:", "level 0: must have no rules")


def test_ruleset_steps_and_roles_must_exist_in_the_catalogue(tmp_path):
    files = change("ruleset.yaml", "steps: [meldcode_1]", "steps: [meldcode_9]")
    files["ruleset.yaml"] = files["ruleset.yaml"].replace(
        "[acute, zorgcoordinator]", "[acute, politie]"
    )
    directory = write_catalogue(tmp_path, files)
    path = directory / "ruleset.yaml"
    assert errors_for(directory) == [
        f"{at(path, 'meldcode_9')}: level 1: steps: 'meldcode_9': "
        "the catalogue has no step with this code (did you mean 'meldcode_1'?)",
        f"{at(path, 'politie')}: level 4: contact_roles: 'politie': "
        "the catalogue has no contact with this role",
    ]
    # Without a catalogue there is nothing to check them against.
    assert load_ruleset(path).levels[1].steps == ("meldcode_9",)


# --- snapshots ---------------------------------------------------------------------------


def test_snapshot_round_trip(tmp_path):
    loaded = load_directory(write_catalogue(tmp_path))
    catalogue_json = json.loads(json.dumps(catalogue_to_dict(loaded.catalogue)))
    ruleset_json = json.loads(json.dumps(ruleset_to_dict(loaded.ruleset)))
    catalogue = catalogue_from_dict(catalogue_json)
    ruleset = ruleset_from_dict(ruleset_json)
    assert catalogue == loaded.catalogue
    assert ruleset == loaded.ruleset
    # Order is part of the catalogue: it survives, and sections are lists (jsonb-safe).
    assert list(catalogue.life_domains) == list(loaded.catalogue.life_domains)
    assert isinstance(catalogue_json["signals"], list)
    assert isinstance(catalogue.signals["threatened"].life_domains, tuple)
    assert isinstance(ruleset.levels[2].rules[0], type(loaded.ruleset.levels[2].rules[0]))


def test_error_str():
    assert (
        str(CatalogueError("catalogue/signals.yaml", 12, "bad")) == "catalogue/signals.yaml:12: bad"
    )
    assert str(CatalogueError("catalogue", 0, "no files")) == "catalogue: no files"
