"""Template context for the header's main menu (lens/templates/includes/main_nav.html)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lens.access import routes
from lens.accounts.session import has_session_cookie


@dataclass(frozen=True)
class MenuEntry:
    url_name: str
    label: str | Promise
    # URL-name prefixes of the pages that belong to this entry (it is marked current
    # there, with aria-current="true"; on its own page with aria-current="page").
    section: tuple[str, ...] = ()


# The main menu, in order. An entry is shown to a user whose active role may open its
# page by the permission table (lens.access.routes), so the menu never offers a page
# that would answer 403.
MAIN_MENU = (
    MenuEntry("registry:persons", _("Persons"), section=("registry:",)),
    MenuEntry("registry:register", _("Register")),
    MenuEntry("cases:work_list", _("My work list"), section=("cases:",)),
    MenuEntry("registry:requests", _("Information requests"), section=("registry:request",)),
    MenuEntry("coordination:worklist", _("Work list"), section=("coordination:work",)),
    MenuEntry(
        "coordination:persons",
        _("Persons"),
        section=(
            "coordination:p",
            "coordination:ask",
            "coordination:lead",
            "coordination:relation",
        ),
    ),
    MenuEntry("coordination:links", _("Possible matches"), section=("coordination:link",)),
    MenuEntry("coordination:network", _("Network")),
    MenuEntry("check:start", _("Signal check"), section=("check:",)),
)


def _may_open(url_name: str, role: str | None) -> bool:
    return routes.ROUTES[url_name].admits(role)


def menu(request: HttpRequest, role: str | None) -> tuple[dict[str, str], ...]:
    """The main menu's entries for `role` (None: no membership chosen yet) on this page."""
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match else ""
    # The same for every request with the same role, page, language and script prefix
    # (the URLs depend on the last two): worked out once per process, not on every page.
    return _menu(role, here, translation.get_language(), get_script_prefix())


@functools.lru_cache(maxsize=1024)
def _menu(
    role: str | None, here: str, language: str | None, prefix: str
) -> tuple[dict[str, str], ...]:
    entries = [e for e in MAIN_MENU if _may_open(e.url_name, role)]
    # A page is in the section of the entry with the longest matching prefix (an answer
    # page "registry:request" belongs to the requests, not to the persons), and only an
    # entry that is not itself a page of the menu marks it (the register page is not in
    # the persons section).
    own_pages = {e.url_name for e in entries}
    longest = {
        e.url_name: max((len(p) for p in e.section if here.startswith(p)), default=0)
        for e in entries
    }
    best = max(longest.values(), default=0)
    items = []
    for entry in entries:
        if here == entry.url_name:
            current = "page"
        elif here not in own_pages and best and longest[entry.url_name] == best:
            current = "true"
        else:
            current = ""
        items.append({"url": reverse(entry.url_name), "label": entry.label, "current": current})
    return tuple(items)  # shared between requests: not to be changed


def navigation(request: HttpRequest) -> dict:
    """`main_nav` (lazy): the main menu of a logged-in user; empty for anyone else.

    Nothing is looked up without a session cookie, so anonymous pages stay cookie-free.
    """
    user = getattr(request, "user", None)
    if not has_session_cookie(request) or user is None or not user.is_authenticated:
        return {"main_nav": ()}

    def main_nav() -> tuple[dict[str, str], ...]:
        membership = getattr(request, "membership", None)
        return menu(request, str(membership.role) if membership else None)

    return {"main_nav": main_nav}
