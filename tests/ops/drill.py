"""What the restore drill compares: the persons, registrations and outcomes, row by row,
and one identity opened with the configured keys. Run in the test process (the source
database) and in a `lens` process of its own (the restored database):

    python -m tests.ops.drill PSEUDONYM
"""

from __future__ import annotations

import json
import os
import sys


def rows(model) -> list[list[str]]:
    def text(value) -> str:
        return bytes(value).hex() if isinstance(value, (bytes, memoryview)) else str(value)

    return sorted([text(v) for v in row.values()] for row in model.objects.values())


def summary(pseudonym: str | None = None) -> dict:
    from dataclasses import asdict

    from lens.access.crypto import open_identity
    from lens.access.rotation import sealed_of
    from lens.data.registry import Person, PersonOutcome, Registration

    found = {
        "persons": rows(Person),
        "registrations": rows(Registration),
        "outcomes": rows(PersonOutcome),
    }
    if pseudonym:
        person = Person.objects.get(pseudonym=pseudonym)
        identity = open_identity(sealed_of(person), person.pseudonym.encode())
        found["identity"] = {k: str(v) for k, v in asdict(identity).items()}
    return found


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lens.settings")
    import django

    django.setup()
    print(json.dumps(summary(sys.argv[1] if len(sys.argv) > 1 else None)))
