"""Request fields of the API that check what the committed schema says they check: dates
only as YYYY-MM-DD, lists of codes bounded before their items are read, texts whose
pattern appears in the schema. (Messages in plain English: see lens.api.serializers.)"""

from __future__ import annotations

from django.core.validators import ProhibitNullCharactersValidator, RegexValidator
from rest_framework import serializers

from lens.access.names import has_letter
from lens.registry.rules import NAME_MAX
from lens.rules.inputs import parse_date
from lens.rules.limits import MAX_CODE_LENGTH, MAX_CODES


class DateField(serializers.DateField):
    """A date written YYYY-MM-DD, zero-padded: what the schema's `format: date` means.
    (DRF's own also takes "20260101" and "2026-1-1".)"""

    def to_internal_value(self, value):
        if isinstance(value, str) and parse_date(value) is None:
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


class CodesField(serializers.ListField):
    """A list of catalogue codes, at most MAX_CODES: a longer list is refused before its
    items are looked at, so that its size costs nothing."""

    def __init__(self, *, allow_blank_codes: bool = False, **kwargs):
        kwargs.setdefault("max_length", MAX_CODES)
        child = serializers.CharField(max_length=MAX_CODE_LENGTH, allow_blank=allow_blank_codes)
        super().__init__(child=child, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


def codes_field(help_text: str, **kwargs) -> CodesField:
    return CodesField(help_text=help_text, **kwargs)


# Patterns that say in the schema what the fields refuse, the same in Python's `re` and
# in ECMAScript: no NUL character anywhere (DRF refuses those); a required text has
# something besides spaces. Written so that they never backtrack more than linearly,
# whatever the length sent. That a name needs a letter (of any script) the schema says in
# words: neither regex dialect can say "a letter" in a way the other reads the same
# (`\p{L}` is no Python, `[^\W\d_]` is ASCII in ECMAScript).
NO_NUL = r"^[^\x00]*$"
# What Python's str.strip() (and so DRF) removes, spelt out: ECMAScript's \s and some
# generators' differ from it (\x1c-\x1f, \x85, \ufeff).
SPACE = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NOT_BLANK = rf"^[{SPACE}]*[^{SPACE}\x00][^\x00]*$"


class PatternField(serializers.CharField):
    """A CharField whose pattern appears in the schema (and is checked here as well).
    Each pattern refuses NUL itself: DRF's own check for it goes, or a NUL would be
    reported twice."""

    def __init__(self, pattern: str, code: str, message: str, **kwargs):
        kwargs["validators"] = [RegexValidator(pattern, message=message, code=code)]
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def to_internal_value(self, data):
        # A JSON string only: DRF's CharField takes numbers too (`"pc4": 5041` became
        # "5041" while `"pc4": true` was refused), which the schema's `type: string`
        # does not allow.
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def text_field(pattern: str, code: str, message: str, **kwargs) -> serializers.CharField:
    return PatternField(pattern, code, message, **kwargs)


def has_a_letter(value: str) -> str:
    if not has_letter(value):
        raise serializers.ValidationError(
            "Write the name with at least one letter.", code="no_letter"
        )
    return value


def name_field(**kwargs) -> serializers.CharField:
    return required_text(NAME_MAX, **kwargs)


def required_text(max_length: int, **kwargs) -> serializers.CharField:
    return text_field(
        NOT_BLANK,
        "blank",
        "This field may not be blank, nor hold a NUL character.",
        min_length=1,
        max_length=max_length,
        **kwargs,
    )


def optional_text(max_length: int, **kwargs) -> serializers.CharField:
    return text_field(
        NO_NUL,
        "null_characters_not_allowed",
        "Null characters are not allowed.",
        max_length=max_length,
        required=False,
        allow_blank=True,
        **kwargs,
    )
