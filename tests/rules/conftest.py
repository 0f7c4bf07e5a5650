from datetime import date

import pytest
from django.conf import settings

from lens.catalogue.loader import load_catalogue, load_ruleset

from .factories import small_catalogue

TODAY = date(2026, 11, 23)


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
