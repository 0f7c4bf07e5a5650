"""Small formatting filters for the pages: `{% load lens_format %}`.

- `nobreak`: a date, time or pseudonym that must stay on one line ("5 december 2026",
  "P-ZXTT"): wrapped in a span that CSS keeps together (app.css, .lens-nowrap).
- `pseudonym`: a person's pseudonym, kept on one line and marked for the styles.
- `user_name`: the name of a user account as people know it (first and last name), the
  username only when the account has no name.
- `purpose`: an access-log purpose in the reader's language.
- `day`: a calendar date as "5 december 2026", kept on one line (`date:"j F Y"|nobreak`,
  remembered per date and language: the lists show the same dates on every row).
- `level_badge`: an advice level in a list (`{{ level|level_badge:label }}`), built in
  Python: it is drawn on every row of the lists, where an include cost a template
  render per row (includes/level_badge.html uses it too).
- `control_options`: the options of a list's select (includes/list_controls.html).
- `person_url`: `{% person_url 'registry:reference' person.pseudonym %}` gives what
  `{% url 'registry:reference' pseudonym=person.pseudonym %}` gives, with the URL
  reversed once per view, language and prefix (a person's page links about ten of them).
"""

from __future__ import annotations

import functools
from datetime import date

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from lens.access import purposes

register = template.Library()


@register.filter
def nobreak(value):
    if value in (None, ""):
        return value
    return format_html('<span class="lens-nowrap">{}</span>', value)


@register.filter(expects_localtime=True)
def day(value):
    """`{{ value|date:"j F Y"|nobreak }}` for a date (not a time: that depends on the time
    zone), worked out once per date and language."""
    if type(value) is date:
        return _day(value, translation.get_language())
    return nobreak(date_filter(value, "j F Y"))


@functools.lru_cache(maxsize=4096)
def _day(value: date, language: str | None) -> str:
    return nobreak(date_filter(value, "j F Y"))


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


def _meter(level: int) -> str:
    return "".join(
        f'<span class="lens-level-badge__bar lens-level-badge__bar--{step}'
        f'{" lens-level-badge__bar--on" if step <= level else ""}"></span>'
        for step in (1, 2, 3, 4)
    )


# The badge's HTML up to its text, per level (0-4): fixed markup, built once.
BADGE_START = {
    level: f'<span class="lens-level-badge lens-level-badge--{level}"><span '
    f'class="lens-level-badge__meter" aria-hidden="true">{_meter(level)}</span>'
    f'<span class="lens-level-badge__text">{level} · '
    for level in range(5)
}


@register.filter
def level_badge(level, label=""):
    """An advice level: its number and label in words, and a meter of four bars of which
    `level` are filled (a shape, so that levels differ without colour too; the meter is
    decoration, the text says it all). Plain string work: it runs on every row."""
    level = int(level)
    start = BADGE_START.get(level) or format_html(
        '<span class="lens-level-badge lens-level-badge--{}"><span class="lens-level-badge__meter"'
        ' aria-hidden="true">{}</span><span class="lens-level-badge__text">{} · ',
        level,
        mark_safe(_meter(level)),  # fixed markup; the level is an int
        level,
    )
    return mark_safe(f"{start}{escape(label)}</span></span>")  # the label is escaped


@register.filter
def control_options(control) -> str:
    """The <option>s of a list's select (includes/list_controls.html, lens.web.lists.
    Control): `{% for value, label in control.options %}<option value="{{ value }}"{% if
    value == control.chosen %} selected{% endif %}>{{ label }}</option>{% endfor %}`, one
    format_html an option instead of template nodes (the persons list has twelve)."""
    return mark_safe(
        "".join(
            format_html(
                '<option value="{}"{}>{}</option>',
                value,
                " selected" if value == control.chosen else "",
                label,
            )
            for value, label in control.options
        )
    )


# What `person_url` puts into a URL as it is: the letters, digits and hyphens of a
# pseudonym (anything else goes through `reverse`, which quotes it or refuses it).
_PLAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")
_MARKER = "P-URLMARKER"


@functools.lru_cache(maxsize=256)
def _around_pseudonym(
    view_name: str, language: str | None, prefix: str, urlconf: str | None
) -> tuple[str, str]:
    """The URL of `view_name` before and after its pseudonym (reversed with a marker)."""
    before, _marker, after = reverse(view_name, kwargs={"pseudonym": _MARKER}).partition(_MARKER)
    return before, after


@register.simple_tag
def person_url(view_name: str, value: str) -> str:
    """`{% url view_name pseudonym=value %}` (escaped as that tag escapes it: the simple
    tag's answer is escaped the same way)."""
    value = str(value)
    if value and _PLAIN.issuperset(value):
        language = translation.get_language()
        before, after = _around_pseudonym(view_name, language, get_script_prefix(), get_urlconf())
        return f"{before}{value}{after}"
    return reverse(view_name, kwargs={"pseudonym": value})
