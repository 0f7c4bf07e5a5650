"""The outcome in the asker's own words (issue 12 §3): one sentence of what to do now
with the one phone number that fits, then why in plain language (no rule codes, no
comparisons, no unexplained numbers), and the four leefgebieden as one small figure.

A parent gets what a parent can do: talk with the young person, call Veilig Thuis
(anonymously if they like), 112 in acute danger; never an organisation's meldcode. "The
young person" only when the chosen age says so (`young`); otherwise "the person".
"""

from __future__ import annotations

from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lens.rules.engine import Outcome
from lens.rules.model import Catalogue, Contact
from lens.web import presentation
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


def advice_contact(catalogue: Catalogue, region: str) -> Contact | None:
    """For a professional: the region's care coordinator, else the national helpdesk
    that finds the right one."""
    regional = _contact(catalogue, "zorgcoordinator", region) if region else None
    return regional or _contact(catalogue, "expert")


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
    advice = advice_contact(catalogue, result.region)
    if advice is not None and advice.role != "zorgcoordinator":
        # no care coordinator for the region (none chosen, or none known): the sentence
        # names the helpdesk whose number it gives, which finds the coordinator
        texts = _helpdesk_texts(advice.label.get(language))
    else:
        texts = {
            2: _(
                "Consult a colleague or the designated officer this week, and call the "
                "care coordinator for human trafficking for advice (this can be anonymous)."
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
    return {"text": text, "call": _phone(advice, language)}


def _helpdesk_texts(helpdesk: str) -> dict[int, str]:
    """A professional's opening at levels 0 to 2 when the number given is the national
    helpdesk's (`helpdesk`, its name), not a care coordinator's."""
    names = {"helpdesk": helpdesk}
    return {
        2: _(
            "Consult a colleague or the designated officer this week, and call the "
            "%(helpdesk)s for advice: it helps you find the care coordinator for human "
            "trafficking in your region (this can be anonymous)."
        )
        % names,
        1: _(
            "Write down what you see and stay alert. More signals, or still in doubt? Then "
            "consult a colleague, or call the %(helpdesk)s: it helps you find the care "
            "coordinator in your region."
        )
        % names,
        0: _(
            "You saw no signals. Still a bad feeling? Talk about it with a colleague or "
            "call the %(helpdesk)s: it helps you find the care coordinator in your region."
        )
        % names,
    }


def with_call(contacts: list[dict], call: dict | None, catalogue: Catalogue, language: str):
    """`contacts` ("Whom can you call?") with the contact whose number the opening
    sentence gives, when it is not among them yet (not 112: the list always starts with
    it), so that the sentence's number is always in the list."""
    if call is None or call["phone"] == EMERGENCY["phone"]:
        return contacts
    if any(c.get("phone") == call["phone"] for c in contacts):
        return contacts
    found = [c for c in catalogue.contacts.values() if c.phone == call["phone"]]
    return [*contacts, presentation.contact(found[0], language)] if found else contacts


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


def risk_factor_labels(
    catalogue: Catalogue, result: Outcome, language: str, from_age: str = ""
) -> list[str]:
    """The outcome's risk factors by label; the one the age answer gave (`from_age`)
    says so: "Jonge leeftijd (uit de leeftijd die u gaf)"."""
    labels = []
    for code in result.risk_factors:
        if code not in catalogue.risk_factors:
            continue
        label = catalogue.risk_factors[code].label.get(language)
        if code == from_age:
            label = _("%(risk_factor)s (from the age you gave)") % {"risk_factor": label}
        labels.append(label)
    return labels


def why(catalogue: Catalogue, result: Outcome, *, parent: bool, from_age: str = "") -> list[str]:
    """Why this outcome, in plain sentences. `from_age`: the risk factor the age answer
    gave (not ticked), if any."""
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
    ticked = [c for c in result.risk_factors if c != from_age]
    if from_age in result.risk_factors and from_age in catalogue.risk_factors:
        label = catalogue.risk_factors[from_age].label
        language = presentation.page_language(translation.get_language() or "nl")
        lines.append(
            _("The age you gave counts as the vulnerability “%(risk_factor)s”.")
            % {"risk_factor": label.get(language).lower()}
        )
    if result.risk_factors:
        if counted and not ticked:
            lines.append(
                _(
                    "It makes a picture with signals count a little more; on its own it is "
                    "no signal."
                )
            )
        elif counted:
            lines.append(
                _(
                    "The vulnerabilities you ticked make a picture with signals count a "
                    "little more; on their own they are no signals."
                )
            )
        elif not ticked:
            lines.append(_("On its own it is no signal, but it is a reason to stay alert."))
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
