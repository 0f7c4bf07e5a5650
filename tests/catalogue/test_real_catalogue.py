"""The real catalogue under catalogue/ must validate, and load into the database."""

import pytest

from lens.catalogue.loader import load_directory


def test_real_catalogue_validates(catalogue_dir):
    loaded = load_directory(catalogue_dir)
    assert loaded.catalogue.signals
    assert list(loaded.catalogue.life_domains) == [
        "wonen_financien",
        "gezondheid",
        "werk_sociaal",
        "zingeving_leren",
    ]


@pytest.mark.django_db
def test_real_catalogue_loads(loaded_catalogue):
    catalogue, ruleset = loaded_catalogue
    assert catalogue.signals
    assert [level.number for level in ruleset.levels] == [0, 1, 2, 3, 4]
