"""The check's answers taken into a new registration (issue 12 §3): on the outcome page, a
logged-in user whose membership may open the registry's new-registration form gets a
button that posts the signals answered yes and the risk factors to that form, which
opens prefilled (lens.registry.from_check). Nothing is stored by the check or by the
prefilled form: the professional fills in who it is about and registers as usual.

The answers travel only in the POST body, as on every other page of the check. The
button needs a CSRF token (the registry's form is protected), so it is only rendered for
a user who is logged in (they have a session already); an anonymous visitor gets
nothing, no token and no cookie. The check-only question ("Is there direct danger
now?") is not a signal to register and is not taken over.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from lens.access.routes import may_open
from lens.rules.model import Catalogue

from .forms import YES, CheckForm

# The registry form's page that takes the answers, and the posted field that says so
# (lens.registry.from_check reads the same name).
REGISTER = "registry:register"
FROM_CHECK = "from_check"


def transferable(catalogue: Catalogue, form: CheckForm) -> tuple[list[str], list[str]]:
    """The signal codes answered yes (not the check-only question) and the risk factors
    ticked, with the one the age gives ("young age" under 18: the check no longer asks it
    as a box), in catalogue order: what a registration can take over."""
    signals = [
        code
        for code, signal in catalogue.signals.items()
        if not signal.check_only and form.answer(code) == YES
    ]
    chosen = {*form.selected_risk_factors(), form.risk_factor_from_age()}
    return signals, [code for code in catalogue.risk_factors if code in chosen]


def transfer_form(request: HttpRequest, catalogue: Catalogue, form: CheckForm) -> str:
    """The button with the answers to take over, or "" when this visitor may not register
    (anonymous, no membership, another role) or no signal was answered yes (a
    registration needs one)."""
    if not may_open(request, REGISTER):
        return ""
    signals, risk_factors = transferable(catalogue, form)
    if not signals:
        return ""
    return render_to_string(
        "check/includes/outcome_transfer.html",
        {
            "csrf_token": get_token(request),
            "from_check": FROM_CHECK,
            "answers": [("signals", c) for c in signals]
            + [("risk_factors", c) for c in risk_factors],
            "register": REGISTER,
        },
    )
