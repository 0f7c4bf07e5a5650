""" "Wat zie ik nog niet?" for a municipality: the leefgebieden and indicators that are
never or rarely signalled there while the rest of the region does signal them, and the
organisation types that register nothing there while they do elsewhere in the region,
each with whom to talk to (the catalogue's `seen_by`). Compared through published values
only, so the comparison gives away nothing the tables do not.

"The rest of the region" is only a comparison when it is more than a few persons in more
than one other municipality: when it is one other municipality (or holds fewer than
THRESHOLD persons), "not here, but in the rest" says that that municipality signals it,
and with a small count, about whom. Then the comparison is withheld, with the reason; so
too when the rest's own figures are withheld (it differs by 1 to 9 persons from the whole
region or another wider view: lens.picture.published.guarded, 2.).
The check uses the exact counts of the rest, which are never shown; it tells only that
the rest is too small, which the analist may know."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from lens.insight.disclosure import LESS_THAN_TEN, THRESHOLD, Shown
from lens.rules.model import Catalogue

from . import selectors

MINIMUM_OTHER_MUNICIPALITIES = 2


@dataclass(frozen=True)
class BlindSpots:
    spots: list[dict] = field(default_factory=list)
    withheld: str = ""  # why there is no comparison, in the analist's language


def _elsewhere(rest: Shown) -> bool:
    """The rest of the region signals it, as far as its published value says: ten or more.
    A "<10" may be none (lens.insight.disclosure.zeros_in_context), and read as "some" it
    told a municipality's analist that the one organisation of a type elsewhere registered
    someone that month (an outside probe); so only a number counts."""
    return isinstance(rest, int) and rest >= THRESHOLD


def _status(here: Shown, rest: Shown) -> str | None:
    if here == 0 and _elsewhere(rest):
        return _("Never signalled here, while the rest of the region does.")
    if here == LESS_THAN_TEN and _elsewhere(rest):
        return _("Rarely signalled here, more often in the rest of the region.")
    if here == 0 and rest == 0:
        return _("Not signalled anywhere in the region.")
    if here in (0, LESS_THAN_TEN) and rest == LESS_THAN_TEN:
        return _("Rarely or never signalled, here and in the rest of the region.")
    return None


def of(
    scope: selectors.Scope,
    filters: selectors.Filters,
    catalogue: Catalogue,
    language: str,
    shown: selectors.Picture | None = None,
) -> BlindSpots:
    """`shown`: the picture the page shows for `filters`, if it has one; when it is the
    municipality's own (no wijk chosen) it is not computed a second time."""
    municipality = scope.municipality or filters.area
    mine = replace(filters, area=municipality if not scope.municipality else "")
    here = (
        shown
        if shown is not None and mine == filters
        else selectors.picture(scope, mine, catalogue)
    )
    if here.withheld or (shown is not None and shown.withheld):
        # Its figures are withheld: a comparison made from the exact counts behind them
        # (none listed, where the unfiltered view lists some) told what they hide.
        return BlindSpots(
            withheld=_(
                "There is no comparison with the rest of the region for this view: its "
                "figures are withheld, and the comparison would give away what they hide. "
                "Choose a longer period or fewer filters."
            )
        )
    rest = selectors.picture(
        selectors.Scope(scope.region),
        replace(filters, area="", outside=municipality),
        catalogue,
    )
    if rest.withheld:
        # The rest is a view nested in the region: where it differs by 1 to 9 persons
        # from a wider view (the whole region: the municipality's own few; its parent
        # period; ...), its statuses beside the region's figures would tell about them
        # (lens.picture.published.guarded, 2.).
        return BlindSpots(
            withheld=_(
                "There is no comparison with the rest of the region for this view: the "
                "rest of the region differs by only a few persons from the whole region "
                "(or from a longer period), so a comparison would give away what the "
                "region's figures hide. Choose a longer period or fewer filters."
            )
        )

    if not rest.enough_persons or rest.municipalities_with_data < MINIMUM_OTHER_MUNICIPALITIES:
        return BlindSpots(
            withheld=_(
                "There is no comparison with the rest of the region for this view: in it, "
                "the rest of the region holds fewer than %(threshold)s persons or fewer "
                "than %(minimum)s other municipalities with registrations, so a comparison "
                "would give away the small numbers of one municipality. Choose a longer "
                "period or fewer filters, or look at the region's own picture."
            )
            % {"threshold": THRESHOLD, "minimum": MINIMUM_OTHER_MUNICIPALITIES}
        )

    def who(codes) -> list[str]:
        types = catalogue.organisation_types
        return [types[c].label.get(language) for c in codes if c in types]

    # A dimension the view is filtered on is not compared: every person in the view has
    # that indicator (leefgebied, type), whatever its rounded count says.
    dimensions = [
        (_("Leefgebied"), catalogue.life_domains, here.by_life_domain, rest.by_life_domain)
    ] * (not filters.life_domain)
    dimensions += [(_("Indicator"), catalogue.indicators, here.by_indicator, rest.by_indicator)] * (
        not filters.indicator
    )
    spots = []
    for kind, items, mine, theirs in dimensions:
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
    for item in catalogue.organisation_types.values() if not filters.organisation_type else ():
        mine = here.by_organisation_type.cells[("all", item.code)]
        theirs = rest.by_organisation_type.cells[("all", item.code)]
        if mine == 0 and _elsewhere(theirs):
            spots.append(
                {
                    "kind": _("Organisation type"),
                    "label": item.label.get(language),
                    "status": _("Registers nothing here, while it does elsewhere in the region."),
                    "talk_to": [item.label.get(language)],
                }
            )
    return BlindSpots(spots=spots)
