"""The frame's parts that are the same for every request (lens.web.templatetags.lens_frame)
are kept per page template and language: the pages are what rendering them afresh gives,
and the blocks inside those parts hold nothing that differs between requests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from lens.data.registry import Role
from lens.web import submissions
from lens.web.templatetags import lens_frame

pytestmark = pytest.mark.django_db

LENS = Path(__file__).resolve().parents[2] / "lens"
# The blocks base.html renders inside same_for_every_request.
KEPT_BLOCKS = ("site_name", "brand", "footer")
# What differs on every request: the CSRF token, a form's submission key.
ONCE = re.compile(r'name="(csrfmiddlewaretoken|' + submissions.FORM_FIELD + r')" value="[^"]+"')
# Tags a kept part may use: texts, and URLs of views or static files without variables.
STATIC_TAG = re.compile(
    r"""\{% (translate "[^"]*"|translate '[^']*'|url '[a-z_:]+'|static '[^']+'"""
    r"""|block \w+|endblock|same_for_every_request|end_same_for_every_request) %\}"""
)


def test_the_kept_parts_hold_no_per_request_value():
    base = (LENS / "templates" / "base.html").read_text()
    parts = re.findall(
        r"\{% same_for_every_request %\}(.*?)\{% end_same_for_every_request %\}", base, re.S
    )
    assert len(parts) == 4
    overrides = []
    for path in LENS.rglob("templates/**/*.html"):
        text = path.read_text()
        for name in KEPT_BLOCKS:
            found = re.findall(r"\{% block " + name + r" %\}(.*?)\{% endblock %\}", text, re.S)
            overrides += [(path.name, body) for body in found]
    assert len(overrides) >= 6  # base.html's own and the frames' overrides
    for where, text in [("base.html", part) for part in parts] + overrides:
        text = text.replace("{{ LANGUAGE_CODE }}", "")  # the language: part of the key
        assert "{{" not in text, where
        assert STATIC_TAG.sub("", text).count("{%") == 0, where


def pages(world) -> list[str]:
    pseudonym = world.own_person.pseudonym
    found = []
    for language in ("nl", "en"):
        with translation.override(language):
            found += [
                reverse("registry:persons"),
                reverse("registry:person", kwargs={"pseudonym": pseudonym}),
                reverse("registry:register"),
                reverse("check:start"),
                reverse("statements:privacy"),
                reverse("registry:person", kwargs={"pseudonym": "P-2222"}),  # a 404
            ]
    return found


def fetch(client, paths: list[str]) -> list[tuple[int, str]]:
    return [
        (r.status_code, ONCE.sub("once", r.content.decode()))
        for r in (client.get(path) for path in paths)
    ]


def test_pages_with_kept_parts_are_what_a_fresh_render_gives(world, login, monkeypatch):
    client = login(world.members[Role.PROFESSIONAL])
    paths = pages(world)
    kept = fetch(client, paths + paths)  # the second time from what was kept
    assert kept[: len(paths)] == kept[len(paths) :]
    assert [status for status, _ in kept[: len(paths)]] == [200] * 5 + [404] + [200] * 5 + [404]
    assert 'lang="en"' in kept[len(paths) // 2][1] and 'lang="nl"' in kept[0][1]
    monkeypatch.setattr(
        lens_frame.SameForEveryRequestNode, "render", lambda self, ctx: self.nodelist.render(ctx)
    )
    assert fetch(client, paths) == kept[: len(paths)]
