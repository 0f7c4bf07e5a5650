"""The new-registration form prefilled with the answers of the check (issue 12 §3).

The check's outcome page (lens.check.transfer) posts the signals answered yes and the
risk factors, with `from_check`, to the new-registration form. That POST writes nothing
and reads no person: the form opens unbound, with those codes ticked, for the
professional to fill in who it is about and register as usual (a normal POST of the
form, with its own submission key). The codes go through the registry's own rules
(`actions.observed_codes`): a retired code is ticked as what replaced it; an unknown
code, and the check-only question ("Is there direct danger now?"), are not ticked and
are named in the error summary (400), the rest still ticked. Nothing is logged: the form
shows no person data.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest

from lens.check.transfer import FROM_CHECK
from lens.registry import actions
from lens.registry.forms import IdentityForm, SignalsForm
from lens.rules.model import Catalogue
from lens.web import pages


def is_from_check(request: HttpRequest) -> bool:
    """Whether this POST comes from the check's outcome page (the form to prefill)."""
    return request.method == "POST" and request.POST.get(FROM_CHECK) == "1"


def prefilled(
    request: HttpRequest, catalogue: Catalogue, region: str
) -> tuple[IdentityForm, SignalsForm, list[dict[str, str]]]:
    """The two forms of a new registration, unbound, with the posted codes that the
    registry takes ticked, and the error summary for the codes it does not take."""
    signals, risk_factors, refused = actions.observed_codes(
        catalogue, request.POST.getlist("signals"), request.POST.getlist("risk_factors")
    )
    form = SignalsForm(
        initial={"signals": signals, "risk_factors": risk_factors},
        catalogue=catalogue,
        language=pages.language(),
        region=region,
    )
    errors = [
        pages.summary_line(form[name], message)
        for name, messages in refused.items()
        for message in ValidationError(messages).messages  # texts, parameters filled in
    ]
    return IdentityForm(), form, errors
