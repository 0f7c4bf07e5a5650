"""The zorgcoördinator's work list: what is new in their region (a record also known at
another organisation, a possible match, a referral, an answered information request, a
person whose combined level reached 2), and marking lines handled, several at once.

The open lines are grouped per person (lens.coordination.work: the record's stored
cluster), the persons with the highest combined level first and, at one level, the
person whose oldest open line waits longest first. The page is paged by person groups
(a person's lines are never split over two pages). The lines handled most recently
follow, newest first.

As the registry pages (lens.registry.views): every view is wrapped in
`routes.protected`; what the list shows of a record goes through `lens.access.policy`
and is logged (LIST) for the records shown; writes go through
`lens.coordination.actions`.

Need to know holds on the list too. A person in the zorgcoördinator's scope
(`policy.coordinated_persons`: combined level 2 or higher, or referred) is headed by the
pseudonyms of their records and leads to the combined picture. A person below the
threshold is headed without a pseudonym: the organisations keep the lead there. A
possible match shows its pair as the list of possible matches does
(`policy.visible_links`: the pseudonyms of the own region's records, logged by
`policy.log_work_lines`, and of a record in another region only that region), and leads
to the page where it is decided; a line whose link the zorgcoördinator may no longer see
(confirmed, out of scope) does not.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lens.access import policy
from lens.access.actor import actor_from_request
from lens.access.routes import protected
from lens.coordination import actions
from lens.coordination.views import link_rows
from lens.coordination.work import WorkGroup, WorkGroups, handled_here
from lens.data.coordination import WorkItem
from lens.rules.model import Catalogue, Ruleset
from lens.web import lists, pages

# The purpose written to the access log for the records the list shows (Dutch).
PURPOSE_WORKLIST = "werklijst zorgcoördinator"
# Handled lines stay on the page for a while, the newest first: this many.
DONE_SHOWN = 20
# The form field with the ids of the lines to mark handled (one checkbox per line).
LINES_FIELD = "regels"


def _lines(items: list[WorkItem], seen: policy.WorkLines) -> dict[int, dict[str, Any]]:
    """What each line shows, by line id, as `policy.log_work_lines` decided and logged."""
    accesses = list(seen.links.values())
    regions = link_rows.region_names(accesses)
    pairs = {
        access.link.pk: tuple(
            link_rows.record_label(access, person, regions)
            for person in (access.link.person_a, access.link.person_b)
        )
        for access in accesses
    }
    return {
        item.pk: {
            "item": item,
            "kind": item.get_kind_display(),
            "candidate": item.link if item.link_id in seen.links else None,
            "pair": pairs.get(item.link_id),
            # Each line names the record in its own region (lens.coordination.notify).
            "person": item.person if item.person_id in seen.named else None,
        }
        for item in items
    }


def _group(group: WorkGroup, lines: dict[int, dict[str, Any]], labels: dict[int, str]):
    """A person's heading (the named records, the level) and lines. A cluster is in
    scope as a whole, so its records are all named or none is."""
    shown = [lines[item.pk] for item in group.items]
    persons = {line["person"].pk: line["person"] for line in shown if line["person"]}
    return {
        "key": group.key,
        "persons": [persons[pk] for pk in sorted(persons)],
        "level": group.level,
        "level_label": labels.get(group.level, "") if group.level is not None else "",
        "oldest": group.oldest,
        "lines": shown,
    }


@protected
@never_cache
@require_GET
@pages.needs_catalogue
def worklist(request: HttpRequest, catalogue: Catalogue, ruleset: Ruleset) -> HttpResponse:
    actor = actor_from_request(request)
    labels = pages.level_labels(ruleset, pages.language())
    items = policy.work_items_for(actor)

    def shown() -> tuple[Any, list[WorkGroup], list[WorkItem], list[WorkItem], set[int]]:
        page = lists.page_of(request, WorkGroups(items))
        groups: list[WorkGroup] = list(page.object_list)
        done_items = list(
            items.filter(done_at__isnull=False)
            .select_related(
                "person__organisation",
                "link__person_a__organisation",
                "link__person_b__organisation",
                "done_by",
            )
            .order_by("-done_at", "-pk")[:DONE_SHOWN]
        )
        # Who closed the done lines, read here: not under the access log's lock (the log
        # is written before `build`).
        here = handled_here(done_items, actor.region)
        open_items = [item for group in groups for item in group.items]
        return page, groups, open_items, done_items, here

    def build(read, seen: policy.WorkLines) -> dict[int, dict[str, Any]]:
        _page, _groups, open_items, done_items, here = read
        lines = _lines(open_items + done_items, seen)
        for item in done_items:
            lines[item.pk]["by_other_region"] = item.pk not in here
        return lines

    # The lines, their log entries (records in scope, candidate pairs: one bulk write)
    # and what they show, in one transaction.
    read, lines = policy.read_shown(
        actor,
        shown,
        lambda read: policy.log_work_lines(actor, read[2] + read[3], purpose=PURPOSE_WORKLIST),
        lambda read, seen: (read, build(read, seen)),
    )
    page, groups, open_items, done_items, _here = read
    return pages.render(
        request,
        "coordination/worklist.html",
        {
            "page": page,
            "groups": [_group(group, lines, labels) for group in groups],
            "open_count": len(open_items),
            "done_lines": [lines[item.pk] for item in done_items],
            "done_shown": DONE_SHOWN,
            "lines_field": LINES_FIELD,
            "region": catalogue.regions[actor.region].label.get(pages.language())
            if actor.region in catalogue.regions
            else actor.region,
            "list_notices": lists.notices(page=page),
        },
    )


@protected
@never_cache
@require_POST
def work_done(request: HttpRequest) -> HttpResponse:
    """Mark the chosen lines handled, all or none (actions.mark_done checks each id
    through the policy). No line chosen: a Dutch message on the work list. An id that is
    not a number, another region's line or none at all: a 404 page that says nothing was
    marked (the same for each, so nothing tells whether the line exists elsewhere)."""
    actor = actor_from_request(request)
    back = _back(request)
    chosen = request.POST.getlist(LINES_FIELD)
    if not chosen:
        messages.error(request, _("Choose at least one line."))
        return redirect(back)
    try:
        ids = [lists.whole_number(value) for value in chosen]
        marked = actions.mark_done(actor, ids)
    except (ValueError, Http404):
        return pages.render(request, "coordination/work_not_found.html", {}, status=404)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    if marked:
        count = len(marked)
        messages.success(
            request,
            ngettext(
                "%(count)s line was marked as handled.",
                "%(count)s lines were marked as handled.",
                count,
            )
            % {"count": count},
        )
    already = len(set(ids)) - len(marked)
    if already:
        messages.info(
            request,
            ngettext(
                "%(count)s line was handled already.",
                "%(count)s lines were handled already.",
                already,
            )
            % {"count": already},
        )
    return redirect(back)


def _back(request: HttpRequest) -> str:
    """The work list, on the page the form was sent from (a number, else the first)."""
    address = reverse("coordination:worklist")
    page = request.POST.get(lists.PAGE_PARAMETER, "")
    if page.isdigit() and page != "1" and len(page) < 7:
        return f"{address}?{lists.PAGE_PARAMETER}={page}"
    return address
