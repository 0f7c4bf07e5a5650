"""The person page's timeline (registry/person.html), built in Python:
`{% load registry_timeline %}{{ timeline|timeline_articles:person.pseudonym }}`.

A page shows up to 20 registrations (views.TIMELINE_PAGE_SIZE), each about 25 template
nodes (dates, labels, two links, the earlier versions' include): as a template loop that
was more than half of the page's template time. Here an article is a few format_html
calls with the same markup: every value escaped as the template escaped it (the
`translate` texts and the variables; a `blocktranslate` text as it is, its values
escaped), the dates as the `date` and `day` filters give them in the local time, the
earlier versions through their own include (web/includes/earlier_versions.html, which
the zorgcoördinator's combined picture shares).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name, template_localtime
from django.utils.translation import gettext, gettext_noop

from lens.web.templatetags.lens_format import day, nobreak, user_name

register = template.Library()

EARLIER_VERSIONS = "web/includes/earlier_versions.html"
# The registration id in a reversed URL, replaced by each row's (ids are digits only, a
# pseudonym has no nine digits in a row).
_ID_MARKER = 987654321
# What `_url_of` puts into a URL as it is (lens_format.person_url's rule), and its marker.
_PLAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")
_MARKER = "P-URLMARKER"

ARTICLE = (
    "\n    \n"
    '    <article class="lens-contact lens-registration" aria-labelledby="registration-{}">\n'
    '      <h3 class="utrecht-heading-3" id="registration-{}">{}{}{}</h3>\n'
    '      <p class="utrecht-paragraph"><strong>{}</strong> {}</p>\n'
    "      {}\n"
    "      {}\n"
    "      {}\n"
    '      <p class="utrecht-paragraph"><strong>{}</strong> {} · <strong>{}</strong> {} · {}</p>\n'
    "      {}\n"
    "      {}\n"
    "      {}\n"
    "    </article>\n"
    "    \n    "
)
LABELLED = '<p class="utrecht-paragraph"><strong>{}</strong> {}</p>'
WITHDRAWN = '\n      <p class="utrecht-paragraph"><strong>{}</strong> {} · {}</p>\n      '
ACTIONS = (
    '\n      <p class="lens-actions lens-no-print">\n'
    '        <a class="utrecht-link utrecht-link--html-a" href="{}">{}</a> ·\n'
    '        <a class="utrecht-link utrecht-link--html-a" href="{}">{}</a>\n'
    "      </p>\n      "
)
WITHDRAWN_BADGE = ' · <span class="utrecht-status-badge utrecht-status-badge--neutral">{}</span>'


def _translated(message: str) -> str:
    """`{% translate message %}`: the translation, escaped (as the tag escapes it)."""
    return conditional_escape(gettext(message))


def _joined(values: Iterable[Any]) -> SafeString:
    """`{{ values|join:"; " }}`: each value escaped."""
    return mark_safe("; ".join(conditional_escape(v) for v in values))


def _moment(value) -> SafeString:
    """`{{ value|date:"j F Y H:i"|nobreak }}`: in the local time, as the template gives it
    (worked out once per moment, time zone and language)."""
    return _moment_in(value, get_current_timezone_name(), translation.get_language())


@functools.lru_cache(maxsize=4096)
def _moment_in(value, zone: str, language: str | None) -> SafeString:
    return nobreak(date_filter(template_localtime(value), "j F Y H:i"))


def _url_of(view_name: str, pseudonym: str):
    """The URL of `view_name` for the person and a registration id, reversed once per
    view, language, prefix and URLconf (the pseudonym in a marker's place, as
    lens_format.person_url does; another value is reversed on its own)."""
    if pseudonym and _PLAIN.issuperset(pseudonym):
        before, after = _around(
            view_name, translation.get_language(), get_script_prefix(), get_urlconf()
        )
        before, after = before.replace(_MARKER, pseudonym), after.replace(_MARKER, pseudonym)
    else:
        before, _marker, after = reverse(
            view_name, kwargs={"pseudonym": pseudonym, "registration_id": _ID_MARKER}
        ).partition(str(_ID_MARKER))
    return lambda pk: f"{before}{pk}{after}"


@functools.lru_cache(maxsize=64)
def _around(
    view_name: str, language: str | None, prefix: str, urlconf: str | None
) -> tuple[str, str]:
    """The URL of `view_name` before and after its registration id, with _MARKER for
    the pseudonym."""
    before, _marker, after = reverse(
        view_name, kwargs={"pseudonym": _MARKER, "registration_id": _ID_MARKER}
    ).partition(str(_ID_MARKER))
    return before, after


@functools.lru_cache(maxsize=8)
def _labels(language: str | None) -> dict[str, str]:
    """The timeline's `translate` texts, escaped, once per language."""
    labels = {
        "signals": _translated(gettext_noop("Signals:")),
        "risk_factors": _translated(gettext_noop("Risk factors:")),
        "area": _translated(gettext_noop("Lives in (for the local picture):")),
        "phenomena": _translated(gettext_noop("Linked phenomena:")),
        "how": _translated(gettext_noop("How:")),
        "by": _translated(gettext_noop("By:")),
        "context": _translated(gettext_noop("Context:")),
        "withdrawn": _translated(gettext_noop("Withdrawn:")),
        "correct": _translated(gettext_noop("Correct")),
        "withdraw": _translated(gettext_noop("Withdraw")),
    }
    labels["withdrawn_badge"] = format_html(WITHDRAWN_BADGE, _translated(gettext_noop("withdrawn")))
    return labels


@functools.lru_cache(maxsize=8)
def _without_earlier_versions(language: str | None) -> str:
    """What the earlier versions' include renders for a registration without any: the
    same for every row (its whitespace), worked out once per language."""
    return mark_safe(get_template(EARLIER_VERSIONS).render({"item": {"previous": []}}))


@register.filter
def timeline_articles(timeline: Iterable[Mapping[str, Any]], pseudonym: str) -> SafeString:
    """The timeline's articles (lens.web.outcomes.timeline_rows), as the template loop
    drew them."""
    correct_url = _url_of("registry:correct", pseudonym)
    withdraw_url = _url_of("registry:withdraw", pseudonym)
    labels = _labels(translation.get_language())
    withdrawn_badge = labels["withdrawn_badge"]
    no_earlier = _without_earlier_versions(translation.get_language())
    earlier = get_template(EARLIER_VERSIONS)
    out = []
    for item in timeline:
        entry = item["entry"]
        r = entry.registration
        pk = localize(r.pk)
        version = ""
        if r.version > 1:
            version = mark_safe(
                " · "
                + gettext("version %(version)s")
                % {"version": conditional_escape(localize(r.version))}
            )
        if entry.withdrawn:
            state = format_html(
                WITHDRAWN,
                labels["withdrawn"],
                _moment(r.withdrawal.withdrawn_at),
                r.withdrawal.reason,
            )
        else:
            state = format_html(
                ACTIONS,
                correct_url(r.pk),
                labels["correct"],
                withdraw_url(r.pk),
                labels["withdraw"],
            )
        out.append(
            format_html(
                ARTICLE,
                pk,
                pk,
                day(r.observed_on),
                version,
                withdrawn_badge if entry.withdrawn else "",
                labels["signals"],
                _joined(item["signals"]),
                format_html(LABELLED, labels["risk_factors"], _joined(item["risk_factors"]))
                if item["risk_factors"]
                else "",
                format_html(LABELLED, labels["area"], item["area"]) if item["area"] else "",
                format_html(LABELLED, labels["phenomena"], _joined(item["phenomena"]))
                if item["phenomena"]
                else "",
                labels["how"],
                r.get_how_learned_display(),
                labels["by"],
                user_name(r.author),
                _moment(r.created_at),
                format_html(LABELLED, labels["context"], linebreaksbr(r.context_note, True))
                if r.context_note
                else "",
                state,
                mark_safe(earlier.render({"item": item})) if item["previous"] else no_earlier,
            )
        )
    return mark_safe("".join(out))  # each article built by format_html
