import pytest
from django.conf import settings

from lens.catalogue import loader, services


@pytest.fixture
def catalogue_dir():
    """The real catalogue folder (settings.CATALOGUE_DIR)."""
    return settings.CATALOGUE_DIR


@pytest.fixture(scope="session")
def parsed_catalogue():
    """The real catalogue files, read and validated once per test run (reading the YAML
    is most of what loading costs; tests/catalogue covers the reading itself)."""
    return loader.load_directory(settings.CATALOGUE_DIR)


@pytest.fixture
def loaded_catalogue(db, parsed_catalogue):
    """The real catalogue stored in the test database and active, as `lens catalogue
    load` leaves it; returns (Catalogue, Ruleset)."""
    services.store(parsed_catalogue)
    return services.active()
