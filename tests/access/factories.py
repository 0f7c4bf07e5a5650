"""Synthetic persons stored with a sealed identity, for the access tests that work below
the actions layer (key rotation, what a database dump holds). Nothing here is a real
person or organisation."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from lens.access.crypto import Identity, seal_identity
from lens.access.matchkeys import match_keys
from lens.data.registry import Organisation, Person


def organisation(name: str) -> Organisation:
    return Organisation.objects.create(
        name=name,
        organisation_type="school",
        region="test",
        contact_name="Contact Test",
        contact_phone="000-0000000",
        contact_email="contact@example.invalid",
    )


def user(username: str):
    return get_user_model().objects.create_user(username=username, password=None)


def sealed_person(organisation: Organisation, author, pseudonym: str, identity: Identity) -> Person:
    """A Person row as the actions layer writes it: the identity sealed under the current
    master key with the pseudonym as AAD, and its match keys."""
    sealed = seal_identity(identity, pseudonym.encode())
    bsn_key, name_key = match_keys(identity)
    return Person.objects.create(
        pseudonym=pseudonym,
        organisation=organisation,
        created_by=author,
        identity_key_id=sealed.key_id,
        identity_wrapped_key=sealed.wrapped_key,
        identity_nonce=sealed.nonce,
        identity_ciphertext=sealed.ciphertext,
        bsn_match_key=bsn_key,
        name_match_key=name_key,
        birth_year=identity.birth_date.year,
    )
