"""The age answer is the one source of the risk factor "young age" in the check (acceptance
review of issue 12: age was context, yet "Jonge leeftijd" was still a checkbox of its own,
so under 16 with signals weighed the same as 24 or older). Under 18 counts (16 and 17 too:
catalogue/README.md, "Age and the risk factor young age"); the checkbox is not asked."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from django.http import QueryDict

from lens.check.forms import CheckForm
from lens.rules.engine import assess

pytestmark = pytest.mark.django_db

CASE = {
    "audience": "professional",
    "region": "midden_brabant",
    "signal_truancy": "yes",
    "signal_two_phones": "yes",
    "risk_factors": "youth_care_history",
}


def assessed(active, data: dict):
    catalogue, ruleset = active
    posted = QueryDict(mutable=True)
    for name, value in data.items():
        posted[name] = value
    form = CheckForm(posted, catalogue=catalogue, language="nl")
    assert form.is_valid(), form.errors
    data_in = form.assessment_input()
    return data_in, assess(catalogue, ruleset, data_in, today=date.today())


@pytest.mark.parametrize("age", ["under_16", "16_17"])
def test_under_18_counts_as_young_age(active, age):
    young, young_result = assessed(active, CASE | {"age": age})
    older, older_result = assessed(active, CASE | {"age": "older"})
    assert "young_age" in young.risk_factors and "young_age" not in older.risk_factors
    assert young_result.total > older_result.total
    # truancy and two phones with a youth care history: borderline; under 18 tips it over
    assert young_result.level.number > older_result.level.number


@pytest.mark.parametrize("age", ["18_23", "older", "unknown", ""])
def test_no_young_age_from_18_or_an_unknown_age(active, age):
    data_in, _result = assessed(active, CASE | {"age": age})
    assert "young_age" not in data_in.risk_factors


def test_a_posted_young_age_box_counts_for_nothing(active):
    """The age is the one source: a ticked box from a page of before does not add it."""
    data_in, _result = assessed(active, CASE | {"age": "older", "risk_factors": "young_age"})
    assert "young_age" not in data_in.risk_factors


def test_the_check_no_longer_asks_the_young_age_box(client, catalogue):
    last = len({s.life_domains[0] for s in catalogue.signals.values()}) + 1
    html = client.post("/signalen/", {"audience": "professional", "go": f"step-{last}"})
    page = html.content.decode()
    assert 'name="risk_factors"' in page  # the other risk factors are still asked
    assert 'value="youth_care_history"' in page
    assert 'value="young_age"' not in page
    assert catalogue.risk_factors["young_age"].label.nl not in page


def test_the_outcome_says_where_young_age_came_from(client, catalogue):
    page = unescape(client.post("/uitkomst/", CASE | {"age": "under_16"}).content.decode())
    assert "Jonge leeftijd (uit de leeftijd die u gaf)" in page
    assert "De leeftijd die u gaf telt als de kwetsbaarheid “jonge leeftijd”." in page
