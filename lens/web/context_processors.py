"""Context for every page in the frame (lens/templates/base.html)."""

from __future__ import annotations

from django.http import HttpRequest

from lens.web.languages import other_languages


def languages(request: HttpRequest) -> dict[str, object]:
    """The language switch's links. A view may pass its own `other_languages` (the check
    does, to keep its answers when switching): the view's context wins."""
    return {"other_languages": other_languages(request)}
