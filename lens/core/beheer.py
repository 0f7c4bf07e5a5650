"""The beheerder's pages: today one, the audit record of the beheerder's writes.

Read only: the writes themselves are done with the `lens` command (lens.accounts.audit
explains who is recorded as doing them). The page shows no person data: objects are
named by type and id. Two queries whatever the page size: a count and one page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lens.access.routes import protected
from lens.accounts.models import AuditRecord
from lens.data.registry import Role
from lens.web import lists, pages

AUDIT_PAGE_SIZE = 50


@protected
@never_cache
@require_safe
def audit(request: HttpRequest) -> HttpResponse:
    records = AuditRecord.objects.order_by("-id")
    page = lists.page_of(request, records, AUDIT_PAGE_SIZE)
    roles = dict(Role.choices)
    objects = _object_labels()
    rows = [
        {
            "record": record,
            "by": (
                _("command line (%(os_user)s)") % {"os_user": record.os_user}
                if record.user_id is None
                else f"{record.username} ({roles.get(record.role, record.role)})"
            ),
            "what": record.get_kind_display(),
            "object": objects.get(record.object_type, record.object_type),
        }
        for record in page.object_list
    ]
    notices = lists.notices(page=page)
    return render(
        request,
        "core/audit.html",
        {"page": page, "rows": rows, "list_notices": notices},
        status=pages.status_of(notices),
    )


def _object_labels() -> dict[str, str]:
    return {
        "organisation": _("organisation"),
        "user": _("user"),
        "membership": _("membership"),
        "apiclient": _("API client"),
        "person": _("persons"),
        "catalogueversion": _("catalogue version"),
        "rulesetversion": _("ruleset version"),
        "period": _("period"),
        "picture": _("local picture"),
    }
