"""`{% person_url 'view' pseudonym %}` (lens_format) writes what `{% url 'view'
pseudonym=pseudonym %}` writes, in both languages, for every view a person's page links
that way, also for a value that is not a plain pseudonym (reversed on its own, quoted
and escaped as the url tag does it), and refuses what the url tag refuses."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch
from django.utils import translation

# The views registry/person.html, registry/includes/relations.html and
# cases/includes/case_box.html link with person_url.
VIEWS = (
    "registry:person",
    "registry:reference",
    "registry:register_more",
    "registry:informed",
    "registry:reveal",
    "registry:access_log",
    "retention:access_request",
    "registry:refer",
    "registry:relation_new",
    "cases:open",
)
VALUES = ("P-K7QX", "P-2", "p-a<b>&\"'", "P-X?y=1#z", "é P", "%20")


def render(source: str, view: str, value: str) -> str:
    return Template("{% load lens_format %}" + source).render(
        Context({"view": view, "value": value})
    )


@pytest.mark.parametrize("language", ["nl", "en"])
def test_person_url_writes_what_the_url_tag_writes(language):
    with translation.override(language):
        for view in VIEWS:
            for value in VALUES:
                expected = render("{% url view pseudonym=value %}", view, value)
                assert render("{% person_url view value %}", view, value) == expected
                assert "P-URLMARKER" not in expected
        assert render("{% person_url 'registry:reference' 'P-K7QX' %}", "", "") == (
            "/registratie/P-K7QX/kenmerk/"
            if language == "nl"
            else "/en/registratie/P-K7QX/kenmerk/"
        )


def test_person_url_refuses_what_the_url_tag_refuses():
    for source in ("{% url view pseudonym=value %}", "{% person_url view value %}"):
        with pytest.raises(NoReverseMatch):
            render(source, "registry:person", "P-1/2")
        with pytest.raises(NoReverseMatch):
            render(source, "registry:person", "")
