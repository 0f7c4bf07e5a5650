"""The casework's codes in words (lens.casework keeps codes only): transitions, states,
next actions, the fixed code lists and the workflow's refusals, through gettext."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TRANSITIONS = {
    "open": _("Open the case"),
    "map_signals": _("Map the signals"),
    "consult": _("Consult"),
    "refer": _("Refer to the care coordinator"),
    "referral_answered": _("The care coordinator answered"),
    "converse": _("Talk with the person"),
    "weigh": _("Weigh (afwegingskader)"),
    "organise_help": _("Organise help"),
    "review_help": _("Review the help"),
    "report": _("Report to Veilig Thuis"),
    "acute": _("112 called / police engaged"),
    "close": _("Close the case"),
    "reopen": _("Reopen the case"),
}

STATES = {
    "new": _("New"),
    "opened": _("Opened"),
    "signals_mapped": _("Signals mapped"),
    "consulted": _("Consulted"),
    "conversation": _("Conversation held"),
    "weighed": _("Weighed"),
    "following_help": _("Following the help"),
    "reported": _("Reported to Veilig Thuis"),
    "acute": _("Acute danger"),
    "closed": _("Closed"),
}

# The next action is always a transition the case's state allows
# (lens.casework.workflow.next_step); some read better as a task than as the step's name.
NEXT_ACTIONS = {
    "map_signals": _("Map the signals"),
    "consult": _("Consult"),
    "converse": _("Talk with the person"),
    # The zorgcoördinator records the answer; the professional waits, or calls them (the
    # case page gives the number: lens.cases.views.case).
    "referral_answered": _("Wait for the care coordinator's answer"),
    "weigh": _("Weigh"),
    "review_help": _("Review the help"),
    "report": _("Report to Veilig Thuis"),
    "organise_help": _("Organise help"),
    "close": _("Close the case"),
    "acute": _("112 called / police engaged"),
    "refer": _("Refer to the care coordinator"),
}

CHOICES = {
    "trigger": {
        "by_hand": _("Opened by hand"),
        "proposed": _("Proposed by the organisation's outcome"),
        "acute_danger": _("Opened for acute danger"),
    },
    "role": {
        "colleague": _("A colleague"),
        "aandachtsfunctionaris": _("The designated officer"),
        "zorgcoordinator": _("The care coordinator for human trafficking"),
        "veilig_thuis": _("Veilig Thuis"),
        "police_avim": _("The police (AVIM)"),
        "other_expert": _("Another expert"),
    },
    "held_with": {
        "person": _("The person"),
        "parents": _("The parents"),
        "person_and_parents": _("The person and the parents"),
    },
    "not_held_reason": {
        "unsafe": _("Not held: not safe"),
        "not_reachable": _("Not held: not reachable"),
        "refused": _("Not held: refused"),
    },
    "referral_answer": {
        "taken_up": _("Taken up by the care coordinator"),
        "advice_given": _("Advice given"),
        "handed_to_veilig_thuis": _("Handed to Veilig Thuis"),
    },
    "emergency": {"called_112": _("112 called"), "police_engaged": _("Police engaged")},
    "report_grounds": {
        "acute_or_structural_unsafety": _("Acute or structural unsafety"),
        "no_effective_help": _("No effective help possible"),
        "help_not_accepted": _("Help not accepted"),
        "no_lasting_safety": _("No lasting safety"),
        "acute_danger": _("Acute danger"),
        "own_judgement": _("Own professional judgement"),
    },
    "close_reason": {
        "help_organised": _("Help organised"),
        "reported_to_veilig_thuis": _("Reported to Veilig Thuis"),
        "taken_over_by_zorgcoordinator": _("Taken over by the care coordinator"),
        "concern_not_confirmed": _("Concern not confirmed"),
        "moved_away": _("Moved away"),
    },
    "reopen_reason": {
        "new_signals": _("New signals"),
        "new_information": _("New information"),
        "closed_in_error": _("Closed in error"),
    },
}

# The afwegingskader's five questions (lens.casework.weighing.QUESTIONS), paraphrased
# from the basismodel meldcode (sources in docs/design/casework.md).
QUESTIONS = {
    "suspicion": _("1. After steps 1 to 4, is there a suspicion of exploitation?"),
    "unsafety": _("2. Is there acute or structural unsafety?"),
    "can_help": _("3. Can I give or organise effective help myself?"),
    "accepted": _("4. Do the people involved accept that help?"),
    "lasting": _("5. Does the help lead to lasting safety in time?"),
}

DECISIONS = {
    "not_confirmed": _("Concern not confirmed: close the case"),
    "organise_help": _("Organise help and follow it"),
    "report": _("Report to Veilig Thuis"),
    "report_and_help": _("Report to Veilig Thuis and organise help with them"),
}

# Why a close reason does not fit the case (lens.casework.closing, `why_not`).
WHY_NOT = {
    "no_help_organised": _("No help was organised in this case."),
    "not_reported": _(
        "Veilig Thuis does not have this case: it was not reported, and the care "
        "coordinator did not hand it over."
    ),
    "not_taken_up": _("The care coordinator has not taken up a referral of this case."),
    "acute_danger_first": _(
        "Your organisation's outcome shows acute danger and this case records no 112 call "
        "or police involvement and no weighing: take one of those steps first."
    ),
}

# The workflow's refusals (lens.casework.workflow.Problem codes).
PROBLEMS = {
    "required": _("This field is required."),
    "says_nothing": _(
        "This text shows nothing: it holds only invisible characters. Write it in words."
    ),
    "invisible_characters": _(
        "Remove the invisible characters that turn text around or hide it (such as a "
        "right-to-left override); line breaks are fine."
    ),
    "too_long": _(
        "This text is too long: shorten it (4000 characters for a text, 200 for a name)."
    ),
    "in_future": _("This date lies in the future."),
    "before_1900": _("This date lies before 1900: check the year."),
    "before_birth": _("This date lies before the person's year of birth: check the year."),
    "before_case": _("This date lies more than a year before the case was opened: check the date."),
    "not_for_this_transition": _("This does not belong to this step."),
    "unknown_choice": _("Choose one of the options."),
    "unknown_transition": _("This step does not exist."),
    "not_allowed_in_state": _("This step is not possible in the case's current state."),
    "taken_meanwhile": _(
        "Someone recorded a step on this case at the same moment, so this one was not "
        "recorded. Look at the case and take your step again if it is still needed."
    ),
    "organisation_required": _("Name the organisation consulted."),
    "anonymous_records_organisation_only": _(
        "An anonymous consultation records the organisation only, not whom you spoke to."
    ),
    "held_with_or_reason_not_held": _(
        "Say with whom the conversation was held, or why it was not held (one of the two)."
    ),
    "before_step_date": _("The due date cannot be before the date of the step."),
    "too_far_ahead": _("The due date can be at most two years after the date of the step."),
    "before_previous_step": _("The date cannot be before the previous step."),
    "referral_already_open": _("A referral to the care coordinator is open already."),
    "no_open_referral": _("There is no open referral to the care coordinator."),
    "answered_by_coordinator": _(
        "The care coordinator records their answer themselves, on their list of referrals."
    ),
    "weighing_does_not_allow_help": _("The latest weighing does not allow organising help."),
    "report_first": _("A report to Veilig Thuis is due first."),
    "does_not_match_case": _("This reason does not match what happened in the case."),
    "later_than_report_due": _("The due date cannot postpone a report that is due."),
}


def trigger_label(trigger: str, level: int | None) -> str:
    """How the case was opened: by hand, or proposed by the organisation's own outcome at
    the level it had then (the open step's stored level: 2, 3 or 4, never "level 2" for
    a case proposed at level 4)."""
    if trigger == "proposed" and level is not None:
        return _("Proposed at level %(level)s") % {"level": level}
    if trigger == "acute_danger" and level is not None:
        return _("Opened for acute danger (level %(level)s)") % {"level": level}
    return label(CHOICES["trigger"], trigger)


def label(table: dict, code: str) -> str:
    return str(table.get(code, code))
