"""Context for every page in the frame (lens/templates/base.html)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from lens.web.languages import other_languages


def languages(request: HttpRequest) -> dict[str, object]:
    """The language switch's links. A view may pass its own `other_languages` (the check
    does, to keep its answers when switching): the view's context wins, and these are
    then never built (lazy: resolving the page's URL in each language costs a URL
    resolve per language, issue 12 §5)."""
    return {"other_languages": SimpleLazyObject(lambda: other_languages(request))}
