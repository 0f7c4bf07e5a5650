"""The first year with data, for the periods the picture offers (lens.picture.filters.
period_options): read from the maintained cells of the regions' years, one small query,
after the pending changes are counted (lens.picture.pending): the periods on offer are
checked before the picture itself is read."""

from __future__ import annotations

from django.utils import timezone

from . import pending
from .cells import FIRST_YEAR
from .maintain import REGION
from .models import PictureCell


def first_year() -> int | None:
    """The first year in which any region counts a person; None without data."""
    pending.catch_up()
    years = [str(y) for y in range(FIRST_YEAR, timezone.localdate().year + 1)]
    found = (
        PictureCell.objects.filter(
            area=REGION, organisation_type="", kind="n", persons__gt=0, period__in=years
        )
        .order_by("period")
        .values_list("period", flat=True)
        .first()
    )
    return int(found) if found else None
