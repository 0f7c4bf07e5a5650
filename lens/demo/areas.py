"""Where the demo's synthetic persons live and which linked phenomena come with their
registrations: real municipalities and wijken of catalogue/areas/ (weighted by their
number of addresses), mostly the organisation's own municipality. A separate random
stream per person, so the identities and signals of earlier demo runs stay the same."""

from __future__ import annotations

import random
from dataclasses import replace

from lens.access.crypto import Identity
from lens.data.registry import Organisation, Registration
from lens.insight.areas import DATA_YEAR, area_region, areas
from lens.rules.model import Catalogue

OWN_MUNICIPALITY_SHARE = 0.6
PHENOMENON_SHARE = 0.3


def home(rng: random.Random, region: str, own_municipality: str) -> tuple[str, str]:
    """(municipality code, wijk code) of a synthetic person of `region`."""
    table = areas()
    municipalities = table.municipalities_in(area_region(region))
    own = [m for m in municipalities if m.name == own_municipality]
    if own and rng.random() < OWN_MUNICIPALITY_SHARE:
        municipality = own[0]
    else:
        municipality = rng.choice(municipalities)
    districts = table.districts_of(municipality.code)
    wijk = rng.choices(districts, weights=[d.addresses for d in districts])[0]
    return municipality.code, wijk.code


def phenomena(rng: random.Random, catalogue: Catalogue) -> list[str]:
    if rng.random() >= PHENOMENON_SHARE:
        return []
    return rng.sample(list(catalogue.phenomena), rng.choice((1, 1, 2)))


def placed(registrations, org, identity: Identity, catalogue: Catalogue, seed: int):
    """The planned registrations of one stay with the person's home and some phenomena."""
    rng = random.Random(f"uitbuitingslens-demo-area:{seed}:{identity.family_name}")
    municipality, wijk = home(rng, org.region, org.municipality)
    return tuple(
        replace(
            r,
            where=(
                ("municipality_code", municipality),
                ("wijk_code", wijk),
                ("phenomena", tuple(phenomena(rng, catalogue))),
            ),
        )
        for r in registrations
    )


def fill_existing(organisations: list[Organisation], catalogue: Catalogue, seed: int) -> int:
    """Give the registrations of earlier demo runs (made before registrations recorded an
    area) a home and phenomena. Synthetic demo data only: the demo's own organisations."""
    rows = Registration.objects.filter(organisation__in=organisations, municipality_code="")
    changed = []
    for registration in rows.select_related("organisation").order_by("pk"):
        organisation = registration.organisation
        rng = random.Random(f"uitbuitingslens-demo-area:{seed}:person:{registration.person_id}")
        registration.municipality_code, registration.wijk_code = home(
            rng, organisation.region, organisation.municipality
        )
        registration.areas_year = DATA_YEAR
        registration.phenomena = phenomena(rng, catalogue)
        changed.append(registration)
    Registration.objects.bulk_update(
        changed, ["municipality_code", "wijk_code", "areas_year", "phenomena"], batch_size=500
    )
    return len(changed)
