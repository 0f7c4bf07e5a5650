"""How a municipality or a district (wijk) is named wherever a user sees one: the
registration form, the person page, the local picture and its exports.

The public source of catalogue/areas/ (CBS, 2024, see its README) gives no district names,
and no list of them is at hand offline. So a district is named by its CBS code with the
word for it, "wijk WK085501" (English "district WK085501"), and by its name as well,
"wijk Centrum (WK085501)", where districts.csv has a `name` column that holds it: a
reader sees that it is a district and which one, the same on every page. DISTRICT_NOTE
says why, where districts are listed.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lens.insight.areas import areas

DISTRICT_NOTE = gettext_lazy(
    "A district (wijk) is shown by its CBS code, e.g. district WK085501: the public source "
    "of the area table (CBS, 2024) gives the codes of the districts, not their names."
)


def district_label(code: str) -> str:
    """ "wijk Centrum (WK085501)" where the area data has the wijk's name, else "wijk
    WK085501" (the committed source has only the codes)."""
    district = areas().districts.get(code)
    if district is not None and district.name:
        return _("district %(name)s (%(code)s)") % {"name": district.name, "code": code}
    return _("district %(code)s") % {"code": code}


def place_label(code: str) -> str:
    """A municipality's name, a district as `district_label`, another code as itself and
    no code as "Unknown" (the row of registrations without a place)."""
    if not code:
        return _("Unknown")
    municipality = areas().municipalities.get(code)
    if municipality is not None:
        return municipality.name
    if code in areas().districts:
        return district_label(code)
    return code
