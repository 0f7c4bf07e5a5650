"""The rows of a person's access-log page ("Wie heeft dit ingezien"), in words.

An access-log entry stores what was seen as an object type and id ("registration", "85"):
exact for the record, meaningless to an aandachtsfunctionaris. This turns a page of
entries into rows that say who (the user's name, not the username) and what ("de
registratie van 3 december 2026, versie 2"), with one query for the users and one for
the registrations of the page, however many rows it has.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from lens.access.models import AccessLogEntry, Action
from lens.data.registry import Person, Registration, Role
from lens.web.templatetags.lens_format import nobreak, user_name


def action_labels() -> dict[str, str]:
    return {
        Action.LIST: _("seen in a list"),  # the purpose says which (persons, work list)
        Action.READ: _("viewed"),
        Action.CREATE: _("registered"),
        Action.CHANGE: _("changed"),
        Action.WITHDRAW: _("withdrew"),
        Action.REVEAL: _("identity shown"),
        Action.EXPORT: _("access log viewed"),
    }


def object_labels() -> dict[str, str]:
    """What an entry's object type names, in words, for objects without a date."""
    return {
        "person": _("the person's data"),
        "registration": _("a registration"),
        "identity": _("the identity"),
        "informed_notice": _("informing the person"),
        "information_request": _("an information request"),
        "link": _("a possible match with another organisation"),
        "lead": _("who has the lead"),
        "referral": _("the referral to the care coordinator"),
        "relation": _("a relation with another person"),
        "accesslog": _("the access log"),
        "local_picture": _("the local picture (counts, no person)"),
        "access_request": _("everything the organisation holds (access request)"),
        "case": _("the meldcode case"),
        "reference": _("the organisation's own reference"),
    }


def registration_words(registration: Registration) -> str:
    """ "the registration of 3 March 2026" (HTML: the date is kept on one line)."""
    observed = nobreak(date_format(registration.observed_on, "j F Y"))
    if registration.version > 1:
        return format_html(
            _("the registration of {date}, version {version}"),
            date=observed,
            version=registration.version,
        )
    return format_html(_("the registration of {date}"), date=observed)


def rows(person: Person, entries: list[AccessLogEntry]) -> list[dict[str, Any]]:
    users = get_user_model()._default_manager.in_bulk(
        {e.user_id for e in entries if e.user_id is not None}
    )
    registration_ids = {
        int(e.object_id)
        for e in entries
        if e.object_type == "registration" and e.object_id.isdigit()
    }
    registrations = Registration.objects.filter(person=person).in_bulk(registration_ids)
    actions = action_labels()
    objects = object_labels()
    roles = dict(Role.choices)
    result = []
    for entry in entries:
        user = users.get(entry.user_id)
        registration = (
            registrations.get(int(entry.object_id))
            if entry.object_type == "registration" and entry.object_id.isdigit()
            else None
        )
        if registration is not None:
            what = registration_words(registration)
        else:
            what = objects.get(entry.object_type, entry.object_type)
        action = actions.get(entry.action, entry.action)
        if entry.object_type == "access_request":  # an export, not of the access log
            action = _("exported")
        result.append(
            {
                "entry": entry,
                "who": user_name(user) if user is not None else entry.username,
                "role": roles.get(entry.role, entry.role),
                "action": action,
                "object": what,
            }
        )
    return result
