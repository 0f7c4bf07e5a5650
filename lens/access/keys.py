"""Master keys of the identity encryption, and the development secrets.

`IDENTITY_KEYS` ("id:base64,id2:base64", the first is current) or `IDENTITY_KEY_FILE` (one
"id:base64" per line, # comments); with DEBUG on and neither set, a development key file in
VAR_DIR. lens.access.crypto seals and opens with them; see its docstring for the scheme.
Messages name an entry and the rule it breaks, never key material.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("lens.access.crypto")

KEY_BYTES = 32  # AES-256, for master keys and data keys alike
# Key ids are stored in Person.identity_key_id (max_length 32) and appear in config lines.
KEY_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,32}")
DEV_IDENTITY_KEY_FILE = "dev-identity-keys"


def new_key_line(key_id: str) -> str:
    """A fresh "id:base64" master key line for IDENTITY_KEYS or IDENTITY_KEY_FILE."""
    if not KEY_ID_PATTERN.fullmatch(key_id):
        raise ValueError("A key id is 1-32 characters: letters, digits, '.', '_' or '-'.")
    return f"{key_id}:{base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode('ascii')}"


# --- master keys -------------------------------------------------------------------------


@dataclass(frozen=True)
class _KeyRing:
    current_id: str
    keys: Mapping[str, bytes] = field(repr=False)  # never print key material


def _key_ring() -> _KeyRing:
    """The configured master keys, read from settings at each use.

    Reading each time (a short string or a small file) keeps settings overrides and an
    edited key file effective without a cache to invalidate.
    """
    keys_setting = getattr(settings, "IDENTITY_KEYS", "") or ""
    key_file = getattr(settings, "IDENTITY_KEY_FILE", "") or ""
    if keys_setting.strip() and key_file.strip():
        raise ImproperlyConfigured(
            "Set IDENTITY_KEYS or IDENTITY_KEY_FILE, not both: it must be clear which key "
            "is the current one."
        )
    if keys_setting.strip():
        entries = [
            (f"IDENTITY_KEYS entry {number}", entry.strip())
            for number, entry in enumerate(keys_setting.split(","), start=1)
            if entry.strip()  # tolerate a trailing comma
        ]
        return _parse_key_entries(entries)
    if key_file.strip():
        return _parse_key_file(Path(key_file.strip()), "IDENTITY_KEY_FILE")
    path = _development_secret_file(
        DEV_IDENTITY_KEY_FILE,
        missing=(
            "No identity master key is configured. Set IDENTITY_KEYS to "
            '"key-id:base64-of-32-random-bytes" (comma-separated, the first is current) or '
            "IDENTITY_KEY_FILE to a file with one such line per key; "
            "`lens identity new-key` prints a fresh one."
        ),
        make=lambda: (
            "# Development identity master key, generated because DEBUG is on and neither\n"
            "# IDENTITY_KEYS nor IDENTITY_KEY_FILE is set. Never use it in production.\n"
            f"{new_key_line('dev1')}\n"
        ),
    )
    return _parse_key_file(path, "development key file")


def _parse_key_file(path: Path, label: str) -> _KeyRing:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(f"{label} {path} cannot be read: {exc.strerror}.") from None
    entries = [
        (f"{label} {path}, line {number}", line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.strip().startswith("#")
    ]
    return _parse_key_entries(entries)


def _parse_key_entries(entries: list[tuple[str, str]]) -> _KeyRing:
    keys: dict[str, bytes] = {}
    for where, entry in entries:
        key_id, key = _parse_key_entry(where, entry)
        if key_id in keys:
            raise ImproperlyConfigured(f"{where}: key id {key_id!r} is listed twice.")
        keys[key_id] = key
    if not keys:
        raise ImproperlyConfigured("The identity key configuration lists no keys.")
    return _KeyRing(current_id=next(iter(keys)), keys=MappingProxyType(keys))


def _parse_key_entry(where: str, entry: str) -> tuple[str, bytes]:
    # Messages name the entry and the rule, never the value: it is secret.
    key_id, sep, encoded = entry.partition(":")
    key_id, encoded = key_id.strip(), encoded.strip()
    if not sep or not key_id or not encoded:
        raise ImproperlyConfigured(f'{where}: expected "key-id:base64-key".')
    if not KEY_ID_PATTERN.fullmatch(key_id):
        raise ImproperlyConfigured(
            f"{where}: the key id must be 1-32 characters: letters, digits, '.', '_' or '-'."
        )
    try:
        key = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(
            f"{where}: key {key_id!r} is not valid base64 (`lens identity new-key` prints a "
            "valid line)."
        ) from None
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"{where}: key {key_id!r} is {len(key)} bytes; it must be exactly {KEY_BYTES} "
            "random bytes (AES-256), base64-encoded."
        )
    return key_id, key


# --- development secrets -----------------------------------------------------------------


def _development_secret_file(filename: str, *, missing: str, make: Callable[[], str]) -> Path:
    """The development secret file VAR_DIR/filename, created once (mode 0600) with DEBUG on.

    Without DEBUG this raises ImproperlyConfigured with `missing`, which says what to set.
    """
    if not settings.DEBUG:
        raise ImproperlyConfigured(missing)
    var_dir = Path(settings.VAR_DIR)
    path = var_dir / filename
    if path.exists():
        return path
    var_dir.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: of two processes starting together only one creates the secret; the mode
        # is set at creation, so the secret is never readable by others, not even briefly.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(make())
    logger.warning("Generated development secret %s (DEBUG only; never use in production).", path)
    return path
