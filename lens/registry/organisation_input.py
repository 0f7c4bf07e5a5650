"""Checking what an operator types for an organisation, a user or a membership: texts,
lengths, the region and municipality in the catalogue's spelling, a contact's phone and
e-mail address. Each check adds Dutch messages to `errors` (field -> messages) and returns
the cleaned value; lens.registry.organisations raises them together. And the look-ups
of an organisation and a user by the name an operator typed."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from lens.data.registry import Organisation
from lens.rules.model import Catalogue

PHONE = re.compile(r"^\+?[0-9 ().\-]+$")
PHONE_MIN_DIGITS = 3  # 112 and 0800 numbers are short; typing errors are usually not


def known_list(codes) -> str:
    return " " + _("Known: %(codes)s.") % {"codes": ", ".join(sorted(codes))}


def text(value) -> str:
    return (value or "").strip()


def check_required(errors, field: str, value: str, model, missing: str) -> None:
    max_length = model._meta.get_field(field).max_length
    if not value:
        errors[field] = [missing]
    elif max_length and len(value) > max_length:
        errors[field] = [_("Too long: at most %(max)s characters.") % {"max": max_length}]


def region_and_municipality(catalogue: Catalogue, region, municipality, errors):
    """The region code and the municipality in the catalogue's spelling (or "")."""
    region, municipality = text(region), text(municipality)
    known = catalogue.regions.get(region)
    if known is None:
        errors["region"] = [
            _("Unknown region %(region)r.") % {"region": region} + known_list(catalogue.regions)
        ]
        return region, municipality
    if municipality and known.municipalities:
        by_key = {name.casefold(): name for name in known.municipalities}
        if municipality.casefold() not in by_key:
            errors["municipality"] = [
                _("%(municipality)r is not a municipality of region %(region)r.")
                % {"municipality": municipality, "region": region}
                + known_list(known.municipalities)
            ]
        else:
            municipality = by_key[municipality.casefold()]
    return region, municipality


def contact(errors, name, phone, email) -> dict[str, str]:
    name, phone = text(name), text(phone)
    check_required(errors, "contact_name", name, Organisation, _("Give a contact name."))
    max_phone = Organisation._meta.get_field("contact_phone").max_length
    digits = sum(ch.isdigit() for ch in phone)
    if not PHONE.match(phone) or digits < PHONE_MIN_DIGITS or len(phone) > max_phone:
        errors["contact_phone"] = [
            _(
                "%(phone)r is not a phone number (digits, spaces, + - . and brackets; at "
                "most %(max)s characters)."
            )
            % {"phone": phone, "max": max_phone}
        ]
    email = email_address(errors, "contact_email", email)
    return {"contact_name": name, "contact_phone": phone, "contact_email": email}


def email_address(errors, field: str, value) -> str:
    value = text(value)
    try:
        validate_email(value)
        if len(value) > 254:
            raise ValidationError("too long")
    except ValidationError:
        errors[field] = [_("%(value)r is not an e-mail address.") % {"value": value}]
    return value


# --- look-ups for the commands -------------------------------------------------------


def get_organisation(name: str) -> Organisation:
    """The organisation by its name (exact, or else the only case-insensitive match)."""
    name = text(name)
    found = Organisation.objects.filter(name=name).first()
    if found is None:
        matches = list(Organisation.objects.filter(name__iexact=name)[:2])
        found = matches[0] if len(matches) == 1 else None
    if found is None:
        raise ValidationError(
            _("No organisation named %(name)r (see `lens organisations list`).") % {"name": name}
        )
    return found


def get_user(username: str):
    """The user by username (exact)."""
    User = get_user_model()
    username = text(username)
    found = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    if found is None:
        raise ValidationError(
            _("No user %(username)r (see `lens users list`).") % {"username": username}
        )
    return found
