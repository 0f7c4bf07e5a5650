"""The API's JSON parser: DRF's, made safe for any body a client can send."""

from __future__ import annotations

import codecs
from typing import Any

from django.utils.http import parse_header_parameters
from rest_framework import parsers
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.utils import json


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser, stricter where Python's decoder is lenient (RFC 7493, I-JSON):

    - deeply nested JSON is a 400: Python's decoder raises RecursionError there, which
      DRF would let through as a 500;
    - a name used twice in one object is a 400, not "the last one wins": a client must
      not get an answer to a body it did not mean (`{"purpose": "a", "purpose": "b"}`);
    - a lone surrogate (`"\\ud800"`) is a 400: it is no Unicode text, and a response that
      echoes it (an unknown code, an invalid choice) could not be encoded, a 500;
    - a charset other than UTF-8 in the Content-Type is a 415 naming the reason: JSON
      between systems is UTF-8 (RFC 8259), and an unknown charset (`charset=bogus`) must
      not silently be read as UTF-8.

    The size of a body is limited by DATA_UPLOAD_MAX_MEMORY_SIZE (DRF reads it through
    `request.body`); lens.api.errors answers 413 then."""

    def parse(self, stream, media_type=None, parser_context=None):
        _require_utf8(media_type or "")
        encoding = parsers.get_encoding(parser_context or {})
        try:
            data = json.load(
                codecs.getreader(encoding)(stream),
                parse_constant=json.strict_constant if self.strict else None,
                object_pairs_hook=_object_without_duplicates,
            )
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply") from None
        except ValueError as exc:  # also UnicodeDecodeError and _object_without_duplicates'
            raise ParseError(f"JSON parse error - {exc}") from None
        _refuse_lone_surrogates(data)
        return data


def _require_utf8(content_type: str) -> None:
    _media, params = parse_header_parameters(content_type)
    charset = params.get("charset")
    if charset is None:
        return
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        name = ""
    if name != "utf-8":
        shown = charset if len(charset) <= 40 else charset[:40] + "..."
        raise UnsupportedMediaType(
            content_type,
            detail=f"The body must be JSON in UTF-8; charset={shown!r} is not supported.",
        )


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            # The key itself stays out of the message: it may be no printable text.
            raise ValueError("an object has a duplicate key")
        result[key] = value
    return result


def _refuse_lone_surrogates(data: Any) -> None:
    """ParseError when any string (key or value) in `data` holds a lone surrogate.

    Walks with a stack, not recursion: the decoder already accepted the nesting depth."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ParseError(
                    "JSON parse error - a string holds a lone surrogate (\\ud800-\\udfff), "
                    "which is not Unicode text"
                ) from None
