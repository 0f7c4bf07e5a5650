"""The API's JSON parser: DRF's, made safe for any body a client can send."""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser, with deeply nested JSON as a 400: Python's decoder raises
    RecursionError there, which DRF would let through as a 500.

    The size of a body is limited by DATA_UPLOAD_MAX_MEMORY_SIZE (DRF reads it through
    `request.body`); lens.api.errors answers 413 then."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply") from None
