"""The combined picture of one person across organisations, as the zorgcoördinator's
page shows it (lens.coordination.views.picture): who reported which signal, the lens
matrix of leefgebieden x indicatoren per organisation, the blind spots with the
organisations that could see them, and one timeline of every organisation's
registrations.

Two layers. The plain functions at the top take catalogue objects, the engine's Outcome
and "organisations" of any hashable type (the views pass Organisation rows, tests may
pass strings); they import nothing from Django and touch no database. The functions
below them read the records the access policy handed out (`policy.get_coordinated`)
and never widen them: no access checks and no logging here, the caller does both.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q

from lens.coordination import clusters
from lens.data import queries
from lens.data.coordination import InformationRequest, PersonRelation
from lens.data.registry import Organisation, Person
from lens.rules.engine import Outcome
from lens.rules.model import Catalogue
from lens.web.outcomes import timeline_rows
from lens.web.presentation import tel_href

# --- plain functions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    """An organisation as the picture names it: its name and contact, nothing else."""

    pk: int
    name: str
    organisation_type: str
    region: str
    contact_name: str
    phone: str
    email: str

    def __str__(self) -> str:
        return self.name

    @property
    def tel(self) -> str:
        return tel_href(self.phone) if self.phone else ""


def _unique[O: Hashable](items: Iterable[O]) -> list[O]:
    """The items in their first order, each once."""
    return list(dict.fromkeys(items))


def reporters[O: Hashable](reports: Iterable[tuple[O, Iterable[str]]]) -> dict[str, list[O]]:
    """Signal code -> the organisations that reported it, each once, in the order of
    `reports` ((organisation, signal codes) per current registration)."""
    found: dict[str, list[O]] = {}
    for organisation, codes in reports:
        for code in codes:
            found.setdefault(code, [])
            if organisation not in found[code]:
                found[code].append(organisation)
    return found


def signal_rows[O: Hashable](
    catalogue: Catalogue,
    result: Outcome,
    by_signal: Mapping[str, Sequence[O]],
    language: str,
) -> list[dict[str, Any]]:
    """Each signal the engine counted (once, however many reported it), with the
    organisations that reported it; `confirmations` is their number when two or more
    organisations saw it independently, else 0."""
    rows = []
    for counted in result.signals:
        signal = catalogue.signals.get(counted.code)
        organisations = list(by_signal.get(counted.code, ()))
        rows.append(
            {
                "code": counted.code,
                "label": signal.label.get(language) if signal else counted.code,
                "strength": counted.strength,
                "current": counted.current,
                "acute": counted.acute,
                "last_observed": counted.last_observed,
                "organisations": organisations,
                "confirmations": len(organisations) if len(organisations) >= 2 else 0,
            }
        )
    return rows


def matrix[O: Hashable](
    catalogue: Catalogue, by_signal: Mapping[str, Sequence[O]], language: str
) -> dict[str, Any]:
    """The lens as a table: a row per leefgebied (catalogue order), a column per
    indicator; each cell lists the organisations with a signal that falls under both
    (a signal under two indicators or leefgebieden is in each of its cells)."""
    domains = sorted(catalogue.life_domains.values(), key=lambda d: (d.order, d.code))
    indicators = list(catalogue.indicators.values())
    cells: dict[tuple[str, str], list[O]] = {}
    for code, organisations in by_signal.items():
        signal = catalogue.signals.get(code)
        if signal is None:
            continue  # no longer in the catalogue: named apart, not counted
        for domain in signal.life_domains:
            for indicator in signal.indicators:
                cell = cells.setdefault((domain, indicator), [])
                cell.extend(o for o in organisations if o not in cell)
    return {
        "columns": [i.label.get(language) for i in indicators],
        "rows": [
            {
                "label": d.label.get(language),
                "cells": [cells.get((d.code, i.code), []) for i in indicators],
            }
            for d in domains
        ],
        "empty": not cells,
    }


def blind_spot_rows[O: Hashable](
    catalogue: Catalogue,
    result: Outcome,
    by_type: Mapping[str, Sequence[O]],
    involved: Collection[O],
    language: str,
) -> dict[str, list[dict[str, Any]]]:
    """ "Wat zie ik nog niet?" across organisations: each leefgebied and indicator without
    a signal, the kinds of organisation that typically see it (catalogue `seen_by`) and
    the organisations of those kinds in the region (`by_type`: type code -> organisations),
    each marked whether it is involved with this person already."""
    spots: dict[str, list[dict[str, Any]]] = {"life_domain": [], "indicator": []}
    for spot in result.blind_spots:
        areas = catalogue.life_domains if spot.kind == "life_domain" else catalogue.indicators
        area = areas.get(spot.code)
        types = [c for c in spot.seen_by if c in catalogue.organisation_types]
        organisations = _unique(o for c in types for o in by_type.get(c, ()))
        spots[spot.kind].append(
            {
                "code": spot.code,
                "label": area.label.get(language) if area else spot.code,
                "status": spot.status,
                "seen_by": [catalogue.organisation_types[c].label.get(language) for c in types],
                "organisations": [
                    {"organisation": o, "involved": o in involved} for o in organisations
                ],
            }
        )
    return spots


# --- reading the records the policy gave out ------------------------------------------------


def involved_organisations(members: Sequence[Person]) -> list[Organisation]:
    """The organisations with a record among `members`, by name, each once."""
    return sorted(_unique(m.organisation for m in members), key=lambda o: (o.name, o.pk))


def contact(organisation: Organisation) -> Contact:
    return Contact(
        pk=organisation.pk,
        name=organisation.name,
        organisation_type=organisation.organisation_type,
        region=organisation.region,
        contact_name=organisation.contact_name,
        phone=organisation.contact_phone,
        email=organisation.contact_email,
    )


def current_reports(
    members: Sequence[Person], catalogue: Catalogue
) -> list[tuple[Contact, list[str]]]:
    """(organisation, signal codes) of every registration that counts for the combined
    outcome (lens.data.queries.records_input reads the same ones), organisations by
    name."""
    found = []
    current = queries.current_registrations_of(list(members))
    for member in sorted(members, key=lambda m: (m.organisation.name, m.pk)):
        for registration in current[member.pk]:
            # Retired codes read as what replaced them, as the engine reads them.
            codes = catalogue.current_codes(registration.signals)
            found.append((contact(member.organisation), [*codes.signals, *codes.dropped]))
    return found


def organisations_by_type(region: str, types: Iterable[str]) -> dict[str, list[Contact]]:
    """The organisations of the region of each type, by name."""
    found: dict[str, list[Contact]] = {}
    for organisation in Organisation.objects.filter(
        region=region, organisation_type__in=set(types)
    ).order_by("name"):
        found.setdefault(organisation.organisation_type, []).append(contact(organisation))
    return found


def timeline(members: Sequence[Person], catalogue: Catalogue, language: str) -> list[dict]:
    """Every registration of the members, current and withdrawn, newest observation first,
    each with its organisation; a corrected registration is shown once, under its newest
    version, with the older versions: the rows of an organisation's own person page
    (lens.web.outcomes.timeline_rows)."""
    by_person = queries.timelines(list(members))
    entries = [
        {
            **row,
            "organisation": member.organisation,
            "registration": row["entry"].registration,
            "withdrawn": row["entry"].withdrawn,
        }
        for member in members
        for row in timeline_rows(member, catalogue, language, by_person[member.pk])
    ]
    entries.sort(
        key=lambda e: (e["registration"].observed_on, e["registration"].created_at),
        reverse=True,
    )
    return entries


def elsewhere(person: Person, region: str) -> list[Contact]:
    """The organisations outside `region` with a record in the person's cluster: the page
    names them and their contact, nothing of their records."""
    outside = [m for m in clusters.cluster_of(person) if m.organisation.region != region]
    return [contact(o) for o in involved_organisations(outside)]


def information_requests(members: Sequence[Person]) -> list[InformationRequest]:
    """The information requests about the members, open ones first, newest first."""
    return list(
        InformationRequest.objects.filter(person__in=[m.pk for m in members])
        .select_related("person__organisation")
        .order_by(F("answered_at").desc(nulls_first=True), "-asked_at", "-pk")
    )


def relations(members: Sequence[Person]) -> list[PersonRelation]:
    """The relations (not ended) with a member at one end, newest first."""
    pks = [m.pk for m in members]
    return list(
        PersonRelation.objects.filter(Q(person_a__in=pks) | Q(person_b__in=pks))
        .filter(ended_at__isnull=True)
        .select_related("person_a", "person_b", "recorded_by_organisation")
        .order_by("-recorded_at", "-pk")
    )
