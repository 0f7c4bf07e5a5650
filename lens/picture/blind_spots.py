""" "Wat zie ik nog niet?" for a municipality: the leefgebieden and indicators that are
never or rarely signalled there while the rest of the region does signal them, and the
organisation types that register nothing there while they do elsewhere in the region,
each with whom to talk to (the catalogue's `seen_by`). Compared through published values
only, so the comparison gives away nothing the tables do not."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _

from lens.insight.disclosure import LESS_THAN_TEN, Shown
from lens.rules.model import Catalogue

from . import selectors


def _status(here: Shown, rest: Shown) -> str | None:
    elsewhere = (isinstance(rest, int) and rest > 0) or rest == LESS_THAN_TEN
    if here == 0 and elsewhere:
        return _("Never signalled here, while the rest of the region does.")
    if here == LESS_THAN_TEN and isinstance(rest, int) and rest >= 10:
        return _("Rarely signalled here, more often in the rest of the region.")
    if here == 0 and rest == 0:
        return _("Not signalled anywhere in the region.")
    return None


def of(
    scope: selectors.Scope, filters: selectors.Filters, catalogue: Catalogue, language: str
) -> list[dict]:
    municipality = scope.municipality or filters.area
    here = selectors.picture(
        scope, replace(filters, area=municipality if not scope.municipality else ""), catalogue
    )
    rest = selectors.picture(
        selectors.Scope(scope.region),
        replace(filters, area="", outside=municipality),
        catalogue,
    )

    def who(codes) -> list[str]:
        types = catalogue.organisation_types
        return [types[c].label.get(language) for c in codes if c in types]

    spots = []
    for kind, items, mine, theirs in (
        (_("Leefgebied"), catalogue.life_domains, here.by_life_domain, rest.by_life_domain),
        (_("Indicator"), catalogue.indicators, here.by_indicator, rest.by_indicator),
    ):
        for item in items.values():
            status = _status(mine.cells[("all", item.code)], theirs.cells[("all", item.code)])
            if status:
                spots.append(
                    {
                        "kind": kind,
                        "label": item.label.get(language),
                        "status": status,
                        "talk_to": who(item.seen_by),
                    }
                )
    for item in catalogue.organisation_types.values():
        mine = here.by_organisation_type.cells[("all", item.code)]
        theirs = rest.by_organisation_type.cells[("all", item.code)]
        if mine == 0 and theirs != 0:
            spots.append(
                {
                    "kind": _("Organisation type"),
                    "label": item.label.get(language),
                    "status": _("Registers nothing here, while it does elsewhere in the region."),
                    "talk_to": [item.label.get(language)],
                }
            )
    return spots
