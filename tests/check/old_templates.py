# ruff: noqa: E501 (the templates as they were, line for line)
"""The check's outcome page and form step as their templates drew them before their heavy
blocks were built in Python (lens.check.rendered, issue 12 §5): tests/check/test_rendered.py
renders these with the context the views give now and compares the pages byte for byte."""

OUTCOME = r"""{% extends "check/base.html" %}
{% load i18n lens_format %}
{% block title %}{% translate "Outcome" %}: {{ level_label }}{% endblock %}
{% block language_switch %}{% include "check/includes/language_switch_post.html" %}{% endblock %}
{% block content %}
<div class="lens-stack lens-outcome lens-check-outcome">
  {% if is_parent %}{% translate "You answered yes to a sign of acute danger. Call the emergency number straight away. Ask Veilig Thuis for advice afterwards." as acute_text %}{% else %}{% translate "You answered yes to a sign of acute danger (a signal, or direct danger now). Call the emergency number straight away. Consult the care coordinator afterwards." as acute_text %}{% endif %}
  {% include "includes/outcome/acute.html" %}

  <h1 class="utrecht-heading-1">{% translate "Outcome of the signal check" %}</h1>

  <section class="lens-now" aria-labelledby="now">
    <h2 class="utrecht-heading-2" id="now">{% translate "What to do now" %}</h2>
    <p class="utrecht-paragraph utrecht-paragraph--lead lens-now__text">{{ do_now.text }}</p>
    {% if do_now.call %}<p class="lens-now__call">{% if do_now.call.phone == "112" %}{% translate "Call" %}{% else %}{{ do_now.call.label }}:{% endif %} <a class="utrecht-link utrecht-link--html-a utrecht-link--telephone" href="{{ do_now.call.tel }}">{{ do_now.call.phone }}</a></p>{% endif %}
    {% if danger_doubt %}<p class="utrecht-paragraph lens-doubt" id="danger-doubt"><strong>{{ danger_doubt }}</strong></p>{% endif %}
    {% if not is_acute %}<p class="utrecht-paragraph">{% translate "Acute danger? Call" %} <a class="utrecht-link utrecht-link--html-a utrecht-link--telephone" href="tel:112">112</a>.</p>{% endif %}
  </section>

  {{ level_shown }}
  <p class="utrecht-paragraph lens-levels-link">{# A new window: the posted outcome is not in the URL, so leaving the page would lose it. #}<a class="utrecht-link utrecht-link--html-a" href="{% url 'check:levels' %}" target="_blank" rel="noopener">{% translate "What do the levels mean?" %} {% translate "(opens in a new window)" %}</a></p>

  <section class="lens-section" aria-labelledby="why">
    <h2 class="utrecht-heading-2" id="why">{% translate "Why this outcome?" %}</h2>
    {% for line in why_plain %}<p class="utrecht-paragraph">{{ line }}</p>{% endfor %}
    <ul class="lens-figure" aria-label="{% translate 'The four areas of life' %}">
      {% for d in figure %}
      <li class="lens-figure__item lens-figure__item--{{ d.status }}"><span class="lens-figure__label">{{ d.label }}</span> <span class="lens-figure__value">{% if d.count %}{% blocktranslate count counter=d.count trimmed %}{{ counter }} signal seen{% plural %}{{ counter }} signals seen{% endblocktranslate %}{% elif d.status == "unknown" %}{% translate "don't know: blind spot" %}{% elif d.status == "no_information" %}{% translate "nothing known yet: blind spot" %}{% else %}{% translate "no signals seen" %}{% endif %}</span></li>
      {% endfor %}
    </ul>
    <details class="lens-details">
      <summary class="lens-details__summary">{% translate "How is this calculated?" %}</summary>
      <div class="lens-details__body">
        <ul class="utrecht-unordered-list">
          {% for line in explanation %}<li class="utrecht-unordered-list__item">{{ line }}</li>{% endfor %}
        </ul>
        <p class="utrecht-paragraph">{% translate "Themes (indicators) say what a signal is about, such as money or coercion; the four areas of life say where in someone's life it shows. A signal can fall under more than one of each. A soft signal weighs 1, a medium one 2 and a strong one 4." %}</p>
        {% translate "Theme (indicator)" as indicator_heading %}
        {% include "includes/outcome/lens_table.html" %}
      </div>
    </details>
    <h3 class="utrecht-heading-3">{% translate "What you filled in" %}</h3>
    {% if answered_by_domain %}
    <dl class="lens-answers">
      {% for domain in answered_by_domain %}
      <dt>{{ domain.label }}</dt>
      <dd><ul class="utrecht-unordered-list">{% for s in domain.yes %}<li class="utrecht-unordered-list__item">{{ s }}</li>{% endfor %}</ul></dd>
      {% endfor %}
    </dl>
    {% else %}
    <p class="utrecht-paragraph">{% translate "You did not answer yes to any signal." %}</p>
    {% endif %}
    {% if unknown_signals %}
    <p class="utrecht-paragraph"><strong>{% translate "Don't know:" %}</strong> {{ unknown_signals|join:"; " }}</p>
    {% endif %}
    <p class="utrecht-paragraph"><strong>{% translate "Risk factors:" %}</strong> {% if risk_factors %}{{ risk_factors|join:"; " }}{% else %}{% translate "none ticked" %}{% endif %}</p>
    <p class="utrecht-paragraph"><strong>{% translate "Region:" %}</strong> {% if region %}{{ region }}{% else %}{% translate "National / I don't know" %}{% endif %}</p>
  </section>

  {% if is_parent %}
  {% translate "You do not have to be sure. If you are worried, talk about it: with the person themselves, with someone you trust, or with Veilig Thuis (this can be anonymous)." as caveat_note %}
  {% else %}
  {% translate "You do not have to be sure. If you are worried, talk to someone about it: a colleague, the designated officer in your organisation, or the care coordinator for human trafficking (this can be anonymous)." as caveat_note %}
  {% endif %}
  {% include "includes/outcome/caveat.html" %}

  {% translate "You have no information yet about these parts of the lens. Others may see what you cannot: ask them, or mention it when you consult someone." as blind_intro %}
  {% if is_parent %}
  {% translate "You know something about every part of life and every subject the check asks about. Others may still see more: talking with them still helps." as blind_none %}
  {% else %}
  {% translate "You have information about every area of life and every indicator. Others may still see more: the outcome does not replace consulting them." as blind_none %}
  {% endif %}
  {% include "includes/outcome/blind_spots.html" with fold_indicators=True %}

  <section class="lens-section" aria-labelledby="next">
    <h2 class="utrecht-heading-2" id="next">{% translate "What can you do now?" %}</h2>
    {% if now_steps %}
    {% include "includes/outcome/steps.html" with steps=now_steps %}
    {% else %}
    <p class="utrecht-paragraph">{% translate "Stay alert. If you see new signals, or still have a feeling that something is wrong, do the check again or talk to a colleague." %}</p>
    {% endif %}
    {{ contacts_shown }}
    {% if not region %}
    <p class="utrecht-paragraph">{% translate "You did not choose a region, so you see the national contacts. Change your answers to choose a region and see its care coordinator." %}</p>
    {% endif %}
  </section>

{{ good_to_know }}

  <div class="lens-actions lens-no-print">
    <form method="post" action="{% url 'check:form' %}" class="lens-inline-form">
      {{ hidden_shown }}
      <button type="submit" class="utrecht-button utrecht-button--primary-action">{% translate "Change answers" %}</button>
    </form>
    <form method="post" action="{% url 'check:summary_pdf' %}" class="lens-inline-form">
      {{ hidden_shown }}
      <input type="hidden" name="summary" value="1">
      <button type="submit" class="utrecht-button utrecht-button--secondary-action">{% translate "Download summary (PDF)" %}</button>
    </form>
    <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action" href="{% url 'check:form' %}">{% translate "Start a new check" %}</a>
  </div>
  <p class="utrecht-paragraph lens-no-print">{% translate "To keep the outcome, print it or save it as PDF with your browser's print function (Ctrl+P or Cmd+P). Nothing is kept on our side." %}</p>
</div>
{% endblock %}
{% block footer_extra %}
<p class="utrecht-paragraph utrecht-paragraph--small">{% blocktranslate with catalogue=result.catalogue_version ruleset=result.ruleset_version date=result.as_of|date:"j F Y"|nobreak trimmed %}Catalogue {{ catalogue }}, rules {{ ruleset }}, computed on {{ date }}.{% endblocktranslate %}</p>
{% endblock %}
"""

FORM = r"""{% extends "check/base.html" %}
{% load i18n static %}
{% comment %}
One step of the check. Kept light on purpose (issue 12 §5): no include per radio button,
only this step's questions as inputs; every other answer rides along as a hidden field.
{% endcomment %}
{% block title %}{% if errors %}{% translate "Error" %}: {% endif %}{% blocktranslate with step=step count=step_count trimmed %}Step {{ step }} of {{ count }}{% endblocktranslate %}: {% if domain %}{{ domain_label }}{% else %}{% translate "You and this person" %}{% endif %}{% endblock %}
{% block language_switch %}{% if post_language_switch %}{% with hidden_answers=all_answers %}{% include "check/includes/language_switch_post.html" %}{% endwith %}{% else %}{{ block.super }}{% endif %}{% endblock %}
{% block content %}
<div class="lens-stack">
  {% if is_acute %}{% if is_parent %}{% translate "You answered yes to a sign of acute danger. Call the emergency number straight away. Ask Veilig Thuis for advice afterwards." as acute_text %}{% else %}{% translate "You answered yes to a sign of acute danger (a signal, or direct danger now). Call the emergency number straight away. Consult the care coordinator afterwards." as acute_text %}{% endif %}
  {% include "includes/outcome/acute.html" with acute_outcome_form="check-form" %}{% endif %}
  <p class="lens-progress" id="progress">{% blocktranslate with step=step count=step_count trimmed %}Step {{ step }} of {{ count }}{% endblocktranslate %}</p>
  <h1 class="utrecht-heading-1">{% if domain %}{{ domain_label }}{% else %}{% translate "You and this person" %}{% endif %}</h1>
  {% include "check/includes/errors.html" %}

  <form method="post" action="{% url 'check:form' %}" class="lens-form lens-stack" id="check-form" novalidate>
    <input type="hidden" name="step" value="{{ step }}">
    {{ hidden_answers }}
    {% if domain %}
    <p class="utrecht-paragraph lens-readable">{{ domain_explanation }} {% translate "Answer yes, no or don't know; you may leave signals open. Think of what you saw or heard recently." %}</p>
    <p class="lens-search lens-no-print" hidden><label class="utrecht-form-label" for="signal-search">{% translate "Search the signals of this step" %}</label> <input class="utrecht-textbox utrecht-textbox--html-input" type="search" id="signal-search" autocomplete="off"></p>
    <div class="lens-domain" id="questions">
      {% for row in rows %}
      {% include "check/includes/question.html" %}
      {% endfor %}
      {% if more_rows %}
      <details class="lens-details lens-more">
        <summary class="lens-details__summary">{% blocktranslate count counter=more_rows|length trimmed %}{{ counter }} more signal in this area of life{% plural %}{{ counter }} more signals in this area of life{% endblocktranslate %}</summary>
        <div class="lens-details__body">
          {% for row in more_rows %}
          {% include "check/includes/question.html" %}
          {% endfor %}
        </div>
      </details>
      {% endif %}
    </div>
    {% else %}
    <p class="utrecht-paragraph utrecht-paragraph--lead lens-readable">{% translate "A few questions first, so that the check asks what you can see and gives you the right phone numbers. Your answers are not stored." %}</p>
    <fieldset class="utrecht-form-fieldset__fieldset utrecht-form-fieldset--html-fieldset lens-question">
      <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend lens-question__legend">{% translate "Who are you?" %}</legend>
      <div class="lens-options lens-options--stacked">{% for value, label in form.fields.audience.choices %}<span class="lens-option"><input class="utrecht-radio-button utrecht-radio-button--html-input" type="radio" id="id_audience_{{ forloop.counter0 }}" name="audience" value="{{ value }}"{% if value == audience %} checked{% endif %}> <label class="utrecht-form-label utrecht-form-label--radio" for="id_audience_{{ forloop.counter0 }}">{{ label }}</label></span>{% endfor %}</div>
    </fieldset>
    {% if not is_parent %}
    <p class="utrecht-form-field lens-question"><label class="utrecht-form-label lens-question__legend" for="id_organisation_type">{% translate "If you are a professional: where do you work?" %}</label>
      <span class="utrecht-form-field-description lens-question__help" id="id_organisation_type_help">{% translate "The check then shows first the signals that people in your work usually see." %}</span>
      <select class="utrecht-select utrecht-select--html-select lens-select" id="id_organisation_type" name="organisation_type" aria-describedby="id_organisation_type_help">{% for value, label in form.fields.organisation_type.choices %}<option value="{{ value }}"{% if value == organisation_type %} selected{% endif %}>{{ label }}</option>{% endfor %}</select></p>
    {% endif %}
    <fieldset class="utrecht-form-fieldset__fieldset utrecht-form-fieldset--html-fieldset lens-question" aria-describedby="id_age_help">
      <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend lens-question__legend">{% translate "How old is this person?" %}</legend>
      <p class="utrecht-form-field-description lens-question__help" id="id_age_help">{% translate "Age is no signal: it decides which route and which help fit." %}</p>
      <div class="lens-options">{% for value, label in form.fields.age.choices %}<span class="lens-option"><input class="utrecht-radio-button utrecht-radio-button--html-input" type="radio" id="id_age_{{ forloop.counter0 }}" name="age" value="{{ value }}"{% if value == age %} checked{% endif %}> <label class="utrecht-form-label utrecht-form-label--radio" for="id_age_{{ forloop.counter0 }}">{{ label }}</label></span>{% endfor %}</div>
    </fieldset>
    {% for row in danger_rows %}
    {% include "check/includes/question.html" with modifier="lens-question--danger" %}
    {% endfor %}
    <p class="utrecht-form-field lens-question"><label class="utrecht-form-label lens-question__legend" for="id_region">{% translate "In which region does the person live?" %}</label>
      <span class="utrecht-form-field-description lens-question__help" id="id_region_help">{% translate "This shows you the right contacts. Not sure? Choose National / I don't know to see the national contacts." %}</span>
      <select class="utrecht-select utrecht-select--html-select lens-select" id="id_region" name="region" aria-describedby="id_region_help">{% for value, label in form.fields.region.choices %}<option value="{{ value }}"{% if value == selected_region %} selected{% endif %}>{{ label }}</option>{% endfor %}</select></p>
    {% endif %}

    {% if risk_factor_rows %}
    <details class="lens-details">
      <summary class="lens-details__summary">{% translate "Vulnerabilities (risk factors), optional" %}</summary>
      <fieldset class="utrecht-form-fieldset__fieldset utrecht-form-fieldset--html-fieldset lens-details__body" aria-describedby="risk-factors-help">
        <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend lens-question__legend">{% translate "Which risk factors apply? (optional)" %}</legend>
        <p class="utrecht-form-field-description lens-question__help" id="risk-factors-help">{% translate "Risk factors are not signals. They make someone more vulnerable to exploitation, but do not show that it is happening. Together with signals they add a little to the signal value; without signals, two or more of them are a reason to be extra alert." %}</p>
        <div class="lens-checkboxes">{% for rf in risk_factor_rows %}<span class="lens-option"><input class="utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom" type="checkbox" id="{{ rf.id }}" name="risk_factors" value="{{ rf.code }}"{% if rf.checked %} checked{% endif %}> <label class="utrecht-form-label utrecht-form-label--checkbox" for="{{ rf.id }}">{{ rf.label }}</label></span>{% endfor %}</div>
      </fieldset>
    </details>
    {% endif %}

    <p class="utrecht-button-group lens-actions">
      {% if step < step_count %}
      <button type="submit" name="go" value="next" class="utrecht-button utrecht-button--primary-action">{% translate "Next step" %}</button>
      {% else %}
      <button type="submit" formaction="{% url 'check:outcome' %}" class="utrecht-button utrecht-button--primary-action utrecht-button--submit">{% translate "Show the outcome" %}</button>
      {% endif %}
      {% if step > 1 %}<button type="submit" name="go" value="back" class="utrecht-button utrecht-button--secondary-action">{% translate "Previous step" %}</button>{% endif %}
      {% if step > 1 and step < step_count %}<button type="submit" formaction="{% url 'check:outcome' %}" class="utrecht-button utrecht-button--subtle">{% translate "Skip to the outcome" %}</button>{% endif %}
    </p>
  </form>
  <nav aria-labelledby="steps-title" class="lens-steps-nav">
    <h2 class="utrecht-heading-3" id="steps-title">{% translate "The steps" %}</h2>
    <ol class="utrecht-ordered-list">{% for s in steps %}<li class="utrecht-ordered-list__item"{% if s.number == step %} aria-current="step"{% endif %}>{{ s.label }}</li>{% endfor %}</ol>
  </nav>
</div>
{% if domain %}<script src="{% static 'check/search.js' %}" defer></script>{% endif %}
{% endblock %}
"""
