"""The outcome in the asker's own words (issue 12 §3): one sentence of what to do now
with the one phone number that fits, then why in plain language (no rule codes, no
comparisons, no unexplained numbers), and the four leefgebieden as one small figure.

A parent gets what a parent can do: talk with the young person, call Veilig Thuis
(anonymously if they like), 112 in acute danger; never an organisation's meldcode. "The
young person" only when the chosen age says so (`young`); otherwise "the person".
"""

from __future__ import annotations

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lens.rules.engine import Outcome
from lens.rules.model import Catalogue, Contact
from lens.web.presentation import tel_href

EMERGENCY = {"label": "112", "phone": "112", "tel": "tel:112"}


def _phone(contact: Contact | None, language: str) -> dict | None:
    if contact is None or not contact.phone:
        return None
    return {
        "label": contact.label.get(language),
        "phone": contact.phone,
        "tel": tel_href(contact.phone),
    }


def _contact(catalogue: Catalogue, role: str, region: str = "") -> Contact | None:
    for contact in catalogue.contacts.values():
        if contact.role == role and contact.region == region and contact.phone:
            return contact
    return None


def advice_line(catalogue: Catalogue, region: str, language: str) -> dict | None:
    """For a professional: the region's care coordinator, else the national helpdesk
    that finds the right one."""
    return _phone(
        _contact(catalogue, "zorgcoordinator", region) if region else None, language
    ) or _phone(_contact(catalogue, "expert"), language)


def do_now(
    catalogue: Catalogue,
    result: Outcome,
    *,
    parent: bool,
    minor: bool,
    language: str,
    young: bool = True,
) -> dict:
    """The opening sentence and its one phone number."""
    level = result.level.number
    veilig_thuis = _phone(_contact(catalogue, "veilig_thuis"), language)
    if level >= 4:
        return {"text": _("There is acute danger: call 112 now."), "call": EMERGENCY}
    if parent and not young:
        texts = {
            3: _(
                "Your worries are serious. If it is safe, talk with the person, "
                "and call Veilig Thuis today for advice; you may stay anonymous."
            ),
            2: _(
                "Talk with the person about what you see, and ask Veilig Thuis "
                "for advice; you may stay anonymous."
            ),
            1: _(
                "Stay in touch with the person and watch for new signs. In "
                "doubt? Veilig Thuis gives advice, anonymously if you like."
            ),
            0: _(
                "You saw no signals. Do you still have a bad feeling? Veilig Thuis "
                "gives advice, anonymously if you like."
            ),
        }
        return {"text": texts[max(0, level)], "call": veilig_thuis}
    if parent:
        texts = {
            3: _(
                "Your worries are serious. If it is safe, talk with the young person, "
                "and call Veilig Thuis today for advice; you may stay anonymous."
            ),
            2: _(
                "Talk with the young person about what you see, and ask Veilig Thuis "
                "for advice; you may stay anonymous."
            ),
            1: _(
                "Stay in touch with the young person and watch for new signs. In "
                "doubt? Veilig Thuis gives advice, anonymously if you like."
            ),
            0: _(
                "You saw no signals. Do you still have a bad feeling? Veilig Thuis "
                "gives advice, anonymously if you like."
            ),
        }
        return {"text": texts[max(0, level)], "call": veilig_thuis}
    if level == 3:
        return {
            "text": _(
                "Discuss your concerns today with your organisation's designated "
                "officer, and ask Veilig Thuis for advice."
            ),
            "call": veilig_thuis,
        }
    texts = {
        2: _(
            "Consult a colleague or the designated officer this week, and call the care "
            "coordinator for human trafficking for advice (this can be anonymous)."
        ),
        1: _(
            "Write down what you see and stay alert. More signals, or still in doubt? "
            "Then consult a colleague or the care coordinator."
        ),
        0: _(
            "You saw no signals. Still a bad feeling? Talk about it with a colleague "
            "or call the care coordinator for advice."
        ),
    }
    text = texts[max(0, level)]
    if minor and level >= 1:
        text += " " + _(
            "With someone under 18, no coercion is needed for it to count as exploitation."
        )
    return {"text": text, "call": advice_line(catalogue, result.region, language)}


def check_only_unknown(catalogue: Catalogue, result: Outcome) -> list[str]:
    """The check-only questions (is there danger now?) answered "don't know": no blind
    spot that others could fill in, but a reason for safety guidance."""
    return [c for c in result.unknown if is_question(catalogue, c)]


def blind_unknown(catalogue: Catalogue, result: Outcome) -> list[str]:
    """The "don't know" answers others may know more about (not the check-only ones)."""
    only = set(check_only_unknown(catalogue, result))
    return [c for c in result.unknown if c not in only]


def _tel_link(contact: Contact | None) -> SafeString | str:
    if contact is None or not contact.phone:
        return ""
    return format_html(
        '<a class="utrecht-link utrecht-link--html-a utrecht-link--telephone" href="{}">{}</a>',
        tel_href(contact.phone),
        contact.phone,
    )


def danger_doubt(catalogue: Catalogue, result: Outcome) -> SafeString | str:
    """For "don't know" to "is there direct danger now?" (both audiences): whom to call
    when in doubt, with the numbers from the catalogue's contacts. Empty when the question
    was not answered so, or when the outcome already says 112 (level 4)."""
    if not check_only_unknown(catalogue, result) or result.level.number >= 4:
        return ""
    veilig_thuis = _tel_link(_contact(catalogue, "veilig_thuis"))
    police = _tel_link(_contact(catalogue, "police"))
    if not veilig_thuis or not police:  # a catalogue without them: 112 still holds
        return format_html(
            "{} {}",
            _("Not sure whether there is danger now?"),
            _("Call 112 in direct danger."),
        )
    # the sentence escaped, then the two links (built with format_html) put in
    sentence = escape(
        _(
            "Call 112 in direct danger; in doubt, call Veilig Thuis (%(veilig_thuis)s) or "
            "the police (%(police)s)."
        )
    ) % {"veilig_thuis": veilig_thuis, "police": police}
    return format_html("{} {}", _("Not sure whether there is danger now?"), mark_safe(sentence))


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


def is_question(catalogue: Catalogue, code: str) -> bool:
    """A check-only question (such as "is there direct danger now?"): answered in the
    check, never shown as a signal seen in an area of life."""
    return getattr(catalogue.signals.get(code), "check_only", False)


def seen_signals(catalogue: Catalogue, result: Outcome) -> list:
    """The signals answered yes: the engine's counted signals (a check-only question
    answered yes is never one: it is in result.questions)."""
    return list(result.signals)


def danger_now(catalogue: Catalogue, result: Outcome) -> bool:
    """Whether "is there direct danger now?" (an acute check-only question) was yes."""
    return any(q.acute for q in result.questions)


def why(catalogue: Catalogue, result: Outcome, *, parent: bool) -> list[str]:
    """Why this outcome, in plain sentences."""
    counted = seen_signals(catalogue, result)
    domains_total = len(catalogue.life_domains)
    domains_seen = len({d for s in counted for d in s.life_domains})
    lines = []
    numbers = {"count": len(counted), "domains": domains_seen, "total": domains_total}
    # "Your signals fall in", not "you saw N signals in M areas": one signal can belong to
    # more than one area, so M may be larger than N (outside probe, December 2026).
    if counted and parent:
        # A parent reads "leefgebieden" here first: said in plain words once.
        lines.append(
            ngettext(
                "Your %(count)d signal falls in %(domains)d of the %(total)d parts of "
                "someone's life (areas of life).",
                "Your %(count)d signals fall in %(domains)d of the %(total)d parts of "
                "someone's life (areas of life).",
                len(counted),
            )
            % numbers
        )
    elif counted:
        lines.append(
            ngettext(
                "Your %(count)d signal falls in %(domains)d of the %(total)d areas of life.",
                "Your %(count)d signals fall in %(domains)d of the %(total)d areas of life.",
                len(counted),
            )
            % numbers
        )
    if domains_seen > len(counted):
        lines.append(_("One signal can belong to more than one area of life."))
    if counted:
        if domains_seen >= 2:
            lines.append(
                _("Signals from different areas of life together weigh more than one signal alone.")
            )
        else:
            lines.append(
                _(
                    "Your signals fall in one area of life. Others may see what happens "
                    "in the other areas."
                )
            )
        strong = [
            s for s in counted if getattr(catalogue.signals.get(s.code), "strength", "") == "sterk"
        ]
        if strong:
            lines.append(
                _(
                    "Some of what you saw points to coercion or control by someone else; "
                    "such signals weigh more."
                )
            )
        if any(s.acute for s in counted):
            lines.append(_("You saw a sign of acute danger: that always comes first."))
    else:
        lines.append(_("You did not answer yes to any signal."))
        if parent:
            lines.append(
                _("The check looks at %(total)d parts of someone's life (areas of life).") % numbers
            )
    if danger_now(catalogue, result):
        lines.insert(
            0,
            _(
                "You answered that there is direct danger now: call 112 first. That answer "
                "is not a signal and is not counted among your signals."
            ),
        )
    if result.risk_factors:
        if counted:
            lines.append(
                _(
                    "The vulnerabilities you ticked make a picture with signals count a "
                    "little more; on their own they are no signals."
                )
            )
        else:
            lines.append(
                _(
                    "Vulnerabilities on their own are no signals, but they are a reason "
                    "to stay alert."
                )
            )
    unknown = blind_unknown(catalogue, result)
    if unknown:
        lines.append(
            ngettext(
                "For %(count)d signal you answered don't know: others may know more.",
                "For %(count)d signals you answered don't know: others may know more.",
                len(unknown),
            )
            % {"count": len(unknown)}
        )
    return lines


def figure(catalogue: Catalogue, result: Outcome, language: str) -> list[dict]:
    """The four leefgebieden as one small figure: per leefgebied the number of signals
    seen, or whether it is a blind spot ("unknown" or "no_information")."""
    blind = {b.code: b.status for b in result.blind_spots if b.kind == "life_domain"}
    seen = seen_signals(catalogue, result)
    domains = sorted(catalogue.life_domains.values(), key=lambda d: (d.order, d.code))
    return [
        {
            "label": d.label.get(language),
            "count": sum(1 for s in seen if d.code in s.life_domains),
            "status": blind.get(d.code, "seen"),
        }
        for d in domains
    ]
