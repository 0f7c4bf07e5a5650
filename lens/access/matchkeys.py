"""Match keys and the BSN check (the matching half of identity protection; the
encryption half is lens.access.crypto).

Match keys
    HMAC-SHA256 with `MATCH_KEY_SECRET` (outside the database) of the BSN and of the
    normalised name plus birth date. Without the secret the hashes cannot be recomputed
    from a guessed BSN or name, which a plain hash would allow. `keyed` is the same HMAC
    for other purposes (the fuzzy match rule's blocking keys, an organisation's own
    reference number).

Development
    With DEBUG on and the secret unset, a development secret is generated once in VAR_DIR
    (file mode 0600) and reused. Without DEBUG an unset secret is an ImproperlyConfigured
    error at first use, so production never runs on a key nobody chose.

Nothing in this module puts key material or identity data in an error message or a repr.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lens.access.keys import _development_secret_file
from lens.access.names import normalise_name

if TYPE_CHECKING:
    from lens.access.crypto import Identity

DEV_MATCH_SECRET_FILE = "dev-match-key-secret"
MIN_MATCH_SECRET_LENGTH = 16


# --- match keys --------------------------------------------------------------------------


def match_keys(identity: Identity) -> tuple[str, str]:
    """(bsn_key or "", name_key or ""): HMAC-SHA256 hex digests for matching.

    The BSN key is "" unless the BSN passes the elfproef; the name key is "" when the
    names normalise to nothing. An empty key never matches anything.
    """
    secret = _match_secret()
    bsn = _canonical_bsn(identity.bsn)
    bsn_key = _hmac(secret, "bsn", bsn) if bsn else ""
    name = normalise_name(identity.given_names, identity.family_name)
    name_key = _hmac(secret, "name", f"{name}|{identity.birth_date.isoformat()}") if name else ""
    return bsn_key, name_key


def keyed(purpose: str, value: str) -> str:
    """An HMAC-SHA256 match key (hex) of `value` under the match secret, for `purpose`
    (domain separation): for the blocking keys of the fuzzy match rule."""
    return _hmac(_match_secret(), purpose, value)


def _hmac(secret: bytes, purpose: str, value: str) -> str:
    # The purpose prefix keeps the two kinds of key apart (domain separation).
    message = f"{purpose}:{value}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _match_secret() -> bytes:
    secret = getattr(settings, "MATCH_KEY_SECRET", "") or ""
    if not secret:
        path = _development_secret_file(
            DEV_MATCH_SECRET_FILE,
            missing=(
                "MATCH_KEY_SECRET is not set. Set it to a long random secret, the same on every "
                "server and kept outside the database, e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`. "
                "Changing it later makes every stored match key useless."
            ),
            make=lambda: secrets.token_urlsafe(32) + "\n",
        )
        secret = path.read_text(encoding="utf-8").strip()
    if len(secret) < MIN_MATCH_SECRET_LENGTH:
        # A short secret can be guessed, and then every BSN hash can be reversed by trying
        # all valid BSNs.
        raise ImproperlyConfigured(
            f"MATCH_KEY_SECRET must be at least {MIN_MATCH_SECRET_LENGTH} characters of "
            "random text."
        )
    require_own_secret("MATCH_KEY_SECRET", secret, ("SECRET_KEY", "ACCESS_LOG_KEY"))
    return secret.encode("utf-8")


def require_own_secret(name: str, value: str, others: tuple[str, ...]) -> None:
    """ImproperlyConfigured when the secret `name` has the value of one of the settings
    `others`: one value under two names is one secret, and whoever holds it for the one
    purpose can then also do the other (recompute match keys, forge the access log)."""
    for other in others:
        other_value = getattr(settings, other, "") or ""
        if other_value and hmac.compare_digest(other_value.encode(), value.encode()):
            raise ImproperlyConfigured(
                f"{name} must be a secret of its own, not the same as {other}: generate "
                "another random value for it."
            )


# --- BSN ---------------------------------------------------------------------------------

# People write BSNs with spaces or dots ("1234.56.782"); nothing else is accepted.
_BSN_SEPARATORS = re.compile(r"[\s.]")
_BSN_DIGITS = re.compile(r"[0-9]{8,9}")  # ASCII digits only (str.isdigit allows others)


def _canonical_bsn(bsn: str) -> str:
    """The 9-digit BSN if `bsn` is valid (an 8-digit one gets its leading zero), else ""."""
    digits = _BSN_SEPARATORS.sub("", bsn or "")
    if not _BSN_DIGITS.fullmatch(digits):
        return ""
    digits = digits.zfill(9)  # BSNs below 100000000 are often written without the 0
    if digits == "000000000":
        return ""
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=True))
    return digits if total % 11 == 0 else ""


def bsn_is_valid(bsn: str) -> bool:
    """True for a BSN of 9 digits (or 8, read with a leading zero) passing the elfproef.

    Elfproef: 9*d1 + 8*d2 + 7*d3 + 6*d4 + 5*d5 + 4*d6 + 3*d7 + 2*d8 - 1*d9 is a multiple
    of 11. All zeros is refused. Spaces and dots between the digits are ignored.
    """
    return bool(_canonical_bsn(bsn))
