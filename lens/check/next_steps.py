"""What a professional or a parent can do now, as steps (the outcome page's "What can
you do now?" and its PDF summary): a parent never gets an organisation's meldcode."""

from __future__ import annotations

from django.utils.translation import gettext as _


def parent_steps(young: bool = True) -> list[dict]:
    """What a parent or carer can do, as steps: never an organisation's meldcode. With
    `young` false (an older person, or the age not known) without "the young person"."""
    if not young:
        return [
            {
                "label": _("Talk with the person"),
                "explanation": _(
                    "Ask how things are, listen without judging and do not push. Say that "
                    "you are worried because you care about them."
                ),
            },
            {
                "label": _("Ask for advice"),
                "explanation": _(
                    "Call Veilig Thuis (0800-2000, free, day and night) or the care "
                    "coordinator for human trafficking in your region. You do not have to "
                    "give names."
                ),
            },
            {
                "label": _("In acute danger, call 112"),
                "explanation": _("For example when the person is threatened, hurt or missing."),
            },
        ]
    return [
        {
            "label": _("Talk with the young person"),
            "explanation": _(
                "Ask how things are, listen without judging and do not push. Say that you "
                "are worried because you care."
            ),
        },
        {
            "label": _("Ask for advice"),
            "explanation": _(
                "Call Veilig Thuis (0800-2000, free, day and night) or the care coordinator "
                "for human trafficking in your region. You do not have to give names."
            ),
        },
        {
            "label": _("In acute danger, call 112"),
            "explanation": _("For example when the young person is threatened, hurt or missing."),
        },
    ]


def next_steps(
    professional_steps: list[dict], *, parent: bool, acute: bool = False, young: bool = True
) -> list[dict]:
    """The steps under "What can you do now?" for the chosen audience: the one selection
    the outcome page and its PDF summary share. A parent gets parent_steps(), with 112
    first when the outcome is acute (level 4); a professional the meldcode steps of the
    level (none at level 0)."""
    if not parent:
        return list(professional_steps)
    steps = parent_steps(young)
    return [steps[-1], *steps[:-1]] if acute else steps
