"""What the check's Python-built blocks share (lens/check/rendered.py and
rendered_table.py): parts made once per process and kept by language and key, values
escaped and numbers localised as the template engine writes them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from lens.data.kept import Kept

# Parts made once per process, by language and what they show (catalogue version, code,
# audience, ...): a few thousand short strings at most for one catalogue version.
KEPT_MAX = 4096
_kept: Kept[Any] = Kept(KEPT_MAX)


def kept(key: tuple, build: Callable[[], Any]) -> Any:
    """`build()` made once per process for `key` and the active language."""
    full = (get_language(), *key)
    found = _kept.get(full)
    if found is None:
        found = build()
        _kept.put(full, found)
    return found


def escaped(value: object) -> str:
    """A value as the template engine writes it: escaped unless already safe."""
    return str(conditional_escape(value))


def numbers() -> Callable[[object], str]:
    """Numbers as `{{ value }}` writes them (localised: "2,5" in Dutch), each localised
    once per language."""
    known: dict[tuple, str] = kept(("numbers",), dict)

    def shown(value: object) -> str:
        key = (type(value), value)
        found = known.get(key)
        if found is None:
            found = known[key] = escaped(formats.localize(value))
        return found

    return shown
