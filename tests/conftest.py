import pytest
from django.conf import settings

from lens.catalogue import services


@pytest.fixture
def catalogue_dir():
    """The real catalogue folder (settings.CATALOGUE_DIR)."""
    return settings.CATALOGUE_DIR


@pytest.fixture
def loaded_catalogue(db):
    """Load the real catalogue into the test database; returns (Catalogue, Ruleset)."""
    services.load_from_files(settings.CATALOGUE_DIR)
    return services.active()
