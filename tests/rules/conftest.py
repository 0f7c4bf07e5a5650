import os
from datetime import date

import pytest
from django.conf import settings
from hypothesis import Phase
from hypothesis import settings as hypothesis_settings

from lens.catalogue.loader import load_catalogue, load_ruleset

from .factories import small_catalogue

TODAY = date(2026, 11, 23)

# Hypothesis profiles for the rules' properties: "rules" runs every property on 500
# generated inputs; "rules-mutation" (RULES_HYPOTHESIS_PROFILE=rules-mutation, set by
# scripts/mutation.sh) runs few, so that mutation testing, which runs these tests once per
# mutant, stays affordable. Neither keeps an example database, so runs leave no files.
# Applied per test (PROPERTY), so hypothesis tests elsewhere keep their own settings.
hypothesis_settings.register_profile("rules", max_examples=500, deadline=None, database=None)
# Under mutation no shrinking: the first failing example kills the mutant, and shrinking
# it (which the report of a real failure needs) took most of the run's time.
hypothesis_settings.register_profile(
    "rules-mutation",
    max_examples=20,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
PROFILE = os.environ.get("RULES_HYPOTHESIS_PROFILE", "rules")
PROPERTY = hypothesis_settings(hypothesis_settings.get_profile(PROFILE))
# The compiled query against the engine (test_compiled.py) runs DuckDB per example: 200
# examples in the suite, and as few as the other properties under mutation testing.
COMPILED = hypothesis_settings(
    hypothesis_settings.get_profile(PROFILE),
    max_examples=min(200, hypothesis_settings.get_profile(PROFILE).max_examples),
)


@pytest.fixture(scope="session")
def ruleset():
    """The real ruleset: unit tests check the numbers it sets."""
    return load_ruleset(settings.CATALOGUE_DIR / "ruleset.yaml")


@pytest.fixture(scope="session")
def catalogue():
    return small_catalogue()


@pytest.fixture(scope="session")
def real_catalogue():
    return load_catalogue(settings.CATALOGUE_DIR)


@pytest.fixture(scope="session")
def real_ruleset(real_catalogue):
    return load_ruleset(settings.CATALOGUE_DIR / "ruleset.yaml", real_catalogue)
