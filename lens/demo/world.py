"""The demo's organisations and users: plainly fictional, the same on every run.

Organisations and memberships have no write function in the actions layer (they are
the beheerder's data, not person data), so they are created here directly; TOTP devices
go through `lens.accounts.actions.enrol_totp`. Everything is looked up by name first,
so running the demo again adds nothing.

Phone numbers use subscriber numbers that start with 000: in the Dutch numbering plan no
subscriber number starts with 0, so they cannot ring anyone. E-mail addresses are
@example.nl.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from lens.accounts import actions as account_actions
from lens.accounts.totp import confirmed_devices
from lens.data.registry import Membership, Organisation, Role
from lens.insight.areas import area_region, areas

# The one password of every demo account (documented in the command's output and README).
DEMO_PASSWORD = "demo-uitbuitingslens"  # synthetic demo accounts only

REGIONS = ("midden_brabant", "amsterdam")
AREA_CODES = {"midden_brabant": "013", "amsterdam": "020"}
# Dutch short names of the organisation types, used in usernames.
TYPE_SLUGS = {
    "school": "school",
    "youth_care": "jeugdhulp",
    "general_practitioner": "huisarts",
    "debt_counselling": "schuldhulp",
    "police": "politie",
    "neighbourhood_team": "wijkteam",
    "housing_corporation": "woningcorporatie",
    "youth_work": "jongerenwerk",
}


@dataclass(frozen=True)
class OrgSpec:
    organisation_type: str
    region: str
    municipality: str
    name: str
    contact_name: str

    @property
    def slug(self) -> str:
        return f"{TYPE_SLUGS[self.organisation_type]}-{_slug(self.municipality)}"


ORGANISATIONS: tuple[OrgSpec, ...] = (
    OrgSpec("school", "midden_brabant", "Tilburg", "Demo College Tilburg", "Femke Voorbeeld"),
    OrgSpec(
        "youth_care", "midden_brabant", "Tilburg", "Demo Jeugdhulp Tilburg", "Jeroen Proefmans"
    ),
    OrgSpec(
        "general_practitioner",
        "midden_brabant",
        "Oisterwijk",
        "Demo Huisartsenpraktijk Oisterwijk",
        "Samira Voorbeeld",
    ),
    OrgSpec(
        "debt_counselling", "midden_brabant", "Tilburg", "Demo Schuldhulp Tilburg", "Daan Fictief"
    ),
    OrgSpec("police", "midden_brabant", "Tilburg", "Demo Politie Basisteam Tilburg", "Noor Proef"),
    OrgSpec(
        "neighbourhood_team",
        "midden_brabant",
        "Tilburg",
        "Demo Wijkteam Tilburg-Noord",
        "Bram Voorbeeld",
    ),
    OrgSpec(
        "housing_corporation",
        "midden_brabant",
        "Waalwijk",
        "Demo Woonstichting Waalwijk",
        "Lotte Fictief",
    ),
    OrgSpec("youth_work", "midden_brabant", "Dongen", "Demo Jongerenwerk Dongen", "Youssef Proef"),
    OrgSpec("school", "amsterdam", "Amsterdam", "Demo Lyceum Amsterdam", "Anouk Voorbeeld"),
    OrgSpec("youth_care", "amsterdam", "Amsterdam", "Demo Jeugdhulp Amsterdam", "Sem Proefmans"),
    OrgSpec(
        "general_practitioner",
        "amsterdam",
        "Amsterdam",
        "Demo Huisartsen Amsterdam-West",
        "Fatima Fictief",
    ),
    OrgSpec(
        "debt_counselling", "amsterdam", "Amsterdam", "Demo Schuldhulp Amsterdam", "Ruben Proef"
    ),
    OrgSpec(
        "police",
        "amsterdam",
        "Amsterdam",
        "Demo Politie Basisteam Amsterdam-Oost",
        "Iris Voorbeeld",
    ),
    OrgSpec(
        "neighbourhood_team",
        "amsterdam",
        "Amsterdam",
        "Demo Buurtteam Amsterdam-Noord",
        "Milan Fictief",
    ),
    OrgSpec(
        "housing_corporation",
        "amsterdam",
        "Amsterdam",
        "Demo Woningcorporatie Amsterdam",
        "Esra Proefmans",
    ),
    OrgSpec(
        "youth_work", "amsterdam", "Amsterdam", "Demo Jongerenwerk Amsterdam-Oost", "Thijs Proef"
    ),
)

# Organisations (by slug) that also get an aandachtsfunctionaris.
WITH_AANDACHTSFUNCTIONARIS = (
    "school-tilburg",
    "jeugdhulp-tilburg",
    "wijkteam-tilburg",
    "school-amsterdam",
    "jeugdhulp-amsterdam",
    "huisarts-amsterdam",
)
# The user with two memberships (to show choosing the active one).
TWO_ROLES_USERNAME = "demo-twee-rollen"
TWO_ROLES = (
    (Role.PROFESSIONAL, "wijkteam-tilburg"),
    (Role.AANDACHTSFUNCTIONARIS, "jeugdhulp-tilburg"),
)


# Demo accounts get a plainly fictional name (pages show names, not usernames): a
# first name from this list and one of the surnames the organisations' contacts use.
FIRST_NAMES = (
    "Anna", "Bas", "Chantal", "Dirk", "Eva", "Fleur", "Gijs", "Hanna", "Ilse", "Joost",
    "Kim", "Lars", "Mila", "Niels", "Olga", "Pim", "Rosa", "Stijn", "Tess", "Vera",
    "Wouter", "Yara", "Zeynep", "Koen", "Lieke", "Mehmet", "Nina", "Otto",
)  # fmt: skip
SURNAMES = ("Voorbeeld", "Fictief", "Proef", "Proefmans")


def demo_name(index: int) -> tuple[str, str]:
    """The first and last name of the index-th demo account (the same on every run)."""
    return FIRST_NAMES[index % len(FIRST_NAMES)], SURNAMES[index % len(SURNAMES)]


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: str
    organisation: str = ""  # OrgSpec slug, for organisation roles
    region: str = ""  # for region roles
    municipality: str = ""  # CBS code: an analist of one municipality


def user_specs() -> list[UserSpec]:
    """Every demo account's memberships, in the order the table shows them."""
    specs: list[UserSpec] = []
    for region in REGIONS:
        for org in ORGANISATIONS:
            if org.region != region:
                continue
            specs.append(UserSpec(f"demo-prof-{org.slug}", Role.PROFESSIONAL, org.slug))
            if org.slug in WITH_AANDACHTSFUNCTIONARIS:
                specs.append(UserSpec(f"demo-af-{org.slug}", Role.AANDACHTSFUNCTIONARIS, org.slug))
        place = _slug(region)
        specs.append(UserSpec(f"demo-zc-{place}", Role.ZORGCOORDINATOR, region=region))
        specs.append(UserSpec(f"demo-analist-{place}", Role.ANALIST, region=region))
        for municipality in areas().municipalities_in(area_region(region)):
            specs.append(
                UserSpec(
                    f"demo-analist-gemeente-{_slug(municipality.name)}",
                    Role.ANALIST,
                    region=region,
                    municipality=municipality.code,
                )
            )
    specs.append(UserSpec("demo-beheerder", Role.BEHEERDER))
    specs.extend(UserSpec(TWO_ROLES_USERNAME, role, org) for role, org in TWO_ROLES)
    return specs


@dataclass
class World:
    """What `ensure_world` found or made: organisations by slug, memberships by user."""

    organisations: dict[str, Organisation]
    memberships: list[Membership]
    created_organisations: int = 0
    created_users: int = 0
    created_memberships: int = 0
    created_devices: int = 0

    def members_of(self, organisation: Organisation) -> list[Membership]:
        return [m for m in self.memberships if m.organisation_id == organisation.pk]


def ensure_world() -> World:
    """Create whatever of the demo organisations, users, memberships and TOTP devices is
    missing; returns them all."""
    organisations: dict[str, Organisation] = {}
    world = World(organisations=organisations, memberships=[])
    with transaction.atomic():
        for number, spec in enumerate(ORGANISATIONS, start=1):
            organisation, created = Organisation.objects.get_or_create(
                name=spec.name,
                defaults={
                    "organisation_type": spec.organisation_type,
                    "region": spec.region,
                    "municipality": spec.municipality,
                    "contact_name": spec.contact_name,
                    "contact_phone": f"{AREA_CODES[spec.region]}-000 01 {number:02d}",
                    "contact_email": f"signalen.{spec.slug}@example.nl",
                },
            )
            organisations[spec.slug] = organisation
            world.created_organisations += created
        users = {}
        password = None  # hashed once: hashing is slow on purpose
        User = get_user_model()
        for spec in user_specs():
            user = users.get(spec.username)
            if user is None:
                first, last = demo_name(len(users))
                user = User._default_manager.filter(username=spec.username).first()
                if user is None:
                    password = password or make_password(DEMO_PASSWORD)
                    user = User._default_manager.create(
                        username=spec.username,
                        email=f"{spec.username}@example.nl",
                        password=password,
                        first_name=first,
                        last_name=last,
                    )
                    world.created_users += 1
                elif not user.get_full_name():  # made by an earlier demo without names
                    user.first_name, user.last_name = first, last
                    user.save(update_fields=["first_name", "last_name"])
                if not confirmed_devices(user):
                    account_actions.enrol_totp(user)
                    world.created_devices += 1
                users[spec.username] = user
            scope = (
                {"organisation": organisations[spec.organisation], "region": ""}
                if spec.organisation
                else {
                    "organisation": None,
                    "region": spec.region,
                    "municipality": spec.municipality,
                }
            )
            membership, created = Membership.objects.get_or_create(
                user=user, role=spec.role, **scope
            )
            world.memberships.append(membership)
            world.created_memberships += created
    return world


def _slug(text: str) -> str:
    return text.lower().replace("_", "-").replace(" ", "-")
