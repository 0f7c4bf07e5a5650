"""The zorgcoördinator's work list: what is new in their region (a record also known at
another organisation, a possible match, a referral, an answered information request, a
person whose combined level reached 2), and marking a line handled.

As the registry pages (lens.registry.views): every view is wrapped in
`routes.protected`; what the list shows of a record goes through `lens.access.policy`
and is logged (LIST) for the records shown; writes go through
`lens.coordination.actions`.

Need to know holds on the list too. A line about a record in the zorgcoördinator's scope
(`policy.coordinated_persons`: combined level 2 or higher, or referred) shows its
pseudonym and leads to the combined picture. A line about a record below the threshold
says so, without a pseudonym: the organisations keep the lead there. A possible match
shows its pair as the list of possible matches does (`policy.visible_links`: the
pseudonyms of the own region's records, logged by `policy.log_links`, and of a record in
another region only that region), and leads to the page where it is decided; a line
whose link the zorgcoördinator may no longer see (confirmed, out of scope) does not.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lens.access import policy
from lens.access.actor import Actor, actor_from_request
from lens.access.routes import protected
from lens.coordination import actions
from lens.coordination.views import link_rows
from lens.data.coordination import CombinedOutcome, WorkItem, WorkKind
from lens.data.registry import Person
from lens.rules.model import Catalogue, Ruleset
from lens.web import pages

# The purpose written to the access log for the records the list shows (Dutch).
PURPOSE_WORKLIST = "werklijst zorgcoördinator"
# Handled lines stay on the page for a while, the newest first: this many.
DONE_SHOWN = 20


def _latest_levels(pks: set[int]) -> dict[int, int | None]:
    """The latest combined level of each record (as `combined.latest`), in one query."""
    level = CombinedOutcome.objects.latest_value("level")
    rows = Person.objects.filter(pk__in=pks).annotate(level=level)
    return dict(rows.values_list("pk", "level"))


def _lines(actor: Actor, items: list[WorkItem], labels: dict[int, str]) -> list[dict[str, Any]]:
    """The work list's lines; logs what they show (records in scope, candidate pairs)."""
    # Each line names the record in its own region (lens.coordination.notify).
    records = {item.pk: item.person for item in items}
    pks = {record.pk for record in records.values()}
    # What each line may show, logged in one bulk write (policy.log_work_lines).
    seen = policy.log_work_lines(actor, items, purpose=PURPOSE_WORKLIST)
    in_scope = seen.named
    levels = _latest_levels(pks)
    accesses = list(seen.links.values())
    candidates = {pk: access.link for pk, access in seen.links.items()}
    regions = link_rows.region_names(accesses)
    pairs = {
        access.link.pk: tuple(
            link_rows.record_label(access, person, regions)
            for person in (access.link.person_a, access.link.person_b)
        )
        for access in accesses
    }
    lines = []
    for item in items:
        record = records[item.pk]
        level = levels.get(record.pk)
        lines.append(
            {
                "item": item,
                "kind": item.get_kind_display(),
                "candidate": item.link if item.link_id in candidates else None,
                "pair": pairs.get(item.link_id),
                "person": record if record.pk in in_scope else None,
                "level": level,
                "level_label": labels.get(level, "") if level is not None else "",
            }
        )
    return lines


@protected
@never_cache
@require_GET
@pages.needs_catalogue
def worklist(request: HttpRequest, catalogue: Catalogue, ruleset: Ruleset) -> HttpResponse:
    actor = actor_from_request(request)
    labels = pages.level_labels(ruleset, pages.language())
    items = policy.work_items_for(actor).select_related(
        "person__organisation",
        "link__person_a__organisation",
        "link__person_b__organisation",
        "done_by",
    )
    open_items = list(items.filter(done_at__isnull=True).order_by("-created_at", "-pk"))
    done_items = list(items.filter(done_at__isnull=False).order_by("-done_at", "-pk")[:DONE_SHOWN])
    lines = _lines(actor, open_items + done_items, labels)
    return pages.render(
        request,
        "coordination/worklist.html",
        {
            "open_lines": lines[: len(open_items)],
            "done_lines": lines[len(open_items) :],
            "done_shown": DONE_SHOWN,
            "region": catalogue.regions[actor.region].label.get(pages.language())
            if actor.region in catalogue.regions
            else actor.region,
            "candidate_kind": WorkKind.CANDIDATE,
        },
    )


@protected
@never_cache
@require_POST
def work_done(request: HttpRequest, item_id: int) -> HttpResponse:
    """Mark a line handled; another region's line (or none at all) is a 404."""
    actor = actor_from_request(request)
    if actions.mark_done(actor, [item_id]):  # 404 from the policy for another region's
        messages.success(request, _("The line was marked as handled."))
    else:
        messages.info(request, _("This line was handled already."))
    return redirect("coordination:worklist")
