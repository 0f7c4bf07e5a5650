"""Fixtures for the tests across organisations: the registry tests' password hasher,
catalogue and login (imported by name: a conftest below the root may not use
pytest_plugins), and a small synthetic world of one person known at two organisations of
one region and at one organisation of another region, with the region's
zorgcoördinatoren.

Nothing here is a real person: names are made up, BSNs are generated to pass the
elfproef only.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from lens.access.actor import Actor
from lens.coordination import actions
from lens.data.registry import Membership, Organisation, Person, Registration, Role
from tests.registry import factories
from tests.registry.conftest import (  # noqa: F401 - fixtures, used by name
    active,
    catalogue,
    catalogue_files,
    login,
)

REGION = factories.REGION  # midden_brabant
OTHER_REGION = "amsterdam"

# Context notes: the zorgcoördinator of the region reads the first two, never the third.
SCHOOL_NOTE = "Context-van-de-school-over-de-schuld"
YOUTH_CARE_NOTE = "Context-van-de-jeugdzorg-over-de-schuld"
AMSTERDAM_NOTE = "Context-uit-Amsterdam-blijft-daar"

# Signals: one strong signal reported by both organisations, and a soft one at school.
# Counted once, the strong one gives a total of 5 (level 2); counted twice it would give
# 9 (level 3): the combined outcome shows which.
STRONG = "debt_to_exploiter"
SOFT = "truancy"


@dataclass
class Across:
    school: Organisation
    youth_care: Organisation
    amsterdam: Organisation
    members: dict[str, Membership]  # who -> membership
    at_school: Person
    at_youth_care: Person
    in_amsterdam: Person  # the same BSN, in another region
    below: Person  # a record at level 1, not referred: out of the zorgcoördinator's view
    referred: Person  # no signals at all, but referred to the zorgcoördinator
    school_registration: Registration
    youth_care_registration: Registration

    def actor(self, who: str) -> Actor:
        return factories.actor(self.members[who])


@pytest.fixture
def across(active) -> Across:  # noqa: F811 - the fixture imported above
    school = factories.organisation("Synthetische School De Brug", organisation_type="school")
    youth_care = factories.organisation(
        "Synthetische Jeugdzorg Midden", organisation_type="youth_care"
    )
    amsterdam = factories.organisation(
        "Synthetische School Amsterdam", organisation_type="school", region=OTHER_REGION
    )
    members = {
        "school": factories.membership(Role.PROFESSIONAL, school),
        "school_af": factories.membership(Role.AANDACHTSFUNCTIONARIS, school),
        "youth_care": factories.membership(Role.PROFESSIONAL, youth_care),
        "youth_care_af": factories.membership(Role.AANDACHTSFUNCTIONARIS, youth_care),
        "amsterdam": factories.membership(Role.PROFESSIONAL, amsterdam),
        "zc": factories.membership(Role.ZORGCOORDINATOR),
        "zc_amsterdam": factories.membership(Role.ZORGCOORDINATOR, region=OTHER_REGION),
        "analist": factories.membership(Role.ANALIST),
        "beheerder": factories.membership(Role.BEHEERDER),
    }

    def actor(who: str) -> Actor:
        return factories.actor(members[who])

    bsn = factories.valid_bsn(1)
    at_school = factories.person(actor("school"), bsn=bsn)
    school_registration = factories.registration(
        actor("school"), at_school, signals=[STRONG, SOFT], context_note=SCHOOL_NOTE
    )
    at_youth_care = factories.person(actor("youth_care"), bsn=bsn)
    youth_care_registration = factories.registration(
        actor("youth_care"), at_youth_care, signals=[STRONG], context_note=YOUTH_CARE_NOTE
    )
    in_amsterdam = factories.person(actor("amsterdam"), bsn=bsn)
    factories.registration(
        actor("amsterdam"), in_amsterdam, signals=[SOFT], context_note=AMSTERDAM_NOTE
    )
    below = factories.person(actor("school"))
    factories.registration(actor("school"), below, signals=[SOFT])
    referred = factories.person(actor("school"))
    actions.refer(actor("school"), referred, "Zorgen over nieuwe contacten na school.")
    return Across(
        school=school,
        youth_care=youth_care,
        amsterdam=amsterdam,
        members=members,
        at_school=at_school,
        at_youth_care=at_youth_care,
        in_amsterdam=in_amsterdam,
        below=below,
        referred=referred,
        school_registration=school_registration,
        youth_care_registration=youth_care_registration,
    )
