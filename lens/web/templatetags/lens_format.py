"""Small formatting filters for the pages: `{% load lens_format %}`.

- `nobreak`: a date, time or pseudonym that must stay on one line ("5 december 2026",
  "P-ZXTT"): wrapped in a span that CSS keeps together (app.css, .lens-nowrap).
- `pseudonym`: a person's pseudonym, kept on one line and marked for the styles.
- `user_name`: the name of a user account as people know it (first and last name), the
  username only when the account has no name.
- `purpose`: an access-log purpose in the reader's language.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from lens.access import purposes

register = template.Library()


@register.filter
def nobreak(value):
    if value in (None, ""):
        return value
    return format_html('<span class="lens-nowrap">{}</span>', value)


@register.filter
def pseudonym(value):
    if value in (None, ""):
        return value
    return format_html('<span class="lens-pseudonym">{}</span>', value)


@register.filter
def user_name(user) -> str:
    if user is None:
        return ""
    name = user.get_full_name().strip() if hasattr(user, "get_full_name") else ""
    return name or user.get_username()


@register.filter
def purpose(value: str) -> str:
    """An access-log purpose in the reader's language (lens.access.purposes)."""
    return purposes.shown(value or "")
