"""The check's heavy blocks are built in Python (lens.check.rendered, issue 12 §5): each
writes what its template writes, byte for byte, in Dutch and English, for the audiences,
for answer sets across the levels and with text that must be escaped. The templates stay
the reference (the registry's person page still draws the outcome's with them)."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from lens.check import rendered, steps
from lens.check.forms import CheckForm, answer_choices, signal_field_name
from lens.check.views import assess_answers
from lens.web import presentation

from . import old_templates
from .conftest import soft_signals

LANGUAGES = ("nl", "en")


def answer_sets(catalogue) -> dict[str, dict]:
    """Answers at every level, with don't-knows, risk factors and a region."""
    soft = soft_signals(catalogue)
    strong = [s for s in catalogue.signals.values() if s.strength == "sterk" and not s.acute]
    acute = next(s for s in catalogue.signals.values() if s.acute and not s.check_only)
    spread = list({s.life_domains[0]: s for s in soft}.values())
    yes = {
        "nothing": [],
        "one soft signal": soft[:1],
        "three areas of life": spread[:3],
        "every area": spread,
        "strong signals": strong[:3] + soft[:4],
        "acute": [acute],
    }
    region = sorted(catalogue.regions)[0]
    result = {}
    for name, signals in yes.items():
        data = {signal_field_name(s.code): "yes" for s in signals}
        data[signal_field_name(soft[-1].code)] = "unknown"
        data[signal_field_name(soft[-2].code)] = "no"
        for audience in ("parent", "professional"):
            base = data | {"audience": audience, "age": "16_17"}
            if audience == "professional":
                base["organisation_type"] = "school"
            result[f"{name}, {audience}"] = base
            result[f"{name}, {audience}, region and risk factors"] = base | {
                "region": region,
                "risk_factors": list(catalogue.risk_factors)[:2],
            }
    return result


def outcomes(catalogue, ruleset, lang):
    for name, data in answer_sets(catalogue).items():
        form, result = assess_answers(data, catalogue, ruleset, lang)
        assert result is not None, (name, form.errors)
        yield name, form, result


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_indicator_table_as_its_template(catalogue, ruleset, lang):
    with translation.override(lang):
        for name, _form, result in outcomes(catalogue, ruleset, lang):
            lens = presentation.lens_picture(catalogue, ruleset, result, lang)
            for heading in ("", "Theme <(indicator)> & 'more'"):
                context = {"lens": lens, "indicator_heading": heading}
                expected = render_to_string("includes/outcome/lens_table.html", context)
                built = rendered.lens_table(lens, heading, catalogue.version)
                assert built == expected, (name, heading)


def escaped_spots() -> dict[str, list]:
    """Blind spots whose texts need escaping, with and without who may see them."""
    return {
        "life_domain": [
            {"label": "Wonen <&> 'geld'", "status": "unknown", "unknown_signals": ["a<b", "c&d"],
             "seen_by": ['School "x"', "GP"]},
            {"label": "Gezondheid", "status": "no_information", "unknown_signals": [],
             "seen_by": []},
        ],
        "indicator": [
            {"label": "Geld & <b>", "status": "no_information", "unknown_signals": [],
             "seen_by": ["Wijkteam <1>"]},
        ],
    }  # fmt: skip


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_blind_spots_as_their_template(catalogue, ruleset, lang):
    with translation.override(lang):
        shown = [
            (name, presentation.blind_spots(catalogue, result, lang), form.is_parent())
            for name, form, result in outcomes(catalogue, ruleset, lang)
        ]
        shown.append(("escaped", escaped_spots(), True))
        shown.append(("escaped", escaped_spots(), False))
        one = escaped_spots()
        shown.append(("only indicators", {"life_domain": [], "indicator": one["indicator"]}, True))
        shown.append(("only areas", {"life_domain": one["life_domain"], "indicator": []}, True))
        shown.append(("none", {"life_domain": [], "indicator": []}, False))
        assert {bool(b["life_domain"]) for _n, b, _p in shown} == {True, False}
        for name, blind, parent in shown:
            context = {
                "blind_spots": blind,
                "blind_intro": "Intro <1> & 'twee'",
                "blind_none": "Niets <meer>",
                "is_parent": parent,
                "fold_indicators": True,
            }
            expected = render_to_string("includes/outcome/blind_spots.html", context)
            built = rendered.blind_spots(
                blind,
                intro=context["blind_intro"],
                none=context["blind_none"],
                is_parent=parent,
                version=catalogue.version,
            )
            assert built == expected, (name, parent)
            # again: now from the parts kept from the first time
            assert (
                rendered.blind_spots(
                    blind,
                    intro=context["blind_intro"],
                    none=context["blind_none"],
                    is_parent=parent,
                    version=catalogue.version,
                )
                == expected
            ), (name, parent)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_answers_posted_again_as_their_templates(lang):
    pairs = [("signal_a", "yes"), ("region", "x<y & 'z'"), ("step", 3), ('o"dd', '"')]
    other = [{"code": "en", "name": "English", "url": "/en/outcome/"}]
    with translation.override(lang):
        hidden = rendered.hidden_inputs(pairs)
        assert hidden == render_to_string(
            "check/includes/hidden_answers.html", {"hidden_answers": pairs}
        )
        expected = render_to_string(
            "check/includes/language_switch_post.html",
            {"hidden_answers": pairs, "other_languages": other},
        )
        assert rendered.language_switch(other, hidden) == expected
        assert rendered.language_switch(other, hidden) == expected  # kept parts
        assert rendered.hidden_inputs([]) == "\n"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_steps_questions_as_their_template(catalogue, lang):
    choices = list(answer_choices())
    with translation.override(lang):
        for data in answer_sets(catalogue).values():
            posted = QueryDict(mutable=True)
            for key, value in (data | {"signal_zzz": "x"}).items():
                posted.setlist(key, value if isinstance(value, list) else [value])
            form = CheckForm(posted, catalogue=catalogue, language=lang)
            form.is_valid()
            for step in range(steps.ABOUT, steps.step_count(catalogue) + 1):
                context = steps.step_context(form, step)
                rows = [*context.get("rows", []), *context.get("more_rows", [])]
                danger = context.get("danger_rows", [])
                for row, modifier in [(r, "") for r in rows] + [
                    (r, "lens-question--danger") for r in danger
                ]:
                    expected = render_to_string(
                        "check/includes/question.html", {"row": row, "modifier": modifier}
                    )
                    assert rendered.question(row, modifier, catalogue.version) == expected
        # a row with an error, and a label that needs escaping
        row = steps._row(form, next(iter(catalogue.signals.values())), {}, choices)
        for errors in ([], ["Kies <een> antwoord & meer"]):
            odd = row | {"label": "A <b> & 'c'", "help": 'd "e"', "errors": errors}
            expected = render_to_string(
                "check/includes/question.html", {"row": odd, "modifier": ""}
            )
            assert rendered.question(odd, "", "escaped-" + lang) == expected


URLS = {"nl": ("/uitkomst/", "/signalen/"), "en": ("/en/outcome/", "/en/signals/")}


def as_before(response, source: str, **old) -> str:
    """The page `response` drew, drawn again by the template as it was (old_templates),
    with the context the view gave it and `old`: what the old view added."""
    # the context of the page's own template (parts rendered before it have their own)
    names = [t.name for t in response.templates]
    page = names.index("check/outcome.html" if "check/outcome.html" in names else "check/form.html")
    context = response.context[page].flatten()
    context |= {key: make(context) for key, make in old.items()}
    return engines["django"].from_string(source).render(context, response.wsgi_request)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_outcome_page_is_the_page_it_was(client, catalogue, lang):
    """The whole outcome page, for answer sets at every level and both audiences, byte for
    byte as the old template drew it (the answers posted again as its include did)."""
    for name, data in answer_sets(catalogue).items():
        response = client.post(URLS[lang][0], data)
        assert response.status_code == 200, name
        with translation.override(lang):
            before = as_before(
                response,
                old_templates.OUTCOME,
                hidden_shown=lambda c: render_to_string("check/includes/hidden_answers.html", c),
            )
        assert response.content.decode() == before, name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_posted_step_is_the_page_it_was(client, catalogue, lang):
    """Every step of the form, posted with answers (the language switch posts them again),
    byte for byte as the old template drew it."""
    count = steps.step_count(catalogue)
    for name, data in list(answer_sets(catalogue).items())[::3]:
        for step in range(steps.ABOUT, count + 1):
            posted = data | {"step": str(step)}
            response = client.post(URLS[lang][1], posted)
            assert response.status_code == 200, (name, step)
            with translation.override(lang):
                before = as_before(response, old_templates.FORM)
            assert response.content.decode() == before, (name, step)


def test_the_answers_are_cleaned_as_django_cleans_them(catalogue):
    """CheckForm takes a valid answer as it is, without Django's bound field per field:
    the cleaned answers and the errors are Django's own (forms.Form._clean_fields), for
    valid, missing, empty and odd values."""
    codes = list(catalogue.signals)
    odd = ["yes", "no", "unknown", "", "YES", "maybe", "<b>", "yes "]
    for offset in range(len(odd)):
        posted = QueryDict(mutable=True)
        for i, code in enumerate(codes):
            if i % 5:  # every fifth not posted at all
                posted[signal_field_name(code)] = odd[(i + offset) % len(odd)]
        posted |= {"audience": "parent", "age": "x" if offset % 2 else "16_17"}
        fast = CheckForm(posted, catalogue=catalogue, language="nl")
        django = CheckForm(posted, catalogue=catalogue, language="nl")
        django._clean_fields = super(CheckForm, django)._clean_fields
        assert fast.is_valid() == django.is_valid()
        assert fast.cleaned_data == django.cleaned_data
        assert list(fast.cleaned_data) == list(django.cleaned_data)
        assert fast.errors.get_json_data() == django.errors.get_json_data()
        assert fast.errors, offset  # odd values among them: errors to compare


FRAME = {
    "base.html",
    "check/base.html",
    "accounts/_active_membership.html",
    "includes/outcome/acute.html",
    "check/includes/errors.html",
    "includes/error_summary.html",
}


def test_warm_pages_draw_no_template_per_row(client, catalogue):
    """Once warm (the parts made once per process made), the outcome page and a posted step
    render their page and its frame only: no template per question, blind spot, table or
    posted answer (issue 12 §5: some 300 includes per form page, a dozen per outcome)."""
    data = answer_sets(catalogue)["strong signals, professional, region and risk factors"]
    last = str(steps.step_count(catalogue))  # with the risk factors
    for url, posted, page in (
        (URLS["nl"][0], data, "check/outcome.html"),
        (URLS["en"][1], data | {"step": last}, "check/form.html"),
    ):
        client.post(url, posted)
        drawn = {t.name for t in client.post(url, posted).templates}
        assert drawn - FRAME == {page}, (url, drawn - FRAME)
