"""The language switch's links: the current page in the other languages."""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, translate_url
from django.utils import translation


def other_languages(request: HttpRequest) -> list[dict[str, str]]:
    """This page in the other languages, for base.html's language switch (`code`, `name`,
    `url`; the query string is kept)."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    links = _links(request.get_full_path(), current, get_urlconf(), get_script_prefix())
    return [dict(link) for link in links]


@functools.lru_cache(maxsize=1024)
def _links(
    path: str, current: str, urlconf: str | None, prefix: str
) -> tuple[tuple[tuple[str, str], ...], ...]:
    """The links of `other_languages` for a path, worked out once per path, language,
    URLconf and script prefix (what `translate_url` depends on): a URL resolve and a
    reverse per language less on every page."""
    return tuple(
        (("code", code), ("name", name), ("url", translate_url(path, code)))
        for code, name in settings.LANGUAGES
        if code != current
    )
