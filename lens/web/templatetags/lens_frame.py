"""The page frame's parts that are the same on every request (base.html):
`{% load lens_frame %}{% same_for_every_request %}...{% end_same_for_every_request %}`.

The frame is drawn on every page: about seventy template nodes, of which about thirty
(the head with its static links, the brand, the skip link, the footer and its links)
write the same text for every request of the same page template in the same language.
Each such part is rendered once per page template, language, script prefix and URLconf
in a process, and kept: about 0.4 ms less on every page.

Only for parts that use no per-request value: translated texts, `url` and `static`
tags without request data, and the blocks `site_name`, `brand` and `footer`, whose
overrides (accounts/base.html, web/base.html, coordination/base.html, check/base.html)
are such texts too. tests/test_frame.py checks that every override stays so.

`{% kept_for a b.c ... %}...{% end_kept_for %}` keeps a part that depends on the listed
values only (besides the language, prefix and URLconf): rendered once per page template
and those values, then written from what was kept. The values must be plain data (text,
numbers, None, dates, times, lists, tuples, dicts, query strings and frozen dataclasses
of those); for any other value the part is rendered afresh. A part may use no value that
is not listed (tests/registry/test_kept_parts.py renders the pages both ways).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from django import template
from django.http import QueryDict
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.functional import Promise
from django.utils.safestring import SafeData
from django.utils.timezone import get_current_timezone_name

from lens.data.kept import Kept

register = template.Library()

# Kept parts per node (one per page template, language, prefix and URLconf seen): a
# bound on what a process keeps.
KEPT_MAX = 512


class _KeptNode(template.Node):
    """A part rendered once per page template, language, prefix, URLconf, autoescape
    and the values a subclass adds, then written from what was kept."""

    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist
        self.kept: Kept[str] = Kept(KEPT_MAX)

    def kept_or_rendered(self, context: template.Context, page: str, *values) -> str:
        key = (
            page,
            translation.get_language(),
            get_script_prefix(),
            get_urlconf(),
            context.autoescape,
            *values,
        )
        html = self.kept.get(key)
        if html is None:
            html = self.nodelist.render(context)
            self.kept.put(key, html)
        return html


class SameForEveryRequestNode(_KeptNode):
    def render(self, context: template.Context) -> str:
        page = context.template.name if context.template is not None else None
        if page is None:  # a template from a string: its blocks are not known by name
            return self.nodelist.render(context)
        return self.kept_or_rendered(context, page)


@register.tag
def same_for_every_request(parser, token):
    nodelist = parser.parse(("end_same_for_every_request",))
    parser.delete_first_token()
    return SameForEveryRequestNode(nodelist)


class _NotPlain(Exception):
    """A value a kept part cannot be keyed by: the part is rendered afresh."""


_PLAIN = {str: "str", int: "int", bool: "bool", type(None): "None"}


def _frozen(value):
    """`value` as a hashable key that tells apart everything that renders differently
    (a safe text from a plain one, True from 1)."""
    kind = type(value)
    plain = _PLAIN.get(kind)
    if plain is not None:
        return (plain, value)
    if kind is tuple or kind is list:
        return ("seq", tuple([_frozen(v) for v in value]))
    if kind is dict:
        return ("dict", tuple([(k, _frozen(v)) for k, v in value.items()]))
    if isinstance(value, (list, tuple)):  # also a lazy one (SimpleLazyObject)
        return ("seq", tuple([_frozen(v) for v in value]))
    if isinstance(value, str):
        return ("safe" if isinstance(value, SafeData) else "str", str(value))
    if isinstance(value, Promise):
        if hasattr(value, "__html__"):  # a lazy safe text
            raise _NotPlain
        return ("str", str(value))
    if kind is date:
        return ("date", value)
    if kind is datetime:  # shown in the current time zone
        return ("datetime", value, value.tzinfo is None, get_current_timezone_name())
    if isinstance(value, QueryDict):
        return ("query", tuple((k, tuple(v)) for k, v in value.lists()))
    if dataclasses.is_dataclass(value) and kind.__dataclass_params__.frozen:
        fields = dataclasses.fields(value)
        return (kind.__qualname__, tuple(_frozen(getattr(value, f.name)) for f in fields))
    raise _NotPlain


class KeptForNode(_KeptNode):
    def __init__(self, nodelist: template.NodeList, values: list):
        super().__init__(nodelist)
        self.values = values

    def render(self, context: template.Context) -> str:
        page = context.template.name if context.template is not None else None
        if page is None:
            return self.nodelist.render(context)
        try:
            values = tuple(_frozen(value.resolve(context)) for value in self.values)
        except _NotPlain:
            return self.nodelist.render(context)
        return self.kept_or_rendered(context, page, values)


@register.tag
def kept_for(parser, token):
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("end_kept_for",))
    parser.delete_first_token()
    return KeptForNode(nodelist, values)
