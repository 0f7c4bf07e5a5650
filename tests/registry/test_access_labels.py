"""Every kind of object the access log records has words on "Wie heeft dit ingezien"
(lens.registry.access_rows.object_labels): a raw code such as "case" on a Dutch page
was found by an outside probe."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from lens.registry.access_rows import object_labels

LENS = Path(__file__).resolve().parents[2] / "lens"
WRITTEN = re.compile(r'(?:object_type=|OBJECT_TYPE = )"([a-z_]+)"')


def test_every_object_type_written_to_the_access_log_has_words_in_dutch():
    found = {m for path in LENS.rglob("*.py") for m in WRITTEN.findall(path.read_text())}
    assert {"person", "registration", "case", "access_request"} <= found  # the scan works
    with translation.override("nl"):
        labels = object_labels()
    missing = sorted(found - set(labels))
    assert missing == []
    assert labels["case"] == "de meldcodecasus"


def test_a_read_in_any_list_is_said_as_a_list_and_the_purpose_names_which():
    """The outside probe: a read in "mijn werkvoorraad" was said as "gezien in de lijst van
    personen". The label says a list; the purpose beside it says which."""
    from lens.access.models import Action
    from lens.registry.access_rows import action_labels

    with translation.override("nl"):
        assert str(action_labels()[Action.LIST]) == "gezien in een lijst"
