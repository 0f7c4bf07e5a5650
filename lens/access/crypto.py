"""Identity protection: envelope encryption of identities (the match keys and the BSN check
are lens.access.matchkeys; name normalisation lens.access.names).

Principle 4 (pseudonymous by default): a person's identity (names, birth date, BSN, sex)
is only ever stored encrypted, and matching across registrations uses keyed hashes.

Envelope encryption
    Every identity gets a fresh random 256-bit *data key*. The identity (as JSON) is
    encrypted with it using AES-GCM (12-byte random nonce) and the caller's AAD, which is
    the person's pseudonym: a ciphertext copied onto another person's row does not open.
    The data key itself is encrypted ("wrapped") with the current *master key*, again with
    AES-GCM; the wrap nonce travels inside `wrapped_key`. Rotating master keys therefore
    only re-wraps 32-byte data keys (`rewrap`, `lens.access.rotation`); the identity
    ciphertexts never change.

Master keys
    `IDENTITY_KEYS` ("id:base64,id2:base64", the first is current) or `IDENTITY_KEY_FILE`
    (one "id:base64" per line, # comments). Each key is 32 random bytes
    (`lens identity new-key` makes one). Any listed key opens what it wrapped, so old keys
    stay listed until `lens identity rotate-key` has run. Reading and checking them is
    lens.access.keys.

Nothing in this module puts key material or identity data in an error message or a repr.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lens.access.keys import (  # noqa: F401 (re-exported: the key API stays crypto's)
    DEV_IDENTITY_KEY_FILE,
    KEY_BYTES,
    KEY_ID_PATTERN,
    _key_ring,
    new_key_line,
)
from lens.access.names import TUSSENVOEGSELS, normalise_name  # noqa: F401 (re-exported)

logger = logging.getLogger(__name__)

NONCE_BYTES = 12  # the AES-GCM standard nonce size
TAG_BYTES = 16

# wrapped_key = format byte + wrap nonce + AES-GCM(master key, data key); the format byte
# leaves room for another wrapping scheme later without guessing from lengths.
_WRAP_FORMAT = 1
_WRAPPED_KEY_BYTES = 1 + NONCE_BYTES + KEY_BYTES + TAG_BYTES
# Version of the identity JSON inside the ciphertext.
_IDENTITY_FORMAT = 1
# Plaintexts are padded to a multiple of this many bytes, so the ciphertext length does
# not reveal the exact length of a name.
_PAD_TO = 64


# --- data types and errors ---------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Identity:
    given_names: str
    family_name: str
    birth_date: date
    bsn: str = ""
    sex: str = ""

    def __post_init__(self) -> None:
        # A datetime would serialise with a time and never match the same person's date.
        if not isinstance(self.birth_date, date) or isinstance(self.birth_date, datetime):
            raise TypeError("Identity.birth_date must be a datetime.date")

    def __repr__(self) -> str:
        # Identities end up in tracebacks and logs; never print the person's data there.
        return "Identity(<redacted>)"


@dataclass(frozen=True)
class Sealed:
    key_id: str  # the master key that wrapped `wrapped_key`
    wrapped_key: bytes
    nonce: bytes
    ciphertext: bytes


class IdentityUnreadable(Exception):
    """A sealed identity cannot be opened: wrong AAD, altered data or an unusable key."""


class UnknownIdentityKey(IdentityUnreadable):
    """The sealed identity names a master key id that is not configured (any more)."""


# --- sealing and opening -----------------------------------------------------------------


def seal_identity(identity: Identity, aad: bytes) -> Sealed:
    """Encrypt `identity` under a fresh data key, bound to `aad` (the pseudonym's bytes)."""
    _check_aad(aad)
    ring = _key_ring()  # first: a configuration error should surface before any work
    data_key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, _identity_to_bytes(identity), aad)
    return Sealed(
        key_id=ring.current_id,
        wrapped_key=_wrap(ring.current_id, ring.keys[ring.current_id], data_key),
        nonce=nonce,
        ciphertext=ciphertext,
    )


def open_identity(sealed: Sealed, aad: bytes) -> Identity:
    """Decrypt a sealed identity with whichever configured master key wrapped it.

    Raises IdentityUnreadable (UnknownIdentityKey for an unconfigured key id) when the
    AAD is not the one it was sealed with or any part was altered.
    """
    _check_aad(aad)
    return _open(sealed, aad, _unwrap(sealed.key_id, sealed.wrapped_key))


def open_identities(items: Iterable[tuple[Sealed, bytes]]) -> Iterator[Identity]:
    """`open_identity` of each (sealed, aad), in order, reading the master keys once
    (not once per identity, as a single open does): for the batch match run, which opens
    the records of every candidate pair."""
    ring = _key_ring()
    masters: dict[str, AESGCM] = {}
    for sealed, aad in items:
        _check_aad(aad)
        if sealed.key_id not in masters:
            if sealed.key_id not in ring.keys:
                _unwrap(sealed.key_id, sealed.wrapped_key)  # raises UnknownIdentityKey
            masters[sealed.key_id] = AESGCM(ring.keys[sealed.key_id])
        data_key = _unwrap_with(masters[sealed.key_id], sealed.key_id, sealed.wrapped_key)
        yield _open(sealed, aad, data_key)


def _open(sealed: Sealed, aad: bytes, data_key: bytes) -> Identity:
    _check_aad(aad)
    try:
        plaintext = AESGCM(data_key).decrypt(bytes(sealed.nonce), bytes(sealed.ciphertext), aad)
    except (InvalidTag, ValueError):
        raise IdentityUnreadable(
            "The identity cannot be decrypted: it was sealed for another pseudonym (AAD) "
            "or its nonce or ciphertext was altered."
        ) from None
    return _identity_from_bytes(plaintext)


def rewrap(sealed: Sealed) -> Sealed:
    """The same sealed identity with its data key wrapped under the current master key.

    Only `key_id` and `wrapped_key` change: key rotation never touches the ciphertext.
    """
    ring = _key_ring()
    if sealed.key_id == ring.current_id:
        return sealed
    data_key = _unwrap(sealed.key_id, sealed.wrapped_key)
    wrapped = _wrap(ring.current_id, ring.keys[ring.current_id], data_key)
    return replace(sealed, key_id=ring.current_id, wrapped_key=wrapped)


def seal_beside(sealed: Sealed, text: str, aad: bytes) -> tuple[bytes, bytes]:
    """Encrypt `text` (a short value kept beside the identity, such as an organisation's
    own reference) with the data key of the sealed identity: (nonce, ciphertext).

    Sharing the identity's data key means key rotation (`rewrap`) covers it too. `aad`
    must differ from the identity's (the pseudonym plus a label), so that neither
    ciphertext opens in the other's place. Padded like the identity, so the length of the
    ciphertext does not give away the length of the text.
    """
    _check_aad(aad)
    data_key = _unwrap(sealed.key_id, sealed.wrapped_key)
    nonce = os.urandom(NONCE_BYTES)
    data = json.dumps(text, ensure_ascii=False).encode("utf-8")
    data += b" " * (-len(data) % _PAD_TO)
    return nonce, AESGCM(data_key).encrypt(nonce, data, aad)


def open_beside(sealed: Sealed, nonce: bytes, ciphertext: bytes, aad: bytes) -> str:
    """The text `seal_beside` sealed; IdentityUnreadable when it does not open."""
    _check_aad(aad)
    data_key = _unwrap(sealed.key_id, sealed.wrapped_key)
    try:
        plaintext = AESGCM(data_key).decrypt(bytes(nonce), bytes(ciphertext), aad)
        text = json.loads(plaintext.decode("utf-8"))
    except (InvalidTag, ValueError):
        raise IdentityUnreadable(
            "The value cannot be decrypted: it was sealed for another person or label (AAD) "
            "or its nonce or ciphertext was altered."
        ) from None
    if not isinstance(text, str):
        raise IdentityUnreadable("The decrypted value has an unknown format.")
    return text


def current_key_id() -> str:
    """The id of the master key new identities are sealed with (the first configured)."""
    return _key_ring().current_id


def known_key_ids() -> tuple[str, ...]:
    """Every configured master key id, the current one first."""
    return tuple(_key_ring().keys)


def _check_aad(aad: bytes) -> None:
    # Without AAD a ciphertext could be moved to another person's row unnoticed.
    if not isinstance(aad, bytes) or not aad:
        raise ValueError("aad must be non-empty bytes: the pseudonym the identity belongs to")


def _wrap_aad(key_id: str) -> bytes:
    # Binds the wrapped data key to the id of the master key that wrapped it.
    return b"lens-identity-data-key:" + key_id.encode("ascii")


def _wrap(key_id: str, master_key: bytes, data_key: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    wrapped = AESGCM(master_key).encrypt(nonce, data_key, _wrap_aad(key_id))
    return bytes([_WRAP_FORMAT]) + nonce + wrapped


def _unwrap(key_id: str, wrapped_key: bytes) -> bytes:
    master_key = _key_ring().keys.get(key_id)
    if master_key is None:
        raise UnknownIdentityKey(
            f"The identity was sealed with master key {key_id!r}, which is not configured in "
            "IDENTITY_KEYS / IDENTITY_KEY_FILE. Keep old keys listed until "
            "`lens identity rotate-key` has run."
        )
    return _unwrap_with(AESGCM(master_key), key_id, wrapped_key)


def _unwrap_with(master: AESGCM, key_id: str, wrapped_key: bytes) -> bytes:
    blob = bytes(wrapped_key)
    if len(blob) != _WRAPPED_KEY_BYTES or blob[0] != _WRAP_FORMAT:
        raise IdentityUnreadable("The wrapped data key has an unknown format or was truncated.")
    nonce, wrapped = blob[1 : 1 + NONCE_BYTES], blob[1 + NONCE_BYTES :]
    try:
        return master.decrypt(nonce, wrapped, _wrap_aad(key_id))
    except InvalidTag:
        raise IdentityUnreadable(
            f"The data key cannot be unwrapped with master key {key_id!r}: the key configured "
            "under that id is a different one, or the wrapped key was altered."
        ) from None


def _identity_to_bytes(identity: Identity) -> bytes:
    document = {
        "v": _IDENTITY_FORMAT,
        "given_names": identity.given_names,
        "family_name": identity.family_name,
        "birth_date": identity.birth_date.isoformat(),
        "bsn": identity.bsn,
        "sex": identity.sex,
    }
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # Trailing spaces are valid JSON whitespace, so padding needs no length field.
    return data + b" " * (-len(data) % _PAD_TO)


def _identity_from_bytes(plaintext: bytes) -> Identity:
    try:
        document = json.loads(plaintext.decode("utf-8"))
        if document.get("v") != _IDENTITY_FORMAT:
            raise ValueError("unknown identity format")
        return Identity(
            given_names=document["given_names"],
            family_name=document["family_name"],
            birth_date=date.fromisoformat(document["birth_date"]),
            bsn=document["bsn"],
            sex=document["sex"],
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        # Authenticated but not understood: a format this version does not know.
        raise IdentityUnreadable("The decrypted identity has an unknown format.") from None


# Match keys and the BSN check: lens.access.matchkeys.
# Names: lens.access.names (pure Python; also used by the fuzzy match rule).
