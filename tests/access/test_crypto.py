"""lens.access.crypto: envelope encryption, key configuration, BSN elfproef, match keys.

Synthetic identities only: invented names and BSNs made up from the elfproef rule.
"""

from __future__ import annotations

import base64
import stat
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from lens.access import crypto, matchkeys
from lens.access.crypto import (
    Identity,
    IdentityUnreadable,
    UnknownIdentityKey,
    open_identity,
    seal_identity,
)
from lens.access.matchkeys import bsn_is_valid, match_keys
from lens.access.names import normalise_name
from lens.access.rotation import sealed_of
from tests.access import factories

KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()
AAD = b"P-TEST"

IDENTITY = Identity(
    given_names="Testje Fictief",
    family_name="van der Proefkonijn",
    birth_date=date(2008, 3, 14),
    bsn="111222333",
    sex="x",
)


def with_check_digit(first_eight: str) -> str | None:
    """The BSN completing `first_eight` under the elfproef, or None if no digit fits."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_eight, range(9, 1, -1), strict=True)
    )
    check = total % 11  # total - check must be a multiple of 11
    return first_eight + str(check) if check < 10 else None


@pytest.fixture
def keys_ab(settings):
    settings.IDENTITY_KEYS = f"A:{KEY_A},B:{KEY_B}"
    settings.IDENTITY_KEY_FILE = ""
    return settings


# --- sealing and opening -----------------------------------------------------------------


def test_round_trip():
    sealed = seal_identity(IDENTITY, AAD)
    assert sealed.key_id == "test1"  # the key tests/pytest_env.py configures
    assert len(sealed.nonce) == 12
    opened = open_identity(sealed, AAD)
    assert opened == IDENTITY


def test_round_trip_with_accents_and_empty_optional_fields():
    identity = Identity(
        given_names="Zoë Ångström", family_name="Ørsted-Çelik", birth_date=date(2010, 1, 2)
    )
    assert open_identity(seal_identity(identity, b"P-ABCD"), b"P-ABCD") == identity


def test_wrong_aad_fails():
    sealed = seal_identity(IDENTITY, AAD)
    with pytest.raises(IdentityUnreadable, match="another pseudonym"):
        open_identity(sealed, b"P-OTHR")


def test_empty_aad_is_refused():
    with pytest.raises(ValueError, match="pseudonym"):
        seal_identity(IDENTITY, b"")


def flip_last_bit(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1])


@pytest.mark.parametrize("field", ["ciphertext", "nonce", "wrapped_key"])
def test_tampering_fails(field):
    sealed = seal_identity(IDENTITY, AAD)
    tampered = replace(sealed, **{field: flip_last_bit(getattr(sealed, field))})
    with pytest.raises(IdentityUnreadable):
        open_identity(tampered, AAD)


def test_truncated_wrapped_key_fails():
    sealed = seal_identity(IDENTITY, AAD)
    with pytest.raises(IdentityUnreadable, match="format"):
        open_identity(replace(sealed, wrapped_key=sealed.wrapped_key[:-1]), AAD)


def test_relabelled_key_id_fails(keys_ab):
    # A wrapped key claimed to be under another configured key does not unwrap.
    sealed = seal_identity(IDENTITY, AAD)
    assert sealed.key_id == "A"
    with pytest.raises(IdentityUnreadable, match="'B'"):
        open_identity(replace(sealed, key_id="B"), AAD)


def test_each_seal_uses_a_fresh_data_key_and_nonce():
    first, second = seal_identity(IDENTITY, AAD), seal_identity(IDENTITY, AAD)
    assert first.key_id == second.key_id
    assert first.wrapped_key != second.wrapped_key
    assert first.nonce != second.nonce
    assert first.ciphertext != second.ciphertext
    assert open_identity(first, AAD) == open_identity(second, AAD) == IDENTITY


def test_ciphertext_length_hides_small_differences_in_name_length():
    short = seal_identity(replace(IDENTITY, family_name="Bos"), AAD)
    longer = seal_identity(replace(IDENTITY, family_name="Bosch-Boschma"), AAD)
    assert len(short.ciphertext) == len(longer.ciphertext)


def test_sealed_identity_contains_no_plaintext():
    sealed = seal_identity(IDENTITY, AAD)
    blob = sealed.wrapped_key + sealed.nonce + sealed.ciphertext
    for value in ("Proefkonijn", "Testje", "111222333", "2008-03-14"):
        assert value.encode() not in blob


def test_identity_repr_hides_the_person():
    text = repr(IDENTITY) + str(IDENTITY)
    assert "Proefkonijn" not in text and "111222333" not in text


def test_birth_date_must_be_a_date():
    from datetime import datetime

    with pytest.raises(TypeError):
        Identity(given_names="A", family_name="B", birth_date=datetime(2000, 1, 1))


# --- keys: rotation support, unknown ids, configuration errors ---------------------------


def test_open_works_with_any_known_key(settings):
    settings.IDENTITY_KEYS = f"A:{KEY_A}"
    sealed_a = seal_identity(IDENTITY, AAD)
    settings.IDENTITY_KEYS = f"B:{KEY_B},A:{KEY_A}"
    sealed_b = seal_identity(IDENTITY, AAD)
    assert (sealed_a.key_id, sealed_b.key_id) == ("A", "B")
    assert open_identity(sealed_a, AAD) == open_identity(sealed_b, AAD) == IDENTITY


def test_unknown_key_id(settings):
    settings.IDENTITY_KEYS = f"A:{KEY_A}"
    sealed = seal_identity(IDENTITY, AAD)
    settings.IDENTITY_KEYS = f"B:{KEY_B}"
    with pytest.raises(UnknownIdentityKey, match=r"'A'.*not configured") as caught:
        open_identity(sealed, AAD)
    assert isinstance(caught.value, IdentityUnreadable)


def test_opening_many_gives_what_opening_one_by_one_gives(settings):
    """crypto.open_identities (the batch match run): the keys read once, the same checks."""
    settings.IDENTITY_KEYS = f"A:{KEY_A}"
    other = replace(IDENTITY, given_names="Tweede")
    sealed_a = seal_identity(IDENTITY, AAD)
    settings.IDENTITY_KEYS = f"B:{KEY_B},A:{KEY_A}"
    sealed_b = seal_identity(other, b"P-OTHER")
    items = [(sealed_a, AAD), (sealed_b, b"P-OTHER"), (sealed_a, AAD)]

    assert list(crypto.open_identities(items)) == [IDENTITY, other, IDENTITY]
    with pytest.raises(IdentityUnreadable, match="another pseudonym"):
        list(crypto.open_identities([(sealed_b, AAD)]))  # the AAD of another record
    settings.IDENTITY_KEYS = f"B:{KEY_B}"
    with pytest.raises(UnknownIdentityKey, match=r"'A'.*not configured"):
        list(crypto.open_identities(items))
    settings.IDENTITY_KEYS = f"A:{KEY_B},B:{KEY_B}"
    with pytest.raises(IdentityUnreadable, match="cannot be unwrapped"):
        list(crypto.open_identities(items))


def test_same_id_with_another_key_fails(settings):
    settings.IDENTITY_KEYS = f"A:{KEY_A}"
    sealed = seal_identity(IDENTITY, AAD)
    settings.IDENTITY_KEYS = f"A:{KEY_B}"
    with pytest.raises(IdentityUnreadable, match="cannot be unwrapped"):
        open_identity(sealed, AAD)


def test_rewrap_changes_only_key_id_and_wrapped_key(settings):
    settings.IDENTITY_KEYS = f"A:{KEY_A}"
    sealed = seal_identity(IDENTITY, AAD)
    settings.IDENTITY_KEYS = f"B:{KEY_B},A:{KEY_A}"
    rewrapped = crypto.rewrap(sealed)
    assert rewrapped.key_id == "B"
    assert rewrapped.wrapped_key != sealed.wrapped_key
    assert (rewrapped.nonce, rewrapped.ciphertext) == (sealed.nonce, sealed.ciphertext)
    settings.IDENTITY_KEYS = f"B:{KEY_B}"
    assert open_identity(rewrapped, AAD) == IDENTITY


SHORT_KEY = base64.b64encode(b"s" * 16).decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (f"k1:{SHORT_KEY}", "is 16 bytes; it must be exactly 32"),
        ("k1:this-is-not*base64!", "not valid base64"),
        (f"k1{KEY_A}", "expected"),
        (f"bad id:{KEY_A}", "key id must be 1-32 characters"),
        (f"{'x' * 33}:{KEY_A}", "key id must be 1-32 characters"),
        (f"k1:{KEY_A},k1:{KEY_B}", "listed twice"),
        (" , ", "lists no keys"),
    ],
)
def test_bad_key_configuration_is_explained(settings, value, message):
    settings.IDENTITY_KEYS = value
    with pytest.raises(ImproperlyConfigured, match=message) as caught:
        seal_identity(IDENTITY, AAD)
    # The message names the entry, never the secret itself.
    for secret in (SHORT_KEY, KEY_A, KEY_B, "this-is-not*base64!"):
        assert secret not in str(caught.value)


def test_bad_key_is_refused_when_opening_too(settings):
    sealed = seal_identity(IDENTITY, AAD)
    settings.IDENTITY_KEYS = f"test1:{SHORT_KEY}"
    with pytest.raises(ImproperlyConfigured, match="IDENTITY_KEYS entry 1"):
        open_identity(sealed, AAD)


def test_both_key_settings_is_ambiguous(settings, tmp_path):
    key_file = tmp_path / "keys"
    key_file.write_text(f"A:{KEY_A}\n")
    settings.IDENTITY_KEY_FILE = str(key_file)
    with pytest.raises(ImproperlyConfigured, match="not both"):
        seal_identity(IDENTITY, AAD)


def test_key_file_with_comments_and_rotation(settings, tmp_path):
    key_file = tmp_path / "identity-keys"
    key_file.write_text(
        f"# current key first\n\nB:{KEY_B}\n  # old, until rotate-key ran\nA:{KEY_A}\n"
    )
    settings.IDENTITY_KEYS = ""
    settings.IDENTITY_KEY_FILE = str(key_file)
    assert crypto.known_key_ids() == ("B", "A")
    sealed = seal_identity(IDENTITY, AAD)
    assert sealed.key_id == "B"
    assert open_identity(sealed, AAD) == IDENTITY


def test_key_file_errors_name_file_and_line(settings, tmp_path):
    key_file = tmp_path / "identity-keys"
    key_file.write_text(f"# comment\nA:{KEY_A}\nB:{SHORT_KEY}\n")
    settings.IDENTITY_KEYS = ""
    settings.IDENTITY_KEY_FILE = str(key_file)
    with pytest.raises(ImproperlyConfigured, match=r"identity-keys, line 3: key 'B' is 16 bytes"):
        seal_identity(IDENTITY, AAD)
    settings.IDENTITY_KEY_FILE = str(tmp_path / "missing")
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        seal_identity(IDENTITY, AAD)


def test_new_key_line_is_a_valid_configuration(settings):
    line = crypto.new_key_line("k2")
    assert line.startswith("k2:")
    settings.IDENTITY_KEYS = f"{line},test1:{base64.b64encode(b't' * 32).decode()}"
    assert crypto.current_key_id() == "k2"
    assert open_identity(seal_identity(IDENTITY, AAD), AAD) == IDENTITY
    assert crypto.new_key_line("k3") != crypto.new_key_line("k3")
    with pytest.raises(ValueError):
        crypto.new_key_line("no spaces")


# --- development fallback and production errors -----------------------------------------


@pytest.fixture
def unset_secrets(settings, tmp_path):
    settings.IDENTITY_KEYS = ""
    settings.IDENTITY_KEY_FILE = ""
    settings.MATCH_KEY_SECRET = ""
    settings.VAR_DIR = tmp_path / "var"  # does not exist yet
    return settings


def test_debug_generates_development_key_file_once(unset_secrets):
    unset_secrets.DEBUG = True
    key_file = unset_secrets.VAR_DIR / crypto.DEV_IDENTITY_KEY_FILE
    sealed = seal_identity(IDENTITY, AAD)
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    content = key_file.read_text()
    # Reused, not regenerated: the second identity uses the same key, the first still opens.
    assert seal_identity(IDENTITY, AAD).key_id == sealed.key_id == "dev1"
    assert key_file.read_text() == content
    assert open_identity(sealed, AAD) == IDENTITY


def test_debug_generates_development_match_secret_once(unset_secrets):
    unset_secrets.DEBUG = True
    secret_file = unset_secrets.VAR_DIR / matchkeys.DEV_MATCH_SECRET_FILE
    keys = match_keys(IDENTITY)
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert match_keys(IDENTITY) == keys


def test_without_debug_unset_identity_keys_say_what_to_set(unset_secrets):
    unset_secrets.DEBUG = False
    with pytest.raises(ImproperlyConfigured, match=r"IDENTITY_KEYS.*IDENTITY_KEY_FILE"):
        seal_identity(IDENTITY, AAD)
    assert not unset_secrets.VAR_DIR.exists()  # nothing generated


def test_without_debug_unset_match_secret_says_what_to_set(unset_secrets):
    unset_secrets.DEBUG = False
    with pytest.raises(ImproperlyConfigured, match="MATCH_KEY_SECRET is not set"):
        match_keys(IDENTITY)


def test_short_match_secret_is_refused(settings):
    settings.MATCH_KEY_SECRET = "short"
    with pytest.raises(ImproperlyConfigured, match="at least 16"):
        match_keys(IDENTITY)


@pytest.mark.parametrize("other", ["SECRET_KEY", "ACCESS_LOG_KEY"])
def test_match_secret_must_be_a_secret_of_its_own(settings, other):
    # The same value under two names is one secret: whoever holds the access-log key (or
    # Django's signing key) could then recompute every match key from a guessed BSN.
    settings.MATCH_KEY_SECRET = getattr(settings, other)
    with pytest.raises(ImproperlyConfigured, match=f"MATCH_KEY_SECRET.*not the same as {other}"):
        match_keys(IDENTITY)


# --- BSN elfproef ------------------------------------------------------------------------


def computed_valid_bsns() -> list[str]:
    """Synthetic BSNs made from the rule itself, from assorted 8-digit beginnings."""
    starts = ["10000000", "20202020", "31415926", "55555555", "87654321", "99999990"]
    return [bsn for bsn in map(with_check_digit, starts) if bsn is not None]


@pytest.mark.parametrize("bsn", ["111222333", "123456782", *computed_valid_bsns()])
def test_valid_bsns(bsn):
    assert bsn_is_valid(bsn)


def test_computed_examples_are_enough():
    assert len(computed_valid_bsns()) >= 4


def test_eight_digits_read_with_leading_zero():
    bsn = with_check_digit("0" + "1234567")
    assert bsn is not None and bsn.startswith("0")
    assert bsn_is_valid(bsn)
    assert bsn_is_valid(bsn[1:])


def test_spaces_and_dots_are_ignored():
    assert bsn_is_valid("1112.22.333")
    assert bsn_is_valid(" 111 222 333 ")


@pytest.mark.parametrize(
    "bsn",
    [
        "",
        "000000000",
        "00000000",
        "111222334",  # one digit off
        "123456789",
        "1234567",  # too short
        "1112223330",  # too long
        "11122233a",
        "111-222-333",  # only spaces and dots are separators
        "١١١٢٢٢٣٣٣",  # not ASCII digits
    ],
)
def test_invalid_bsns(bsn):
    assert not bsn_is_valid(bsn)


@given(st.text(alphabet="0123456789", min_size=8, max_size=8), st.integers(0, 8), st.integers(1, 9))
def test_changing_one_digit_breaks_the_elfproef(start, position, delta):
    bsn = with_check_digit(start)
    if bsn is None or bsn == "000000000":
        return
    assert bsn_is_valid(bsn)
    digits = list(bsn)
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not bsn_is_valid("".join(digits))


# --- match keys and name normalisation ---------------------------------------------------


def test_match_keys_shape():
    bsn_key, name_key = match_keys(IDENTITY)
    assert len(bsn_key) == len(name_key) == 64
    assert int(bsn_key, 16) >= 0 and int(name_key, 16) >= 0
    assert bsn_key != name_key


def test_bsn_key_empty_unless_valid():
    assert match_keys(replace(IDENTITY, bsn=""))[0] == ""
    assert match_keys(replace(IDENTITY, bsn="111222334"))[0] == ""


def test_bsn_key_same_for_written_variants():
    bsn = with_check_digit("0" + "7654321")
    assert bsn is not None
    keys = {match_keys(replace(IDENTITY, bsn=variant))[0] for variant in (bsn, bsn[1:], f" {bsn} ")}
    assert len(keys) == 1


def test_match_keys_depend_on_the_secret(settings):
    before = match_keys(IDENTITY)
    settings.MATCH_KEY_SECRET = "another-tests-only-secret"
    after = match_keys(IDENTITY)
    assert before[0] != after[0] and before[1] != after[1]


@pytest.mark.parametrize(
    "family_name",
    [
        "van der Berg",
        "Van der  Berg",
        "vanderberg",
        "Van-der-Berg",
        "VAN DER BERG",
        "Berg, van der",
    ],
)
def test_tussenvoegsel_spellings_collapse(family_name):
    assert normalise_name("Jan", family_name) == normalise_name("jan", "van der Berg")


@pytest.mark.parametrize(
    ("given", "family", "expected"),
    [
        ("Zoë", "Ørsted", "zoeorsted"),
        ("Jan-Willem", "d'Ancona", "janwillemdancona"),
        ("Jan Willem", "Ancona, d'", "janwillemdancona"),
        ("Fleur", "van 't Hof", "fleurvanthof"),
        ("Jan van der", "Berg", "janvanderberg"),  # tussenvoegsel in the wrong field
        ("Ĳsbrand", "Straße", "ijsbrandstrasse"),
        ("Łucja", "Çelik", "lucjacelik"),
        ("", "", ""),
    ],
)
def test_normalise_name_examples(given, family, expected):
    assert normalise_name(given, family) == expected


def test_non_latin_names_are_kept_not_erased():
    # Stripping to ASCII would make every Cyrillic name the same empty string.
    assert normalise_name("Олена", "Шевченко") != normalise_name("Ірина", "Коваленко")
    assert normalise_name("Олена", "Шевченко") != ""


def test_empty_names_give_no_name_key():
    assert match_keys(replace(IDENTITY, given_names=" ", family_name="-"))[1] == ""


# Hypothesis: names written in different ways give the same name key.
ACCENTS = str.maketrans("aeiouncy", "áëîöüñçÿ")
word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=10)
names = st.lists(word, min_size=1, max_size=3)
dates = st.dates(min_value=date(1930, 1, 1), max_value=date(2025, 12, 31))


def written(words: list[str], *, case: str, accents: bool, separator: str) -> str:
    text = separator.join(words)
    text = {"lower": text, "upper": text.upper(), "title": text.title()}[case]
    if accents:
        text = text.translate(ACCENTS)
    return f"  {text} "


@given(
    given_names=names,
    family_words=names,
    tussenvoegsel=st.sampled_from([[], ["van"], ["van", "der"], ["de"], ["ter"]]),
    birth_date=dates,
    case=st.sampled_from(["lower", "upper", "title"]),
    accents=st.booleans(),
    separator=st.sampled_from([" ", "  ", "-", " - "]),
)
def test_name_key_equal_for_written_variants(
    given_names, family_words, tussenvoegsel, birth_date, case, accents, separator
):
    plain = Identity(
        given_names=" ".join(given_names),
        family_name=" ".join(tussenvoegsel + family_words),
        birth_date=birth_date,
    )
    variant = Identity(
        given_names=written(given_names, case=case, accents=accents, separator=separator),
        family_name=written(
            tussenvoegsel + family_words, case=case, accents=accents, separator=separator
        ),
        birth_date=birth_date,
    )
    assert match_keys(variant)[1] == match_keys(plain)[1] != ""


@given(given_names=names, family_words=names, birth_date=dates, days=st.integers(1, 20000))
def test_name_key_differs_for_another_birth_date(given_names, family_words, birth_date, days):
    identity = Identity(
        given_names=" ".join(given_names),
        family_name=" ".join(family_words),
        birth_date=birth_date,
    )
    other = replace(identity, birth_date=birth_date + timedelta(days=days))
    assert match_keys(identity)[1] != match_keys(other)[1]


# --- the database holds no plaintext identity --------------------------------------------


def database_dump() -> str:
    """Every row of every table as text (SQLite: the SQL dump; PostgreSQL: row::text)."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    lines = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT t::text FROM {connection.ops.quote_name(table)} AS t")
            lines.extend(row[0] for row in cursor.fetchall())
    return "\n".join(lines)


@pytest.mark.django_db
def test_database_dump_holds_no_plaintext_identity():
    bsn = with_check_digit("73918265")
    assert bsn is not None
    identity = Identity(
        given_names="Quirijntje Zwaanhild",
        family_name="van Oosterwoldebroek",
        birth_date=date(2004, 7, 19),
        bsn=bsn,
        sex="v",
    )
    person = factories.sealed_person(
        factories.organisation("Testorganisatie Dump"),
        factories.user("test-dump"),
        "P-TEST",
        identity,
    )

    dump = database_dump().lower()

    # The dump works: it holds the person's row, its blobs included (as hex).
    assert "p-test" in dump
    assert bytes(person.identity_ciphertext).hex() in dump
    needles = [
        "Quirijntje",
        "Zwaanhild",
        "Oosterwoldebroek",
        bsn,
        "2004-07-19",
        "20040719",
        "19-07-2004",
        normalise_name(identity.given_names, identity.family_name),
    ]
    for needle in needles:
        assert needle.lower() not in dump, needle
        # A plaintext stored in a binary column would show up hex-encoded.
        for spelling in {needle, needle.lower(), needle.upper()}:
            assert spelling.encode().hex() not in dump, needle
    # And the identity is still there, for whoever holds the key.
    assert open_identity(sealed_of(person), b"P-TEST") == identity
