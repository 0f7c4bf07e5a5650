"""A rule's `parent_description` (catalogue/ruleset.yaml): the rule in a parent's or
carer's words for the check's parent path. The loader reads it, keeps it through the
database snapshot, and reports a bad one at its file and line."""

from lens.catalogue.loader import load_directory, load_ruleset, ruleset_from_dict, ruleset_to_dict
from lens.rules.model import Text

from .minimal import FILES, change, write_catalogue
from .test_loader import assert_error, errors_for

SIGNAL_RULE = "        - code: l1_signal\n"


def with_parent(text: str) -> dict[str, str]:
    """The minimal ruleset with `text` as l1_signal's parent_description block."""
    return change("ruleset.yaml", SIGNAL_RULE, SIGNAL_RULE + text)


def test_a_parent_description_is_read_and_kept_through_the_snapshot(tmp_path):
    files = with_parent(
        '          parent_description: {nl: "U zag een signaal", en: "You saw a signal"}\n'
    )
    ruleset = load_directory(write_catalogue(tmp_path, files)).ruleset
    rule = ruleset.levels[1].rules[0]
    assert rule.parent_description == Text("U zag een signaal", "You saw a signal")
    assert rule.description_for(parent=True).nl == "U zag een signaal"
    assert rule.description_for(parent=False) == rule.description
    other = ruleset.levels[1].rules[1]  # none given: the description serves everyone
    assert other.parent_description is None
    assert other.description_for(parent=True) == other.description
    assert ruleset_from_dict(ruleset_to_dict(ruleset)) == ruleset
    # a snapshot stored before the field existed still loads
    old = ruleset_to_dict(ruleset)
    for level in old["levels"]:
        for stored in level["rules"]:
            del stored["parent_description"]
    assert ruleset_from_dict(old).levels[1].rules[0].parent_description is None


def test_the_real_ruleset_words_every_rule_for_a_parent(catalogue_dir):
    ruleset = load_ruleset(catalogue_dir / "ruleset.yaml")
    rules = [rule for level in ruleset.levels for rule in level.rules]
    assert rules and all(rule.parent_description for rule in rules)
    for rule in rules:
        for language in ("nl", "en"):
            text = rule.parent_description.get(language)
            assert text and text != rule.description.get(language), rule.code
            assert "≥" not in text and ">=" not in text


def test_a_parent_description_needs_both_languages(tmp_path):
    files = with_parent('          parent_description: {nl: "U zag een signaal"}\n')
    assert_error(
        write_catalogue(tmp_path, files),
        "ruleset.yaml",
        "parent_description",
        "parent_description: missing the English text (en)",
    )


def test_a_parent_description_in_a_professionals_words_names_its_line(tmp_path):
    files = with_parent(
        "          parent_description:\n"
        '            nl: "Overleg met de aandachtsfunctionaris"\n'
        '            en: "Talk it over"\n'
    )
    assert_error(
        write_catalogue(tmp_path, files),
        "ruleset.yaml",
        "aandachtsfunctionaris",
        "level 1, rule 'l1_signal': parent_description: nl: uses 'aandachtsfunctionaris'",
    )
    files = with_parent(
        "          parent_description:\n"
        '            nl: "Praat erover"\n'
        '            en: "Follow the reporting code of your organisation"\n'
    )
    directory = write_catalogue(tmp_path / "en", files)
    errors = errors_for(directory)
    assert len(errors) == 1, errors
    assert "'reporting code', 'organisation'" in errors[0]
    assert_error(directory, "ruleset.yaml", "reporting code", "parent_description: en:")


def test_a_misspelt_parent_description_is_an_unknown_field(tmp_path):
    files = with_parent('          parent_descripton: {nl: "U zag", en: "You saw"}\n')
    assert_error(
        write_catalogue(tmp_path, files),
        "ruleset.yaml",
        "parent_descripton",
        "unknown field 'parent_descripton' (did you mean 'parent_description'?)",
    )


def test_the_minimal_ruleset_needs_no_parent_description():
    assert "parent_description" not in FILES["ruleset.yaml"]
