"""The zorgcoördinator's work list: marking lines handled."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.access import policy
from lens.access.models import Action
from lens.data.coordination import WorkItem

if TYPE_CHECKING:
    from lens.access.actor import Actor


def mark_done(actor: Actor, item_ids: list[int]) -> list[WorkItem]:
    """Mark work-list lines handled (the zorgcoördinator of their region), several at
    once: each id is checked through the policy (403 for the role, 404 when one is another
    region's line or unknown: then none is marked). Lines handled already stay as they
    were; the others are marked in one update. Returns the lines marked now."""
    if not item_ids:
        raise ValidationError({"items": [_("Choose at least one line.")]})
    with transaction.atomic():
        items = policy.find_work_items_for(actor, item_ids, action=Action.CHANGE, lock=True)
        now, by = timezone.now(), actor.author()
        marked = [item for item in items if item.done_at is None]
        for item in marked:
            item.done_at, item.done_by = now, by
        WorkItem.objects.bulk_update(marked, ["done_at", "done_by"])
    return marked
