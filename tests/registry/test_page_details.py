"""Details of the pages seen in screenshots (issue 10, item 8): names instead of
usernames, the access log in words, Dutch decimal commas, dates and pseudonyms kept on
one line."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from lens.data.registry import Role
from lens.web.presentation import Bar

from . import factories

pytestmark = pytest.mark.django_db


def url(name, **kwargs) -> str:
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def named(member, first="Femke", last="Verzonnen"):
    member.user.first_name, member.user.last_name = first, last
    member.user.save()
    return f"{first} {last}"


def test_the_person_page_names_the_author_not_the_username(world, login):
    member = world.members[Role.PROFESSIONAL]
    name = named(member)
    page = login(member).get(url("registry:person", pseudonym=world.own_person.pseudonym))
    assert page.status_code == 200
    assert f"Door: {name}" in text(page)
    assert member.user.username not in text(page)


def test_the_access_log_says_what_was_seen_in_words(world, login):
    author = world.members[Role.PROFESSIONAL]
    officer = world.members[Role.AANDACHTSFUNCTIONARIS]
    name = named(author, "Daan", "Proefmans")
    registration = factories.registration(
        world.actor(Role.PROFESSIONAL), world.own_person, observed_on=date(2026, 3, 4)
    )
    client = login(officer)
    page = client.get(url("registry:access_log", pseudonym=world.own_person.pseudonym))
    assert page.status_code == 200
    shown = text(page)
    assert "geregistreerd: de registratie van 4 maart 2026" in shown
    assert f"registratie {registration.pk}" not in shown
    assert not re.search(r"(registratie|persoon) \d+", shown), shown
    assert name in shown and author.user.username not in shown
    html = page.content.decode()
    assert '<span class="lens-nowrap">4 maart 2026</span>' in html


def test_dates_and_pseudonyms_stay_on_one_line_in_the_list(world, login):
    page = login(world.members[Role.PROFESSIONAL]).get(url("registry:persons"))
    html = page.content.decode()
    assert f'<span class="lens-pseudonym">{world.own_person.pseudonym}</span>' in html
    assert re.search(r'<span class="lens-nowrap">\d{1,2} \w+ \d{4}</span>', html)


@pytest.mark.parametrize(
    ("language", "shown", "wrong"), [("nl", "2,5", "2.5"), ("en", "2.5", "2,5")]
)
def test_the_lens_picture_writes_decimals_in_the_page_language(language, shown, wrong):
    lens = {
        "cards": [
            {"label": "Gedrag", "status": "seen", "bar": Bar(2.5, 10), "indicators": []},
        ],
        "domains": ["Gedrag"],
        "rows": [{"label": "Reizen", "cells": [2.5], "total": 10.5}],
        "domain_totals": [2.5],
    }
    with translation.override(language):
        html = render_to_string("includes/outcome/lens_picture.html", {"lens": lens})
    numbers = re.findall(r">\s*(\d+[.,]\d+)\s*<", html)
    assert numbers and all(n in (shown, shown.replace("2", "10", 1)) for n in numbers), numbers
    assert wrong not in numbers


def test_the_filters():
    template = Template(
        "{% load lens_format %}{{ d|date:'j F Y'|nobreak }} {{ p|pseudonym }} {{ u|user_name }}"
    )

    class User:
        def __init__(self, full, username):
            self.full, self.username = full, username

        def get_full_name(self):
            return self.full

        def get_username(self):
            return self.username

    with translation.override("nl"):
        out = template.render(Context({"d": date(2026, 12, 5), "p": "P-<X>", "u": User("", "u1")}))
        named_user = Template("{% load lens_format %}{{ u|user_name }}").render(
            Context({"u": User("Anna Voorbeeld", "u2")})
        )
    assert out == (
        '<span class="lens-nowrap">5 december 2026</span> '
        '<span class="lens-pseudonym">P-&lt;X&gt;</span> u1'
    )
    assert named_user == "Anna Voorbeeld"
    assert date_format(date(2026, 12, 5), "j F Y") == "5 december 2026"


def test_the_list_filters_write_what_the_template_code_they_replace_wrote():
    """`day` and `level_badge` (built in Python for the rows of the lists) against the
    template code they replace, in both languages and with text that must be escaped."""
    old_day = Template("{% load lens_format %}{{ d|date:'j F Y'|nobreak }}")
    new_day = Template("{% load lens_format %}{{ d|day }}")
    old_badge = Template(
        '<span class="lens-level-badge lens-level-badge--{{ level }}"><span '
        'class="lens-level-badge__meter" aria-hidden="true">{% for step in "1234" %}<span '
        'class="lens-level-badge__bar lens-level-badge__bar--{{ step }}{% if step|add:"0" <= '
        'level %} lens-level-badge__bar--on{% endif %}"></span>{% endfor %}</span><span '
        'class="lens-level-badge__text">{{ level }} · {{ label }}</span></span>'
    )
    for language in ("nl", "en"):
        with translation.override(language):
            for d in (date(2026, 3, 5), date(2025, 12, 31), None, ""):
                context = Context({"d": d})
                assert new_day.render(context) == old_day.render(context)
            for level in range(5):
                for label in ("Acuut", "<b>&</b>"):
                    context = {"level": level, "label": label}
                    assert render_to_string("includes/level_badge.html", context).strip() == (
                        old_badge.render(Context(context))
                    )
    with translation.override("nl"):
        assert new_day.render(Context({"d": date(2026, 12, 5)})) == (
            '<span class="lens-nowrap">5 december 2026</span>'
        )


def test_url_for_writes_the_urls_reverse_writes():
    from lens.web.pages import url_for

    for language in ("nl", "en"):
        with translation.override(language):
            person_url = url_for("registry:person", "pseudonym")
            for pseudonym in ("P-ABC2", "P-Z9", "a b&c"):
                assert person_url(pseudonym) == reverse(
                    "registry:person", kwargs={"pseudonym": pseudonym}
                )


def test_control_options_writes_what_the_template_loop_wrote():
    from lens.web.lists import Control

    old = Template(
        '{% for value, label in control.options %}<option value="{{ value }}"{% if value == '
        "control.chosen %} selected{% endif %}>{{ label }}</option>{% endfor %}"
    )
    new = Template("{% load lens_format %}{{ control|control_options }}")
    options = (("", "Alle <niveaus>"), ("a&b", "A & B"), ('"q"', "'q'"))
    for chosen in ("", "a&b", '"q"'):
        control = Control(name="x", label="X", options=options, chosen=chosen)
        context = Context({"control": control})
        assert new.render(context) == old.render(context)
    assert "Alle &lt;niveaus&gt;" in new.render(context) and " selected>&#x27;q&#x27;" in (
        new.render(context)
    )
