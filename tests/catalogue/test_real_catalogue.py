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


# Signalling support, never a verdict: no catalogue text may say that a person is a victim
# (the outside probe found "de persoon is dan ook slachtoffer" in a signal's explanation).
VERDICTS = (
    r"\b(is|zijn) (dan |daarmee |dus )?(ook |zeker )?(een )?slachtoffers?\b",
    r"\b(is|are) (then |therefore |thus )?(also |certainly )?(a )?victims?\b",
)


def test_no_catalogue_text_calls_someone_a_victim(catalogue_dir):
    import re

    found = [
        f"{path.name}:{number}: {line.strip()[:120]}"
        for path in sorted(catalogue_dir.glob("*.yaml"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(re.search(pattern, line, re.IGNORECASE) for pattern in VERDICTS)
    ]
    assert not found, found
