"""How the zorgcoördinator's link pages show a link (lens.coordination.views.links, and
the work list's lines about links): its records as the policy lets them be shown (a
record of the own region by its pseudonym, of another region by that region only), why
it was made, and the side-by-side identities after a logged reveal."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from lens.access import policy
from lens.access.crypto import Identity
from lens.catalogue import services
from lens.data import pseudonyms
from lens.data.coordination import LinkBasis, LinkState, PersonLink
from lens.data.registry import Person
from lens.web import pages


def reason_labels() -> dict[str, str]:
    """The reason codes of lens.coordination.similarity, in words."""
    return {
        "family_same": _("Same family name"),
        "family_same_without_tussenvoegsel": _(
            "Same family name apart from a prefix such as van or de"
        ),
        "family_similar": _("Similar family name"),
        "family_different": _("Different family name"),
        "given_same": _("Same given names"),
        "given_same_without_tussenvoegsel": _("Same given names"),
        "given_similar": _("Similar given names"),
        "given_different": _("Different given names"),
        "date_same": _("Same birth date"),
        "date_day_month_swapped": _("Birth date with day and month swapped"),
        "date_one_digit": _("Birth date differs in one digit"),
        "date_digits_swapped": _("Birth date with two neighbouring digits swapped"),
    }


def describe_reasons(link: PersonLink) -> list[str]:
    """Why the link was made, in words: the similarity reasons of a fuzzy link, the basis
    of an exact one."""
    if link.basis != LinkBasis.FUZZY:
        return [str(LinkBasis(link.basis).label)]
    labels = reason_labels()
    return [labels.get(code, code) for code in link.reasons or []]


def score_percent(link: PersonLink) -> int | None:
    return None if link.score is None else round(link.score * 100)


def region_names(accesses: list[policy.LinkAccess]) -> dict[str, str]:
    """The names of the regions the links' other records and deciders are in (one
    catalogue read for a whole page)."""
    codes = {access.deciding_region for access in accesses} | {
        person.organisation.region
        for access in accesses
        for person in (access.link.person_a, access.link.person_b)
    }
    try:
        catalogue, _ruleset = services.active()
    except services.NoCatalogueLoaded:
        return {code: code for code in codes}
    language = pages.language()
    return {
        code: catalogue.regions[code].label.get(language) if code in catalogue.regions else code
        for code in codes
    }


def record_label(access: policy.LinkAccess, person: Person, regions: dict[str, str]) -> str:
    """How a record of a link is named: its pseudonym in the own region, else its region."""
    if access.shows(person):
        return person.pseudonym
    return _("a record in %s") % regions[person.organisation.region]


def record(
    access: policy.LinkAccess, person: Person, regions: dict[str, str], *, read: bool = True
) -> dict[str, Any]:
    """One record of a link on screen. A record of the actor's region: the pseudonym, with
    the organisation and age band only when this response logged a read of it. A record
    of another region: only that region."""
    label = record_label(access, person, regions)
    if not access.shows(person):
        return {"person": None, "label": label}
    shown = {"person": person, "label": label, "organisation": None, "age_band": ""}
    if read:
        shown["organisation"] = person.organisation
        shown["age_band"] = pseudonyms.age_band(person.birth_year, timezone.localdate())
    return shown


def records(
    access: policy.LinkAccess, regions: dict[str, str] | None = None, *, read: bool = True
) -> list[dict[str, Any]]:
    regions = regions if regions is not None else region_names([access])
    return [
        record(access, p, regions, read=read) for p in (access.link.person_a, access.link.person_b)
    ]


def row(access: policy.LinkAccess, regions: dict[str, str]) -> dict[str, Any]:
    link = access.link
    return {
        "link": link,
        "records": records(access, regions),
        "score": score_percent(link),
        "reasons": describe_reasons(link),
        "state": LinkState(link.state).label,
        "last_decided": getattr(link, "last_decided", None),
    }


def link_context(access: policy.LinkAccess, *, read: bool) -> dict[str, Any]:
    link = access.link
    regions = region_names([access])
    context: dict[str, Any] = {
        "link": link,
        "state": LinkState(link.state).label,
        "records": records(access, regions, read=read),
        "read": read,
        "decides": access.decides,
        "deciding_region": regions[access.deciding_region],
    }
    if read:
        context.update({"basis": LinkBasis(link.basis).label})
    if read and access.decides:  # how it was found and decided: for the deciding region
        context.update(
            {
                "score": score_percent(link),
                "reasons": describe_reasons(link),
                "decisions": list(link.decisions.select_related("decided_by")),
            }
        )
    return context


def masked_bsn(bsn: str) -> str:
    """A BSN with all but the last three digits hidden."""
    if not bsn:
        return ""
    return "•" * max(0, len(bsn) - 3) + bsn[-3:]


def identity_fields(identity: Identity | None) -> dict[str, Any]:
    """An identity's values as the table shows them; empty for a closed one."""
    if identity is None:
        return {"given": "", "family": "", "born": None, "known": "", "bsn": ""}
    return {
        "given": identity.given_names,
        "family": identity.family_name,
        "born": identity.birth_date,
        "known": _("yes") if identity.bsn else _("no"),
        "bsn": identity.bsn,
    }


def comparison(a: Identity | None, b: Identity | None) -> list[dict[str, Any]]:
    """The rows of the side-by-side table: field, both values, and whether they agree.
    An identity of another region stays closed (None): nothing to compare then."""

    def same_text(x: str, y: str) -> bool:
        return " ".join(x.casefold().split()) == " ".join(y.casefold().split())

    both = a is not None and b is not None
    x, y = identity_fields(a), identity_fields(b)
    bsn_same = x["bsn"] == y["bsn"] if both and x["bsn"] and y["bsn"] else None
    return [
        {
            "label": _("Given names"),
            "a": x["given"],
            "b": y["given"],
            "same": same_text(x["given"], y["given"]) if both else None,
        },
        {
            "label": _("Family name"),
            "a": x["family"],
            "b": y["family"],
            "same": same_text(x["family"], y["family"]) if both else None,
        },
        {
            "label": _("Birth date"),
            "a": x["born"],
            "b": y["born"],
            "same": x["born"] == y["born"] if both else None,
            "is_date": True,
        },
        {"label": _("BSN known"), "a": x["known"], "b": y["known"], "same": None},
        {
            "label": _("BSN (last three digits)"),
            "a": masked_bsn(x["bsn"]),
            "b": masked_bsn(y["bsn"]),
            "same": bsn_same,
        },
    ]
