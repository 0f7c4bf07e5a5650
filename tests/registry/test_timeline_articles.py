# ruff: noqa: E501 (the old template loop, line for line as it was)
"""The person page's timeline is built in Python (registry_timeline.timeline_articles):
it writes what the template loop it replaces wrote, byte for byte, in both languages,
for every kind of row (withdrawn, corrected with earlier versions, with and without
risk factors, area, phenomena and context) and with text that must be escaped."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.utils import translation

from lens.data.queries import TimelineEntry
from lens.data.registry import HowLearned, Registration, Withdrawal

# The loop of registry/person.html before it was built in Python.
OLD_LOOP = Template(
    """{% load i18n lens_format %}    {% for item in timeline %}
    {% with r=item.entry.registration %}
    <article class="lens-contact lens-registration" aria-labelledby="registration-{{ r.pk }}">
      <h3 class="utrecht-heading-3" id="registration-{{ r.pk }}">{{ r.observed_on|day }}{% if r.version > 1 %} · {% blocktranslate with version=r.version trimmed %}version {{ version }}{% endblocktranslate %}{% endif %}{% if item.entry.withdrawn %} · <span class="utrecht-status-badge utrecht-status-badge--neutral">{% translate "withdrawn" %}</span>{% endif %}</h3>
      <p class="utrecht-paragraph"><strong>{% translate "Signals:" %}</strong> {{ item.signals|join:"; " }}</p>
      {% if item.risk_factors %}<p class="utrecht-paragraph"><strong>{% translate "Risk factors:" %}</strong> {{ item.risk_factors|join:"; " }}</p>{% endif %}
      {% if item.area %}<p class="utrecht-paragraph"><strong>{% translate "Lives in (for the local picture):" %}</strong> {{ item.area }}</p>{% endif %}
      {% if item.phenomena %}<p class="utrecht-paragraph"><strong>{% translate "Linked phenomena:" %}</strong> {{ item.phenomena|join:"; " }}</p>{% endif %}
      <p class="utrecht-paragraph"><strong>{% translate "How:" %}</strong> {{ r.get_how_learned_display }} · <strong>{% translate "By:" %}</strong> {{ r.author|user_name }} · {{ r.created_at|date:"j F Y H:i"|nobreak }}</p>
      {% if r.context_note %}<p class="utrecht-paragraph"><strong>{% translate "Context:" %}</strong> {{ r.context_note|linebreaksbr }}</p>{% endif %}
      {% if item.entry.withdrawn %}
      <p class="utrecht-paragraph"><strong>{% translate "Withdrawn:" %}</strong> {{ r.withdrawal.withdrawn_at|date:"j F Y H:i"|nobreak }} · {{ r.withdrawal.reason }}</p>
      {% else %}
      <p class="lens-actions lens-no-print">
        <a class="utrecht-link utrecht-link--html-a" href="{% url 'registry:correct' pseudonym=person.pseudonym registration_id=r.pk %}">{% translate "Correct" %}</a> ·
        <a class="utrecht-link utrecht-link--html-a" href="{% url 'registry:withdraw' pseudonym=person.pseudonym registration_id=r.pk %}">{% translate "Withdraw" %}</a>
      </p>
      {% endif %}
      {% include "web/includes/earlier_versions.html" %}
    </article>
    {% endwith %}
    {% empty %}
    <p class="utrecht-paragraph">{% translate "No signals registered yet." %}</p>
    {% endfor %}"""
)
NEW_LOOP = Template(
    """{% load i18n registry_timeline %}    {{ timeline|timeline_articles:person.pseudonym }}{% if not timeline %}
    <p class="utrecht-paragraph">{% translate "No signals registered yet." %}</p>
    {% endif %}"""
)


def registration(pk: int, *, version: int = 1, note: str = "", by: str = "") -> Registration:
    author = get_user_model()(username="u<1>", first_name=by)
    return Registration(
        pk=pk,
        version=version,
        author=author,
        observed_on=date(2026, 3, 5),
        created_at=datetime(2026, 12, 6, 23, 30, tzinfo=UTC),  # 7 December in Amsterdam
        how_learned=HowLearned.choices[pk % len(HowLearned.choices)][0],
        context_note=note,
    )


def rows() -> list[dict]:
    plain = registration(11)
    corrected = registration(12, version=3, note="Zag <b>iets</b> & meer\nop 't plein", by="Ä'n")
    older = registration(10, version=2, note="eerder <i>")
    withdrawn = registration(1234, note="x")
    withdrawn.withdrawal = Withdrawal(
        withdrawn_at=datetime(2026, 12, 1, 12, 0, tzinfo=UTC), reason="dubbel <ingevoerd> & 'fout'"
    )
    return [
        {
            "entry": TimelineEntry(corrected, withdrawn=False, previous_versions=[older]),
            "signals": ["Geld <zonder> uitleg", "Opgewacht & meer"],
            "risk_factors": ["Jonge leeftijd"],
            "area": "Tilburg · wijk <WK1>",
            "phenomena": ["Mensenhandel", "'drugs'"],
            "previous": [{"registration": older, "signals": ["a&b"], "risk_factors": ["c"]}],
        },
        {
            "entry": TimelineEntry(withdrawn, withdrawn=True, previous_versions=[]),
            "signals": ["Eén"],
            "risk_factors": [],
            "area": "",
            "phenomena": [],
            "previous": [],
        },
        {
            "entry": TimelineEntry(plain, withdrawn=False, previous_versions=[]),
            "signals": [],
            "risk_factors": [],
            "area": "Breda",
            "phenomena": [],
            "previous": [],
        },
    ]


def test_the_timeline_articles_are_what_the_template_loop_wrote():
    person = {"pseudonym": "P-ABC2"}
    for language in ("nl", "en"):
        with translation.override(language):
            for timeline in (rows(), rows()[1:2], []):
                context = {"timeline": timeline, "person": person}
                new = NEW_LOOP.render(Context(context))
                assert new == OLD_LOOP.render(Context(context))
    with translation.override("nl"):
        html = NEW_LOOP.render(Context({"timeline": rows(), "person": person}))
    assert "/registratie/P-ABC2/registraties/12/corrigeren/" in html
    assert "Zag &lt;b&gt;iets&lt;/b&gt; &amp; meer<br>op &#x27;t plein" in html
    assert "7 december 2026 00:30" in html  # the local time
    assert "dubbel &lt;ingevoerd&gt; &amp; &#x27;fout&#x27;" in html
