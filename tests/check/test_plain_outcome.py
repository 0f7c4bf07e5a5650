"""The outcome in plain words for everyone who reads it (issue 12 §3): no comparison signs
(">=", "≥", "&ge;") and no rule codes on the page or in its PDF summary, at every level,
for both audiences and in both languages; the rules in a parent's own words on the parent
path (catalogue/ruleset.yaml `parent_description`), and none of a professional's words in
the parent's PDF."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from lens.check.views import assess_answers
from tests import pdf_reading

from .test_parent_texts import PROFESSIONAL_ONLY, cases, seen_text

pytestmark = pytest.mark.django_db

OUTCOME = {"nl": "/uitkomst/", "en": "/en/outcome/"}
SUMMARY = {"nl": "/samenvatting.pdf", "en": "/en/summary.pdf"}
AUDIENCES = {
    "parent": {"audience": "parent"},
    "professional": {"audience": "professional", "organisation_type": "school"},
}
SIGNS = (">=", "≥", "&ge;", "&gt;=", "=>", "≧")


def rule_codes(ruleset) -> set[str]:
    return {rule.code for level in ruleset.levels for rule in level.rules}


def engine_words(text: str, ruleset) -> list[str]:
    """The comparison signs and rule codes in a text (raw and with entities resolved)."""
    resolved = html_lib.unescape(text)
    found = [sign for sign in SIGNS if sign in text or sign in resolved]
    found += [code for code in rule_codes(ruleset) if re.search(rf"\b{code}\b", resolved)]
    return found


def level_of(html: str) -> str:
    return re.search(r"lens-level--(\d)", html).group(1)


def ruleset_level(ruleset, code: str) -> int:
    return next(lv.number for lv in ruleset.levels for r in lv.rules if r.code == code)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("audience", ["parent", "professional"])
def test_the_outcome_page_has_no_signs_and_no_rule_codes(
    client, catalogue, ruleset, audience, lang
):
    levels = set()
    for name, data in cases(catalogue).items():
        response = client.post(OUTCOME[lang], data | AUDIENCES[audience])
        assert response.status_code == 200, name
        page = response.content.decode()
        levels.add(level_of(page))
        assert not engine_words(seen_text(page), ruleset), (name, engine_words(page, ruleset))
        # not in the markup either, where a screen reader or a copy could pick it up
        assert not [s for s in SIGNS if s in page and s != "=>"], name
        if audience == "parent":
            text = seen_text(page)
            assert not [w for w in PROFESSIONAL_ONLY[lang] if w in text], name
    assert levels == {"0", "1", "2", "3", "4"}


def test_the_scan_finds_signs_and_codes(ruleset):
    """The scan above can fail: it finds each sign and a rule code."""
    for sign in ("7 >= 6", "7 ≥ 6", "7 &ge; 6", "7 &gt;= 6"):
        assert engine_words(sign, ruleset), sign
    assert engine_words("regel l2_sum geldt", ruleset) == ["l2_sum"]
    assert not engine_words("signaalwaarde 7 (nodig: 6 of meer)", ruleset)


def decisive(catalogue, ruleset, data):
    """The rules that decided the level of these answers, as the outcome page assesses
    them."""
    form, result = assess_answers(data, catalogue, ruleset, "nl")
    assert result is not None, form.errors
    return result.decisive_rules


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_each_reader_gets_the_rules_in_their_own_words(client, catalogue, ruleset, lang):
    """A parent reads why a level was reached, and what would raise it, in a parent's words
    (the ruleset's parent_description, the parent sentences); a professional reads the
    rule's description. Both in words: "6 of meer", never a sign."""

    def read(data, audience):
        page = client.post(OUTCOME[lang], data | AUDIENCES[audience]).content.decode()
        return html_lib.unescape(seen_text(page))

    checked, not_shown = set(), set()
    so = ", dus niveau" if lang == "nl" else ", so level"
    for name, data in cases(catalogue).items():
        rules = [check.rule for check in decisive(catalogue, ruleset, data)]
        parent, professional = read(data, "parent"), read(data, "professional")
        # The first rule that holds (in the ruleset's order) decided the level: the one
        # rule sentence shown; other rules of the same level are not given as reasons.
        for rule in rules[:1]:
            for_parent = rule.parent_description.get(lang).lower() + so
            quoted = f"'{rule.description.get(lang).lower()}'"  # "regel '...' geldt"
            assert for_parent in parent and for_parent not in professional, (name, rule.code)
            assert quoted in professional and quoted not in parent, (name, rule.code)
            checked.add(rule.code)
        for rule in rules[1:]:
            for_parent = rule.parent_description.get(lang).lower() + so
            quoted = f"'{rule.description.get(lang).lower()}'"
            assert for_parent not in parent and quoted not in professional, (name, rule.code)
            not_shown.add(rule.code)
        assert len(re.findall(r"(dus niveau|so level) \d", parent)) == (1 if rules else 0), name
        needed = "of meer" if lang == "nl" else "or more"
        assert needed in parent and needed in professional, name
    # the rules the cases reach, at every level, were read in both wordings
    # (a rule that only ever holds beside an earlier one of its level is read as not shown)
    assert {"l1_signal", "l1_risk_factors", "l2_sum", "l3_strong", "l4_acute"} <= (
        checked | not_shown
    )
    assert {ruleset_level(ruleset, code) for code in checked} == {1, 2, 3, 4}
    assert not_shown  # some case meets two rules of its level
    # the "what would raise the level" line, for each reader: one soft signal (1) and the
    # case's age under 16, which counts as the risk factor young age (0.5)
    data = cases(catalogue)["one soft signal"]
    parent, professional = read(data, "parent"), read(data, "professional")
    if lang == "nl":
        assert "niveau 2 wordt het bij: signaalwaarde 3 of meer (nu 1,5)." in parent
        assert "voor niveau 2 ontbreekt nog: signaalwaarde 3 of meer (nu 1,5)." in professional
        assert "ontbreekt nog" not in parent and "geldt:" not in parent
    else:
        assert "the level would become 2 with: signal value 3 or more (now 1.5)." in parent
        assert "level 2 would still need: signal value 3 or more (now 1.5)." in professional
        assert "would still need" not in parent and "holds:" not in parent


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("audience", ["parent", "professional"])
def test_the_pdf_summary_has_no_signs_codes_or_professional_words_for_a_parent(
    client, catalogue, ruleset, audience, lang, tmp_path
):
    levels = set()
    for name, data in cases(catalogue).items():
        if "region" not in name and name != "nothing":  # the fuller variants, and level 0
            continue
        response = client.post(SUMMARY[lang], data | AUDIENCES[audience] | {"summary": "1"})
        assert response.status_code == 200, name
        text = pdf_reading.text(pdf_reading.write(response.content, tmp_path))
        levels.add(re.search(r"(?:Niveau|Level) (\d) (?:van|of) 4", text).group(1))
        assert not engine_words(text, ruleset), (name, text)
        if audience == "parent":
            lowered = text.lower()
            assert not [w for w in PROFESSIONAL_ONLY[lang] if w in lowered], (name, text)
    assert levels == {"0", "1", "2", "3", "4"}
