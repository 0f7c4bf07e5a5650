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
"""

from __future__ import annotations

from django import template
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation

from lens.data.kept import Kept

register = template.Library()

# Kept parts per node (one per page template, language, prefix and URLconf seen): a
# bound on what a process keeps.
KEPT_MAX = 512


class SameForEveryRequestNode(template.Node):
    def __init__(self, nodelist: template.NodeList):
        self.nodelist = nodelist
        self.kept: Kept[str] = Kept(KEPT_MAX)

    def render(self, context: template.Context) -> str:
        page = context.template.name if context.template is not None else None
        if page is None:  # a template from a string: its blocks are not known by name
            return self.nodelist.render(context)
        key = (
            page,
            translation.get_language(),
            get_script_prefix(),
            get_urlconf(),
            context.autoescape,
        )
        html = self.kept.get(key)
        if html is None:
            html = self.nodelist.render(context)
            self.kept.put(key, html)
        return html


@register.tag
def same_for_every_request(parser, token):
    nodelist = parser.parse(("end_same_for_every_request",))
    parser.delete_first_token()
    return SameForEveryRequestNode(nodelist)
