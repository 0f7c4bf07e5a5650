"""The beheerder's writes: organisations, users and their memberships.

A serious deployment adds its organisations and users with these (through `lens
organisations` and `lens users`), not with the demo. Each function validates its input
first (codes against the active catalogue), then writes in one transaction: on any
error it raises ValidationError and nothing is written.

Messages are gettext texts (English msgids, Dutch in lens/locale): in the language of
the request on the web, and in LANGUAGE_CODE (Dutch) on the command line, where
`lens` does not choose another.

Every write leaves one audit record in its transaction (lens.accounts.audit): who (`by`,
the command line when not given), what, on which object, by id.

Nothing here is ever deleted: a membership is ended (`is_active` False) and a user is
deactivated, so the history (who registered what, in which role) keeps its meaning.
Nothing here touches person data either: the beheerder sees none.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lens.accounts import actions as account_actions
from lens.accounts import audit
from lens.accounts.audit import Operator
from lens.accounts.models import AuditKind
from lens.catalogue import services
from lens.data.registry import (
    ORGANISATION_ROLES,
    REGION_ROLES,
    Membership,
    Organisation,
    Role,
)
from lens.registry import organisation_input
from lens.rules.model import Catalogue

log = logging.getLogger("lens.registry")

# A phone number as people write it: digits, spaces, +, -, dots and brackets.


def _log_on_commit(text: str, *args) -> None:
    """Log once the change is committed: a caller's outer transaction may still undo it
    (as `lens users add` does when the first membership is refused)."""
    transaction.on_commit(lambda: log.info(text, *args))


def active_catalogue() -> Catalogue:
    """The active catalogue; a ValidationError (not NoCatalogueLoaded) when none is loaded."""
    try:
        catalogue, _ruleset = services.active()
    except services.NoCatalogueLoaded:
        raise ValidationError(
            _("No catalogue is loaded: run `lens catalogue load` first.")
        ) from None
    return catalogue


# --- organisations -------------------------------------------------------------------


def create_organisation(
    name: str,
    organisation_type: str,
    region: str,
    municipality: str,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    *,
    by: Operator | None = None,
) -> Organisation:
    """Add an organisation. The type and region are catalogue codes; the municipality,
    when given, must be one of the region's (its spelling is taken from the catalogue).
    The contact is what other organisations involved with the same person get to see."""
    catalogue = active_catalogue()
    errors: dict[str, list[str]] = {}
    name = organisation_input.text(name)
    organisation_input.check_required(
        errors, "name", name, Organisation, _("Give the organisation a name.")
    )
    organisation_type = organisation_input.text(organisation_type)
    if organisation_type not in catalogue.organisation_types:
        errors["organisation_type"] = [
            _("Unknown organisation type %(code)r.") % {"code": organisation_type}
            + organisation_input.known_list(catalogue.organisation_types)
        ]
    region, municipality = organisation_input.region_and_municipality(
        catalogue, region, municipality, errors
    )
    contact = organisation_input.contact(errors, contact_name, contact_phone, contact_email)
    if errors:
        raise ValidationError(errors)
    duplicate = ValidationError(
        {"name": [_("An organisation named %(name)r already exists.") % {"name": name}]}
    )
    try:
        with transaction.atomic():
            if Organisation.objects.filter(name__iexact=name).exists():
                raise duplicate
            organisation = Organisation.objects.create(
                name=name,
                organisation_type=organisation_type,
                region=region,
                municipality=municipality,
                **contact,
            )
            audit.record(
                by,
                AuditKind.ORGANISATION_ADDED,
                "organisation",
                organisation.pk,
                f"type {organisation_type}, region {region}",
            )
    except IntegrityError:  # the same name added at the same moment
        raise duplicate from None
    _log_on_commit("Organisation %s (%s) added.", organisation.pk, organisation.name)
    return organisation


def update_organisation_contact(
    organisation: Organisation,
    *,
    contact_name: str | None = None,
    contact_phone: str | None = None,
    contact_email: str | None = None,
    by: Operator | None = None,
) -> Organisation:
    """Change the organisation's contact: only the parts given (None keeps a part)."""
    given = {
        "contact_name": contact_name,
        "contact_phone": contact_phone,
        "contact_email": contact_email,
    }
    given = {field: value for field, value in given.items() if value is not None}
    if not given:
        raise ValidationError(_("Give the contact name, phone or e-mail to change."))
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        contact = organisation_input.contact(
            errors,
            given.get("contact_name", organisation.contact_name),
            given.get("contact_phone", organisation.contact_phone),
            given.get("contact_email", organisation.contact_email),
        )
        if errors:
            raise ValidationError(errors)
        for field, value in contact.items():
            setattr(organisation, field, value)
        organisation.save(update_fields=list(contact))
        audit.record(
            by,
            AuditKind.ORGANISATION_CONTACT,
            "organisation",
            organisation.pk,
            "changed: " + ", ".join(given),
        )
    _log_on_commit("Contact of organisation %s changed (%s).", organisation.pk, ", ".join(given))
    return organisation


# --- users ---------------------------------------------------------------------------


def create_user(
    username: str, email: str, *, password: str | None = None, by: Operator | None = None
):
    """Add a user. Without a password the user gets an unusable one: they cannot log in
    until a password is set (`lens changepassword USERNAME`). A password given here must
    pass the deployment's password validators. Every user also needs an authenticator
    app (`lens accounts enrol-totp USERNAME`) and a membership before the site is of use.
    """
    User = get_user_model()
    errors: dict[str, list[str]] = {}
    username = User.normalize_username(organisation_input.text(username))
    field = User._meta.get_field(User.USERNAME_FIELD)
    try:
        field.clean(username, None)
    except ValidationError:
        errors["username"] = [
            _(
                "%(username)r is not a valid username: use at most %(max)s letters, "
                "digits and @ . + - _ only."
            )
            % {"username": username, "max": field.max_length}
        ]
    email = organisation_input.email_address(errors, "email", email)
    if password is not None and not errors:
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as error:
            errors["password"] = [
                _("The password is not accepted:") + " " + " ".join(error.messages)
            ]
    if errors:
        raise ValidationError(errors)
    duplicate = ValidationError(
        {"username": [_("A user named %(username)r already exists.") % {"username": username}]}
    )
    try:
        with transaction.atomic():
            lookup = {f"{User.USERNAME_FIELD}__iexact": username}
            if User._default_manager.filter(**lookup).exists():
                raise duplicate
            # create_user sets an unusable password when given None.
            user = User._default_manager.create_user(
                **{User.USERNAME_FIELD: username}, email=email, password=password
            )
            audit.record(
                by,
                AuditKind.USER_ADDED,
                "user",
                user.pk,
                "usable password" if user.has_usable_password() else "no password yet",
            )
    except IntegrityError:
        raise duplicate from None
    _log_on_commit("User %s added (usable password: %s).", user.pk, user.has_usable_password())
    return user


def deactivate_user(user, *, by: Operator | None = None):
    """Deactivate the user (they can no longer log in) and end all of their sessions.

    The user and their memberships stay: the history names them.
    """
    User = get_user_model()
    with transaction.atomic():
        user = User._default_manager.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise ValidationError(
                _("User %(username)r is already deactivated.") % {"username": user.get_username()}
            )
        user.is_active = False
        user.save(update_fields=["is_active"])
        account_actions.logout_everywhere(user)
        audit.record(by, AuditKind.USER_DEACTIVATED, "user", user.pk, "sessions ended")
    _log_on_commit("User %s deactivated.", user.pk)
    return user


# --- memberships ---------------------------------------------------------------------


def add_membership(
    user,
    role: str,
    *,
    organisation: Organisation | None = None,
    region: str = "",
    municipality: str = "",
    by: Operator | None = None,
) -> Membership:
    """Give the user a role. Its scope must fit the role:

    - professional, aandachtsfunctionaris: an organisation (no region or municipality:
      the organisation has them);
    - zorgcoordinator, analist: a region code from the catalogue, optionally one of the
      region's municipalities (no organisation);
    - beheerder: neither.
    """
    User = get_user_model()
    catalogue = active_catalogue()
    role = organisation_input.text(role)
    region, municipality = organisation_input.text(region), organisation_input.text(municipality)
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        raise ValidationError(
            {
                "role": [
                    _("Unknown role %(role)r.") % {"role": role}
                    + organisation_input.known_list(Role.values)
                ]
            }
        )
    if role in ORGANISATION_ROLES:
        if organisation is None:
            errors["organisation"] = [
                _("The role %(role)r belongs to an organisation: give one.") % {"role": role}
            ]
        if region or municipality:
            errors["region"] = [
                _(
                    "The role %(role)r takes its region and municipality from the "
                    "organisation: give neither."
                )
                % {"role": role}
            ]
    elif role in REGION_ROLES:
        if organisation is not None:
            errors["organisation"] = [
                _("The role %(role)r belongs to a region, not to an organisation.") % {"role": role}
            ]
        if not region:
            errors["region"] = [
                _("The role %(role)r belongs to a region: give its code.") % {"role": role}
                + organisation_input.known_list(catalogue.regions)
            ]
        else:
            region, municipality = organisation_input.region_and_municipality(
                catalogue, region, municipality, errors
            )
    elif organisation is not None or region or municipality:  # beheerder
        errors["organisation"] = [
            _("The role %(role)r belongs to no organisation, region or municipality.")
            % {"role": role}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The lock makes two identical additions at the same moment wait for each other.
        user = User._default_manager.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise ValidationError(
                _("User %(username)r is deactivated.") % {"username": user.get_username()}
            )
        scope = {
            "organisation": organisation,
            "region": region,
            "municipality": municipality,
        }
        existing = Membership.objects.filter(user=user, role=role, is_active=True, **scope)
        if existing.exists():
            raise ValidationError(
                _("User %(username)r already has this membership.")
                % {"username": user.get_username()}
            )
        membership = Membership.objects.create(user=user, role=role, **scope)
        audit.record(
            by,
            AuditKind.MEMBERSHIP_ADDED,
            "membership",
            membership.pk,
            _scope_details(membership),
        )
    _log_on_commit("Membership %s (%s) added for user %s.", membership.pk, role, user.pk)
    return membership


def end_membership(membership: Membership, *, by: Operator | None = None) -> Membership:
    """End the membership: it stays (is_active False), and a session that uses it loses
    it at its next request (lens.accounts.session.resolve_active_membership)."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",))
            .select_related("user", "organisation")
            .get(pk=membership.pk)
        )
        if not membership.is_active:
            raise ValidationError(_("This membership has already ended."))
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit.record(
            by,
            AuditKind.MEMBERSHIP_ENDED,
            "membership",
            membership.pk,
            _scope_details(membership),
        )
    _log_on_commit("Membership %s of user %s ended.", membership.pk, membership.user_id)
    return membership


def _scope_details(membership: Membership) -> str:
    """The audit details of a membership: user, role and scope, by id and code."""
    scope = (
        f"organisation {membership.organisation_id}"
        if membership.organisation_id
        else f"region {membership.region or '-'} {membership.municipality}".rstrip()
    )
    return f"user {membership.user_id}, {membership.role}, {scope}"


def describe_membership(membership: Membership) -> str:
    """The role and its scope in one line, e.g. `analist · region midden_brabant, Tilburg`."""
    if membership.organisation_id:
        scope = membership.organisation.name
    elif membership.region:
        scope = _("region %(region)s") % {"region": membership.region}
        if membership.municipality:
            scope += f", {membership.municipality}"
    else:
        scope = _("(everywhere)")
    return f"{membership.role} · {scope}"


# The look-ups by typed name, for the commands (lens.registry.organisation_input).
get_organisation = organisation_input.get_organisation
get_user = organisation_input.get_user
