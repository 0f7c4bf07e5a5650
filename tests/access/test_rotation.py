"""Master key rotation: lens.access.rotation and `lens identity rotate-key | new-key`.

Synthetic identities only.
"""

from __future__ import annotations

import base64
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lens.access import crypto
from lens.access.crypto import Identity, UnknownIdentityKey, open_identity
from lens.access.management.commands.identity import Command as IdentityCommand
from lens.access.rotation import rotate_identity_keys, sealed_of
from lens.data.registry import Person
from tests.access import factories

KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()
ONLY_A = f"A:{KEY_A}"
B_THEN_A = f"B:{KEY_B},A:{KEY_A}"
ONLY_B = f"B:{KEY_B}"

pytestmark = pytest.mark.django_db


def synthetic_identity(number: int) -> Identity:
    return Identity(
        given_names=f"Testpersoon{number}",
        family_name="van Roteer",
        birth_date=date(2005, 1, 1 + number),
    )


def make_persons(count: int) -> list[Person]:
    """`count` persons sealed under whatever key is current now."""
    organisation = factories.organisation("Testorganisatie Rotatie")
    author = factories.user("test-rotation")
    return [
        factories.sealed_person(organisation, author, f"P-TST{n}", synthetic_identity(n))
        for n in range(count)
    ]


def opened(person: Person) -> Identity:
    return open_identity(sealed_of(person), person.pseudonym.encode())


def stored(person: Person) -> tuple[str, bytes, bytes, bytes]:
    sealed = sealed_of(person)
    return sealed.key_id, sealed.wrapped_key, sealed.nonce, sealed.ciphertext


def test_rotation_rewraps_every_person_under_the_current_key(settings):
    settings.IDENTITY_KEYS = ONLY_A
    before = {person.pk: stored(person) for person in make_persons(5)}

    settings.IDENTITY_KEYS = B_THEN_A
    assert rotate_identity_keys(batch_size=2) == 5  # three batches

    persons = list(Person.objects.order_by("pk"))
    for index, person in enumerate(persons):
        key_id, wrapped_key, nonce, ciphertext = stored(person)
        old_key_id, old_wrapped_key, old_nonce, old_ciphertext = before[person.pk]
        assert (old_key_id, key_id) == ("A", "B")
        assert wrapped_key != old_wrapped_key
        # The identity ciphertext itself is untouched.
        assert (nonce, ciphertext) == (old_nonce, old_ciphertext)
        assert opened(person) == synthetic_identity(index)

    # With the old key removed, everything still opens.
    settings.IDENTITY_KEYS = ONLY_B
    for index, person in enumerate(persons):
        assert opened(person) == synthetic_identity(index)


def test_rotation_is_idempotent_and_skips_rows_already_current(settings):
    settings.IDENTITY_KEYS = ONLY_A
    make_persons(3)
    settings.IDENTITY_KEYS = B_THEN_A
    assert rotate_identity_keys() == 3
    after_first = {person.pk: stored(person) for person in Person.objects.all()}
    assert rotate_identity_keys() == 0
    assert {person.pk: stored(person) for person in Person.objects.all()} == after_first


def test_without_the_old_key_nothing_opens_and_rotation_stops(settings):
    settings.IDENTITY_KEYS = ONLY_A
    persons = make_persons(2)
    settings.IDENTITY_KEYS = ONLY_B  # old key removed too early
    with pytest.raises(UnknownIdentityKey, match="'A'"):
        opened(persons[0])
    with pytest.raises(UnknownIdentityKey):
        rotate_identity_keys()
    assert set(Person.objects.values_list("identity_key_id", flat=True)) == {"A"}


def test_batch_size_must_be_positive():
    with pytest.raises(ValueError):
        rotate_identity_keys(batch_size=0)


# --- the management command --------------------------------------------------------------


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("identity", *args, stdout=out)
    return out.getvalue()


def test_rotate_key_command(settings):
    settings.IDENTITY_KEYS = ONLY_A
    make_persons(3)
    settings.IDENTITY_KEYS = B_THEN_A
    output = run("rotate-key", "--batch-size", "2")
    assert "3 identiteiten opnieuw verpakt onder hoofdsleutel 'B'" in output
    assert "A kan uit de configuratie" in output
    assert set(Person.objects.values_list("identity_key_id", flat=True)) == {"B"}


def test_rotate_key_command_reports_a_missing_old_key(settings):
    settings.IDENTITY_KEYS = ONLY_A
    make_persons(1)
    settings.IDENTITY_KEYS = ONLY_B
    with pytest.raises(CommandError, match=r"'A'.*not configured"):
        run("rotate-key")


def test_new_key_command_prints_a_usable_line(settings):
    line = run("new-key", "--id", "k2").strip()
    assert line.startswith("k2:")
    settings.IDENTITY_KEYS = f"{line},{ONLY_A}"
    assert crypto.current_key_id() == "k2"
    default_line = run("new-key").strip()
    assert default_line.startswith("k") and ":" in default_line
    with pytest.raises(CommandError):
        run("new-key", "--id", "not valid")


def test_help_explains_the_procedure():
    text = IdentityCommand().create_parser("lens", "identity").format_help()
    for step in (
        "lens identity new-key",
        "FRONT",
        "lens identity rotate-key",
        "remove the old key",
    ):
        assert step in text
