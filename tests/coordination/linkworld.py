"""A small synthetic region for the links and network page tests: a school and a youth
care organisation in midden_brabant, an organisation in another region, the region's
zorgcoördinator, another region's zorgcoördinator and every other role.

Bind the fixtures in a test module, so that pytest finds them there:

    from tests.coordination import linkworld
    from tests.registry import conftest as registry

    active = registry.active  # and catalogue_files, login
    links_world = linkworld.links_world

Everything here is synthetic: made-up names, BSNs generated to pass the elfproef only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from lens.access.actor import Actor
from lens.access.models import AccessLogEntry
from lens.data.coordination import PersonLink
from lens.data.registry import Membership, Organisation, Person, Role
from tests.registry import factories

OTHER_REGION = "amsterdam"
BORN = date(2011, 6, 17)


@dataclass
class LinksWorld:
    school: Organisation
    youth_care: Organisation
    elsewhere: Organisation  # in another region
    members: dict[str, Membership]  # who -> membership
    # who: "school", "youth_care", "elsewhere" (professionals), "af" (school),
    # "zc", "zc_other" (another region), "analist", "beheerder"

    def actor(self, who: str) -> Actor:
        return factories.actor(self.members[who])


@pytest.fixture
def links_world(active) -> LinksWorld:
    school = factories.organisation("Synthetische Basisschool De Linde")
    youth_care = factories.organisation(
        "Synthetische Jeugdzorg Midden", organisation_type="youth_care"
    )
    elsewhere = factories.organisation(
        "Synthetische School Elders", region=OTHER_REGION, municipality="Amsterdam"
    )
    members = {
        "school": factories.membership(Role.PROFESSIONAL, school),
        "youth_care": factories.membership(Role.PROFESSIONAL, youth_care),
        "elsewhere": factories.membership(Role.PROFESSIONAL, elsewhere),
        "af": factories.membership(Role.AANDACHTSFUNCTIONARIS, school),
        "zc": factories.membership(Role.ZORGCOORDINATOR),
        "zc_other": factories.membership(Role.ZORGCOORDINATOR, region=OTHER_REGION),
        "analist": factories.membership(Role.ANALIST),
        "beheerder": factories.membership(Role.BEHEERDER),
    }
    return LinksWorld(school=school, youth_care=youth_care, elsewhere=elsewhere, members=members)


def pair(
    world: LinksWorld,
    *,
    given: str = "Mirthe",
    family_a: str = "Janssen",
    family_b: str = "Jansen",
    born_a: date = BORN,
    born_b: date = BORN,
    bsn_a: str = "",
    bsn_b: str = "",
    second: str = "youth_care",
) -> tuple[Person, Person, PersonLink]:
    """The same (made-up) child registered at the school and at `second`, as the two
    registrations spell it; returns both records and the link between them."""
    a = factories.person(
        world.actor("school"), given_names=given, family_name=family_a, birth_date=born_a, bsn=bsn_a
    )
    b = factories.person(
        world.actor(second), given_names=given, family_name=family_b, birth_date=born_b, bsn=bsn_b
    )
    low, high = sorted((a, b), key=lambda p: p.pk)
    return a, b, PersonLink.objects.get(person_a=low, person_b=high)


def url(name: str, **kwargs) -> str:
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs)


def text(response) -> str:
    body = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def in_dutch(function, *args):
    """What a page in Dutch shows for a translatable label (whether it has been
    translated yet or not)."""
    with translation.override("nl"):
        return str(function(*args))


def log_since(since: int):
    return AccessLogEntry.objects.filter(id__gt=since).order_by("id")


def last_log_id() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
