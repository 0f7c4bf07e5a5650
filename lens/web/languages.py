"""The language switch's links: the current page in the other languages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation


def other_languages(request: HttpRequest) -> list[dict[str, str]]:
    """This page in the other languages, for base.html's language switch (`code`, `name`,
    `url`; the query string is kept)."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    return [
        {"code": code, "name": name, "url": translate_url(request.get_full_path(), code)}
        for code, name in settings.LANGUAGES
        if code != current
    ]
