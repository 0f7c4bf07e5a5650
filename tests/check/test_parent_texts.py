"""Everything a parent or carer sees of the check's outcome fits a parent (issue 12 §1):
what a parent can do (talk with the young person, call Veilig Thuis or the care
coordinator, anonymously if they like, 112 in acute danger), never a professional's
meldcode, designated officer, organisation or colleagues."""

from __future__ import annotations

import re

import pytest

from lens.check.forms import signal_field_name

from .conftest import soft_signals

pytestmark = pytest.mark.django_db

# Words that only make sense to someone who works in an organisation.
PROFESSIONAL_ONLY = {
    "nl": (
        "meldcode",
        "aandachtsfunctionaris",
        "meldroute",
        "uw organisatie",
        "eigen organisatie",
        "collega",
        "als professional",
        "voor professionals",
        "van professionals",
        "dossier",
    ),
    "en": (
        "meldcode",
        "reporting code",
        "designated officer",
        "your organisation",
        "own organisation",
        "colleague",
        "as a professional",
        "for professionals",
        "from frontline professionals",
    ),
}
URLS = {"nl": ("/uitkomst/", "/niveaus/"), "en": ("/en/outcome/", "/en/levels/")}


def seen_text(html: str) -> str:
    """The page's text as a reader sees it (tags, scripts and comments dropped)."""
    html = re.sub(r"<!--.*?-->|<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).lower()


def cases(catalogue) -> dict[str, dict]:
    """Answers for every level, with don't-knows, risk factors and a region."""
    soft = soft_signals(catalogue)
    strong = [s for s in catalogue.signals.values() if s.strength == "sterk" and not s.acute]
    acute = next(s for s in catalogue.signals.values() if s.acute and not s.check_only)
    spread = {s.life_domains[0]: s for s in soft}
    yes = {
        "nothing": [],
        "one soft signal": soft[:1],
        # three soft signals in three areas: level 2 (two soft signals alone are level 1
        # since ruleset 2026.12)
        "three areas of life": list(spread.values())[:3],
        "strong signals": strong[:3] + soft[:4],
        "acute": [acute],
    }
    region = sorted(catalogue.regions)[0]
    result = {}
    for name, signals in yes.items():
        data = {signal_field_name(s.code): "yes" for s in signals}
        data[signal_field_name(soft[-1].code)] = "unknown"
        data[signal_field_name("direct_danger_now")] = "unknown"
        data |= {"audience": "parent", "age": "under_16"}
        result[name] = data
        result[name + ", region and risk factors"] = data | {
            "region": region,
            "risk_factors": list(catalogue.risk_factors)[:2],
        }
    return result


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_parent_sees_no_professional_only_words_at_any_level(client, catalogue, lang):
    outcome, levels = URLS[lang]
    seen_levels = set()
    for name, data in cases(catalogue).items():
        response = client.post(outcome, data)
        assert response.status_code == 200, name
        html = response.content.decode()
        seen_levels.add(re.search(r"lens-level--(\d)", html).group(1))
        text = seen_text(html)
        found = [w for w in PROFESSIONAL_ONLY[lang] if w in text]
        assert not found, (name, found)
    assert seen_levels == {"0", "1", "2", "3", "4"}
    text = seen_text(client.get(levels).content.decode())  # linked from the outcome
    assert not [w for w in PROFESSIONAL_ONLY[lang] if w in text]


def test_a_professional_still_gets_the_professional_guidance(client, catalogue):
    """The words above are not missing from the page as such: a professional gets the
    professional-only guidance (so the parent test above can fail)."""
    professional_only = [t for t in catalogue.thresholds.values() if t.professional_only]
    assert professional_only
    data = cases(catalogue)["strong signals"] | {"audience": "professional"}
    text = seen_text(client.post("/uitkomst/", data).content.decode())
    assert "meldcode" in text and "aandachtsfunctionaris" in text
    assert all(t.label.nl.lower() in text for t in professional_only)
    parent = seen_text(client.post("/uitkomst/", data | {"audience": "parent"}).content.decode())
    assert not any(t.label.nl.lower() in parent for t in professional_only)
    shared = [t for t in catalogue.thresholds.values() if not t.professional_only]
    assert shared and all(t.label.nl.lower() in parent for t in shared)
