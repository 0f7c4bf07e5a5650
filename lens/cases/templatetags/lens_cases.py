"""The person page's case box ({% include "cases/includes/person_case.html" %}): the
open case of the person in the own organisation, or the proposal to open one when the
organisation's OWN outcome reaches level 2 (`propose_case`; never the combined outcome).
The view read the open case once (`selectors.open_case_of`, one query) for this box and
the referral button; the page read the person through the policy already (logged)."""

from __future__ import annotations

from django import template

from lens.cases import selectors, texts
from lens.casework.workflow import acute_advised, propose_case

register = template.Library()


@register.inclusion_tag("cases/includes/case_box.html", takes_context=True)
def case_on_person_page(context, person, stored=None) -> dict:
    # The person page's view passes `open_case` (read once); elsewhere it is read here.
    case = context["open_case"] if "open_case" in context else selectors.open_case_of(person)
    level = stored.level if stored is not None else 0
    return {
        "person": person,
        "case": case,
        "state_label": texts.label(texts.STATES, case.state) if case else "",
        "next_action_label": texts.label(texts.NEXT_ACTIONS, case.next_action) if case else "",
        "overdue": selectors.is_overdue(case.next_due) if case else False,
        "propose": propose_case(level, case is not None),
        "acute": acute_advised(level, selectors.acute_signal(stored)),
    }
