"""The outcome page's parts (issue 12 §5 "Fast"): what depends only on the versions, the
level, the region and the audience, rendered once per process for each (`rendered_once`,
`constant_parts`), and what depends on the answers, built in Python by lens.check.rendered
(`answered_parts`). The page (check/outcome.html) shows them as they are."""

from __future__ import annotations

from collections.abc import Callable

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from lens.data.kept import Kept
from lens.rules.model import Catalogue, Ruleset
from lens.web import presentation

from . import rendered
from .forms import ADULT, MINOR

# Where the answers go in a part rendered once for every outcome (outcome_actions.html).
_ANSWERS = mark_safe("\x00answers\x00")


def answered_parts(catalogue: Catalogue, context: dict) -> dict[str, str]:
    """The outcome page's blocks that depend on the answers, built in Python
    (lens.check.rendered: what their templates wrote, in less time): the answers as
    hidden inputs (in both forms at the foot of the page and in the language switch),
    the indicator table and "What am I not seeing yet?"."""
    hidden = rendered.hidden_inputs(context["hidden_answers"])
    parent = bool(context["is_parent"])
    if parent:
        none = _(
            "You know something about every part of life and every subject the check asks "
            "about. Others may still see more: talking with them still helps."
        )
    else:
        none = _(
            "You have information about every area of life and every indicator. Others may "
            "still see more: the outcome does not replace consulting them."
        )
    intro = _(
        "You have no information yet about these parts of the lens. Others may see what you "
        "cannot: ask them, or mention it when you consult someone."
    )
    # translated words as a template's {% translate %} gives them: not escaped again
    table = rendered.lens_table(
        context["lens"], mark_safe(_("Theme (indicator)")), catalogue.version
    )
    return {
        "why_shown": rendered.why(context | {"lens_table_shown": table}),
        "hidden_shown": hidden,
        "actions_shown": mark_safe(
            hidden.join(
                rendered_once(
                    "check/includes/outcome_actions.html", ("split",), {"hidden_shown": _ANSWERS}
                ).split(_ANSWERS)
            )
        ),
        "language_switch_shown": rendered.language_switch(context["other_languages"], hidden),
        "blind_spots_shown": rendered.blind_spots(
            context["blind_spots"],
            intro=mark_safe(intro),
            none=mark_safe(none),
            is_parent=parent,
            version=catalogue.version,
        ),
    }


# The route's step for minors (catalogue/steps.yaml): "Is the person under 18? Then follow
# the meldcode". The check asks the age, so it asks this only when the age is not known.
MINORS_STEP = "route_5"


def guidance_for_age(catalogue: Catalogue, language: str, parent: bool, age_route: str) -> dict:
    """The catalogue's guidance (lens.web.presentation.guidance) with the route that fits
    the age given (issue 12 §1): for a minor the meldcode step for minors without the
    question whether the person is under 18, for an adult without that step, and the
    question only when the age is not known."""
    shown = presentation.guidance(catalogue, language, parent=parent)
    route = []
    for step in shown["route"]:
        if step["code"] == MINORS_STEP and age_route == ADULT:
            continue
        if step["code"] == MINORS_STEP and age_route == MINOR:
            step = step | {
                "explanation": _(
                    "Go through the five steps of the reporting code for domestic violence "
                    "and child abuse."
                )
            }
        route.append(step)
    return shown | {"route": route}


# Parts of the outcome page as rendered, by template, page language and what they show
# (`rendered_once`): the same for every outcome with the same key.
RENDERED_KEPT = 256  # e.g. contacts: 5 levels x some 25 regions x 2 languages
_rendered: Kept[str] = Kept(RENDERED_KEPT)


def rendered_once(template: str, key: tuple, context: dict | Callable[[], dict]) -> str:
    """`template` rendered with `context` once per process for `key` and the active
    language (issue 12 §5: catalogue work built once per catalogue version, not per
    request). `key` must name everything the template reads from `context`: the
    catalogue or ruleset version (a version names its content) and the outcome's parts.
    `context` may be a function that makes it: then it is only made when needed."""
    full = (template, translation.get_language(), *key)
    shown = _rendered.get(full)
    if shown is None:
        shown = render_to_string(template, context() if callable(context) else context)
        _rendered.put(full, shown)
    return shown


def constant_parts(catalogue: Catalogue, ruleset: Ruleset, context: dict) -> dict[str, str]:
    """The outcome page's parts that depend on the versions, the level, the region and
    the audience only, rendered once for each of them: the level with the whole scale,
    whom to call (the level's and the region's contacts), and the route with "Good to
    know" (check/includes/good_to_know.html, with the catalogue's guidance), what can
    be done now (the level's steps, or a parent's) and the caveat."""
    parent = bool(context["is_parent"])
    result = context["result"]
    lang = presentation.page_language(translation.get_language() or "nl")
    level = (ruleset.version, result.level.number, parent)
    # the audience too: the opening's number is added to the contacts (answer.with_call)
    contacts = (catalogue.version, ruleset.version, result.level.number, result.region, parent)
    # a parent's steps and opening say "the young person" or "the person" (the age)
    young = bool(context.get("is_young", True))
    steps_now = (catalogue.version, ruleset.version, result.level.number, parent, young)
    if parent:
        note = _(
            "You do not have to be sure. If you are worried, talk about it: with the person "
            "themselves, with someone you trust, or with Veilig Thuis (this can be anonymous)."
        )
    else:
        note = _(
            "You do not have to be sure. If you are worried, talk to someone about it: a "
            "colleague, the designated officer in your organisation, or the care coordinator "
            "for human trafficking (this can be anonymous)."
        )
    parts = {
        "level_shown": rendered_once("includes/outcome/level.html", level, context),
        "contacts_shown": rendered_once("includes/outcome/contacts.html", contacts, context),
        "good_to_know": rendered_once(
            "check/includes/good_to_know.html",
            (catalogue.version, parent, context["age_route"]),
            lambda: context | guidance_for_age(catalogue, lang, parent, context["age_route"]),
        ),
        "now_steps_shown": rendered_once(
            "includes/outcome/steps.html", ("now", *steps_now), {"steps": context["now_steps"]}
        ),
        # translated words as a template's {% translate %} gives them: not escaped again
        "caveat_shown": rendered_once(
            "includes/outcome/caveat.html",
            (parent,),
            {"caveat": context["caveat"], "caveat_note": mark_safe(note)},
        ),
    }
    # the page's opening (what to do now, the level) and "What can you do now?", with
    # the parts above in them
    doubt = bool(context["danger_doubt"])
    opening = (*contacts, parent, context["is_minor"], young, doubt)
    parts["now_shown"] = rendered_once("check/includes/outcome_now.html", opening, context | parts)
    parts["next_shown"] = rendered_once(
        "check/includes/outcome_next.html", (*steps_now, result.region), context | parts
    )
    return parts
