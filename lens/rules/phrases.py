"""The sentences of an outcome's explanation (lens.rules.report), per language and per
reader (a professional; a parent or carer in the check)."""

from __future__ import annotations

# Sentence templates of the explanation, per language. Pure Python has no gettext; these
# few sentences are kept here so the CLI, the API and the web say exactly the same thing.
PHRASES: dict[str, dict[str, str]] = {
    "nl": {
        "no_signals": "Er zijn geen signalen ingevuld.",
        "counted": "{signals} geteld, samen een signaalwaarde van {total}.",
        "rule": "Niveau {level} omdat regel '{rule}' geldt: {conditions}.",
        # soft signals of one theme in one leefgebied, counted for the theme cap (engine)
        "repeated": (
            "{signals} gaan over hetzelfde ({indicator}, in {life_domain}). Samen tellen ze "
            "voor {counted}, niet voor {value}: signalen uit verschillende leefgebieden "
            "wegen zwaarder dan signalen die op één plek terugkomen."
        ),
        "no_rule": "Geen enkele regel voor een hoger niveau geldt.",
        # the answer to the check's "Is er nu direct gevaar?" (check_only): not a signal
        "danger_now": (
            "Er is nu direct gevaar (zo is de vraag beantwoord): bel eerst 112. Dat antwoord "
            "is geen signaal en telt niet mee in het aantal signalen, de signaalwaarde of de "
            "leefgebieden; het geeft altijd niveau 4."
        ),
        # the start of risk_raised and risk_bonus; risk_ticked_one for exactly one factor
        # where the sentence's verb differs (PARENT_PHRASES)
        "risk_ticked": "Bonus voor {risk_factors}: {bonus} extra signaalwaarde",
        "risk_raised": (
            "{ticked}, samen {total}; daardoor is het niveau {level} in plaats van "
            "{without}. Risicofactoren alleen geven nooit een hoger niveau. Maar als er ook "
            "signalen zijn, tellen ze mee: wie kwetsbaar "
            "is, is makkelijker uit te buiten."
        ),
        "risk_bonus": "{ticked}, samen {total}; het niveau verandert daardoor niet.",
        "risk_alert": "{risk_factors} zonder signalen: wees extra alert (hoogstens niveau 1).",
        "risk_none": "Er zijn geen risicofactoren ingevuld.",
        "old": (
            "Ouder dan {days} dagen: {signals}. Die tellen mee voor {factor} van hun gewicht "
            "en staan apart."
        ),
        "corroborated": "Door meer dan één soort organisatie gezien: {signals}.",
        "next": "Voor niveau {level} ontbreekt nog: {missing}.",
        # a rule's minimum in words, never as a sign (">=" means nothing to most readers)
        "condition": "{metric} {found} (nodig: {needed} of meer)",
        "missing": "{metric} {needed} of meer (nu {found})",
        "caveat": (
            "Dit is signaleringsondersteuning, geen oordeel: de uitkomst zegt niet of iemand "
            "slachtoffer is. Een lage uitkomst betekent niet dat er geen uitbuiting is."
        ),
        "metric.signals": "aantal signalen",
        "metric.total": "signaalwaarde",
        "metric.life_domains": "leefgebieden met signalen",
        "metric.indicators": "indicatoren met signalen",
        "metric.strong": "sterke signalen",
        # acute signals and the answer "there is direct danger now" (not a signal)
        "metric.acute": "tekenen van acuut gevaar",
        "metric.risk_factors": "risicofactoren",
    },
    "en": {
        "no_signals": "No signals were entered.",
        "counted": "{signals} counted, together a signal value of {total}.",
        "rule": "Level {level} because rule '{rule}' holds: {conditions}.",
        "repeated": (
            "{signals} are about the same thing ({indicator}, in {life_domain}). Together "
            "they count for {counted}, not {value}: signals from different life domains "
            "weigh more than signals that come back in one place."
        ),
        "no_rule": "No rule for a higher level holds.",
        "danger_now": (
            "There is direct danger now (as the question was answered): call 112 first. That "
            "answer is not a signal and does not count in the number of signals, the signal "
            "value or the life domains; it always gives level 4."
        ),
        "risk_ticked": "Bonus for {risk_factors}: {bonus} added to the signal value",
        "risk_raised": (
            "{ticked}, together {total}; this makes the level {level} instead of "
            "{without}. Risk factors alone never raise the level. But when there are signals too, "
            "they count: someone "
            "vulnerable is easier to exploit."
        ),
        "risk_bonus": "{ticked}, together {total}; the level does not change.",
        "risk_alert": "{risk_factors} without signals: be extra alert (level 1 at most).",
        "risk_none": "No risk factors were entered.",
        "old": (
            "Older than {days} days: {signals}. They count for {factor} of their weight and "
            "are shown apart."
        ),
        "corroborated": "Seen by more than one kind of organisation: {signals}.",
        "next": "Level {level} would still need: {missing}.",
        "condition": "{metric} {found} (needed: {needed} or more)",
        "missing": "{metric} {needed} or more (now {found})",
        "caveat": (
            "This is signalling support, not a verdict: the outcome does not say whether "
            "anyone is a victim. A low outcome does not mean there is no exploitation."
        ),
        "metric.signals": "number of signals",
        "metric.total": "signal value",
        "metric.life_domains": "life domains with signals",
        "metric.indicators": "indicators with signals",
        "metric.strong": "strong signals",
        "metric.acute": "signs of acute danger",
        "metric.risk_factors": "risk factors",
    },
}


# The sentences for a parent or carer (the check's parent path) where theirs differ: what
# they ticked and saw, no "rules" that "hold", no "bonus"; the rule itself in the words of
# the ruleset's `parent_description`. Missing keys fall back to PHRASES.
PARENT_PHRASES: dict[str, dict[str, str]] = {
    "nl": {
        "no_signals": "U heeft geen signalen aangevinkt.",
        "rule": "{rule}, dus niveau {level}: {conditions}.",
        "no_rule": "Niets wat u invulde, maakt het niveau hoger.",
        "danger_now": (
            "U gaf aan dat er nu direct gevaar is: bel eerst 112. Dat antwoord is geen "
            "signaal en telt niet mee in het aantal signalen, de signaalwaarde of de "
            "leefgebieden; het geeft altijd niveau 4."
        ),
        "risk_ticked": "De {risk_factors} die u aankruiste, tellen samen {bonus} mee",
        "risk_ticked_one": "De risicofactor die u aankruiste, telt {bonus} mee",
        "risk_raised": (
            "{ticked}; de signaalwaarde is nu {total}. Daardoor is het niveau {level} "
            "in plaats van {without}. Alleen geven risicofactoren nooit een hoger niveau. Maar als "
            "er ook signalen zijn, "
            "tellen ze mee: wie kwetsbaar is, is makkelijker uit te buiten."
        ),
        "risk_bonus": (
            "{ticked}; de signaalwaarde is nu {total}. Het niveau verandert daardoor niet."
        ),
        "risk_alert": (
            "U kruiste {risk_factors} aan, maar geen signalen: let extra goed op (dit geeft "
            "hoogstens niveau 1)."
        ),
        "risk_none": "U heeft geen risicofactoren aangekruist.",
        "next": "Niveau {level} wordt het bij: {missing}.",
        "metric.indicators": "thema's met signalen",
    },
    "en": {
        "no_signals": "You ticked no signals.",
        "rule": "{rule}, so level {level}: {conditions}.",
        "no_rule": "Nothing you filled in raises the level.",
        "danger_now": (
            "You said there is direct danger now: call 112 first. That answer is not a signal "
            "and does not count in the number of signals, the signal value or the areas of "
            "life; it always gives level 4."
        ),
        "risk_ticked": "The {risk_factors} you ticked add {bonus}",
        "risk_ticked_one": "The risk factor you ticked adds {bonus}",
        "risk_raised": (
            "{ticked}; the signal value is now {total}. This makes the level {level} "
            "instead of {without}. On their own, risk factors never raise the level. But when "
            "there are signals too, they count: "
            "someone vulnerable is easier to exploit."
        ),
        "risk_bonus": ("{ticked}; the signal value is now {total}. The level does not change."),
        "risk_alert": (
            "You ticked {risk_factors} but no signals: watch extra carefully (this gives "
            "level 1 at most)."
        ),
        "risk_none": "You ticked no risk factors.",
        "next": "The level would become {level} with: {missing}.",
        "metric.life_domains": "areas of life with signals",
        "metric.indicators": "themes with signals",
    },
}
