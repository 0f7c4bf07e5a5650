"""The zorgcoördinator's persons and the combined picture of one person across
organisations; naming the lead organisation and asking an organisation for information.

As the registry pages (lens.registry.views), with its helpers:
- every view is wrapped in `routes.protected` (the table in lens.access.routes);
- person data is read only through `lens.access.policy` in its region scope
  (`coordinated_persons` + `log_coordinated_list` for the list, `get_coordinated` for a
  picture, which logs a read of every record of the cluster in the region) and written
  only through `lens.coordination.actions`;
- bad input gets a Dutch message at the field and status 400, and nothing is written;
- a record out of scope (below the threshold and not referred, in another region, or
  unknown) is a 404, never a 403.

The picture is built from the records the policy handed out, by lens.coordination.picture;
of records in other regions it names only their organisation and its contact.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lens.access import policy
from lens.access.actor import Actor, actor_from_request
from lens.access.models import Action
from lens.access.routes import protected
from lens.coordination import actions, clusters, combined, groups
from lens.coordination import picture as building
from lens.data import queries
from lens.data.coordination import CombinedOutcome
from lens.data.registry import Organisation, Person
from lens.rules.model import Catalogue, Ruleset
from lens.web import lists, pages, presentation
from lens.web.forms import PageForm

# Purposes written to the access log for the reads these pages do (Dutch whatever the
# page language, as in lens.registry.views).
PURPOSE_LIST = "overzicht personen in de regio (zorgcoördinator)"
PURPOSE_PICTURE = "gecombineerd beeld"
PURPOSE_ASK_FORM = "formulier: informatieverzoek"


# --- forms ---------------------------------------------------------------------------------


class OrganisationChoiceForm(PageForm):
    """A form with a choice among the organisations involved (with a record in the
    cluster, in the zorgcoördinator's region); `chosen()` is the Organisation."""

    def __init__(self, *args, organisations: list[Organisation], **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        field = self.fields["organisation"]
        # After the field's own choices (a "choose one" line, if any).
        field.choices = [*field.choices, *((str(o.pk), o.name) for o in organisations)]

    def chosen(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]


class LeadForm(OrganisationChoiceForm):
    organisation = forms.ChoiceField(
        label=gettext_lazy("Organisation with the lead"),
        help_text=gettext_lazy(
            "The organisation that coordinates the help for this person. Only the "
            "organisations involved can get the lead."
        ),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose one of the options."),
            "invalid_choice": gettext_lazy("Choose one of the options."),
        },
    )


class AskForm(OrganisationChoiceForm):
    organisation = forms.ChoiceField(
        label=gettext_lazy("Organisation to ask"),
        help_text=gettext_lazy("Its designated officer reads and answers the question."),
        choices=[("", gettext_lazy("Choose an organisation"))],
        error_messages={
            "required": gettext_lazy("Choose the organisation to ask."),
            "invalid_choice": gettext_lazy("Choose one of the options."),
        },
    )
    question = forms.CharField(
        label=gettext_lazy("Your question"),
        help_text=gettext_lazy(
            "Ask only what you need to know to coordinate the help. No names of others, "
            "no diagnoses."
        ),
        max_length=actions.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": gettext_lazy("Write your question."),
            "max_length": gettext_lazy("Keep this to %(limit_value)d characters."),
        },
    )

    def clean_question(self):
        value = self.cleaned_data.get("question", "").strip()
        if not value:
            raise forms.ValidationError(_("Write your question."), code="required")
        return value


def _choice_errors(form: LeadForm) -> list[dict[str, str]]:
    """The error summary of the lead form: its radio buttons' ids end in _0, _1, ..."""
    radio = form["organisation"].auto_id
    return [
        {**error, "target": f"{radio}_0" if error["target"] == radio else error["target"]}
        for error in pages.errors(form)
    ]


# --- the persons in scope ------------------------------------------------------------------


@protected
@never_cache
@require_GET
@pages.needs_catalogue
def persons(request: HttpRequest, catalogue: Catalogue, ruleset: Ruleset) -> HttpResponse:
    """One row per person (cluster of records) in the zorgcoördinator's scope, paged in
    SQL (lens.coordination.groups): the same few queries for 10 rows or 50."""
    actor = actor_from_request(request)
    labels = pages.level_labels(ruleset, pages.language())
    chosen = lists.control(
        request,
        "niveau",
        _("Show level"),
        [("", _("All levels"))]
        + [(str(n), f"{n} · {label}") for n, label in sorted(labels.items())],
    )
    level = chosen.chosen
    found = groups.ScopeGroups(policy.coordinated_persons(actor), int(level) if level else None)

    def shown() -> tuple[Any, list[list[Person]]]:
        page = lists.page_of(request, found)
        return page, list(page.object_list)

    def log_shown(read: tuple[Any, list[list[Person]]]) -> None:
        members = [m for g in read[1] for m in g]
        policy.log_coordinated_list(actor, members, purpose=PURPOSE_LIST)

    # The groups, their log entries and their rows in one transaction.
    page, rows = policy.read_shown(
        actor, shown, log_shown, lambda read, _logged: (read[0], _group_rows(read[1], labels))
    )
    return pages.render(
        request,
        "coordination/persons.html",
        {
            "page": page,
            "rows": rows,
            "levels": sorted(labels.items()),
            "level": level,
            "list_notices": lists.notices([chosen], page),
        },
    )


def _group_rows(shown: list[list[Person]], labels: dict[int, str]) -> list[dict[str, Any]]:
    """The rows of the groups a page of the persons list shows."""
    leads = clusters.current_leads(shown)
    outcomes = {
        o.pk: o
        for o in CombinedOutcome.objects.filter(pk__in=[g[0].combined_outcome_id for g in shown])
    }
    rows = []
    for members, lead in zip(shown, leads, strict=True):
        levels = [m.combined_level for m in members if m.combined_level is not None]
        dates = [m.last_observed for m in members if m.last_observed]
        group_level = max(levels) if levels else None
        rows.append(
            {
                "members": members,
                "level": group_level,
                "last_observed": max(dates) if dates else None,
                "organisations": building.involved_organisations(members),
                "level_label": labels.get(group_level, ""),
                "blind_spots": queries.blind_spot_count(
                    outcomes.get(members[0].combined_outcome_id)
                ),
                "lead": lead,
            }
        )
    return rows


# --- the combined picture ------------------------------------------------------------------


def _relation_rows(
    actor: Actor, relations: list, members: list[Person]
) -> tuple[list[dict[str, Any]], list[Person]]:
    """The relations as the page shows them, and the records at their other ends that
    are in the actor's scope (shown by pseudonym, so the caller logs them). An end out of
    scope is shown as "a person outside your view"."""
    member_pks = {m.pk for m in members}
    ends = {p.pk: p for r in relations for p in (r.person_a, r.person_b)}
    visible = set(
        policy.coordinated_persons(actor).filter(pk__in=list(ends)).values_list("pk", flat=True)
    )
    others = [p for pk, p in sorted(ends.items()) if pk in visible and pk not in member_pks]

    def end(person: Person) -> dict[str, Any]:
        return {
            "person": person if person.pk in visible else None,
            "member": person.pk in member_pks,
        }

    rows = [
        {"relation": r, "a": end(r.person_a), "b": end(r.person_b), "kind": r.get_kind_display()}
        for r in relations
    ]
    return rows, others


def _picture(
    request: HttpRequest,
    actor: Actor,
    pseudonym: str,
    catalogue: Catalogue,
    ruleset: Ruleset,
    *,
    lead_form: LeadForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The picture page of the record `pseudonym` and its cluster, read through the
    policy: the records, what the page shows of them and the log entries in one
    transaction (`policy.get_coordinated`)."""
    context = policy.get_coordinated(
        actor,
        pseudonym,
        purpose=PURPOSE_PICTURE,
        build=lambda found: _picture_context(actor, *found, catalogue, ruleset, lead_form),
    )
    return pages.render(request, "coordination/picture.html", context, status=status)


def _picture_context(
    actor: Actor,
    person: Person,
    members: list[Person],
    catalogue: Catalogue,
    ruleset: Ruleset,
    lead_form: LeadForm | None,
) -> dict[str, Any]:
    """What the picture page shows of `members` (read through the policy)."""
    language = pages.language()
    lang = presentation.page_language(language)
    # The stored combined outcome, as the list shows it (never a live recompute).
    stored = combined.explained(members, actor.region, catalogue, ruleset)
    result, dropped = stored.result, stored.dropped
    involved_rows = building.involved_organisations(members)
    involved = [building.contact(o) for o in involved_rows]
    lead = clusters.current_lead(members)
    if lead_form is None:
        lead_form = LeadForm(
            organisations=involved_rows, initial={"organisation": str(lead.pk) if lead else ""}
        )
    by_signal = building.reporters(building.current_reports(members, catalogue))
    types = {code for spot in result.blind_spots for code in spot.seen_by}
    relation_rows, related = _relation_rows(actor, building.relations(members), members)
    # The other ends of the relations are shown by pseudonym: a LIST entry each.
    policy.log_coordinated_list(actor, related, purpose=PURPOSE_PICTURE)
    regions = catalogue.regions
    context = {
        "person": person,
        "members": members,
        "involved": [
            {"organisation": o, "records": [m for m in members if m.organisation_id == o.pk]}
            for o in involved
        ],
        "lead": lead,
        "lead_form": lead_form,
        "errors": _choice_errors(lead_form) if lead_form.is_bound else [],
        "elsewhere": [
            {
                "organisation": o,
                "region": regions[o.region].label.get(lang) if o.region in regions else o.region,
            }
            for o in building.elsewhere(person, actor.region)
        ],
        **presentation.outcome(catalogue, ruleset, result, language),
        "not_in_catalogue": sorted(dropped),
        "signal_rows": building.signal_rows(catalogue, result, by_signal, lang),
        "matrix": building.matrix(catalogue, by_signal, lang),
        "blind": building.blind_spot_rows(
            catalogue,
            result,
            building.organisations_by_type(actor.region, types),
            set(involved),
            lang,
        ),
        "timeline": building.timeline(members, catalogue, lang),
        "requests": building.information_requests(members),
        "relations": relation_rows,
        "today": timezone.localdate(),
    }
    return context


@protected
@never_cache
@require_GET
@pages.needs_catalogue
def picture(
    request: HttpRequest, pseudonym: str, catalogue: Catalogue, ruleset: Ruleset
) -> HttpResponse:
    return _picture(request, actor_from_request(request), pseudonym, catalogue, ruleset)


@protected
@never_cache
@require_POST
@pages.needs_catalogue
def lead(
    request: HttpRequest, pseudonym: str, catalogue: Catalogue, ruleset: Ruleset
) -> HttpResponse:
    """Name the organisation with the lead; on bad input the picture again, as a 400,
    with the error at the choice (the picture is read, and logged, to show it)."""
    actor = actor_from_request(request)
    person = policy.find_coordinated(actor, pseudonym, action=Action.CHANGE)
    members = clusters.cluster_of(person, region=actor.region)
    form = LeadForm(request.POST, organisations=building.involved_organisations(members))
    if pages.written(lambda: actions.assign_lead(actor, person, form.chosen()), form):
        messages.success(
            request, _("%(organisation)s now has the lead.") % {"organisation": form.chosen().name}
        )
        return redirect("coordination:picture", pseudonym=person.pseudonym)
    return _picture(request, actor, pseudonym, catalogue, ruleset, lead_form=form, status=400)


@protected
@never_cache
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest, pseudonym: str) -> HttpResponse:
    """Ask an involved organisation about its record of the person. Showing the form
    reads the picture's records (logged); a POST only checks the scope: the question
    itself is logged by the actions layer."""
    actor = actor_from_request(request)
    if request.method == "GET":
        person, organisations = policy.get_coordinated(
            actor,
            pseudonym,
            purpose=PURPOSE_ASK_FORM,
            build=lambda found: (found[0], building.involved_organisations(found[1])),
        )
    else:
        person = policy.find_coordinated(actor, pseudonym, action=Action.CREATE)
        members = clusters.cluster_of(person, region=actor.region)
        organisations = building.involved_organisations(members)
    initial = {"organisation": request.GET.get("organisatie", "")}
    form = AskForm(pages.posted(request), organisations=organisations, initial=initial)
    if request.method == "POST" and pages.written(
        lambda: actions.ask_information(
            actor, person, form.chosen(), form.cleaned_data["question"]
        ),
        form,
    ):
        messages.success(
            request,
            _("Your question was sent to %(organisation)s.") % {"organisation": form.chosen().name},
        )
        return redirect("coordination:picture", pseudonym=person.pseudonym)
    return pages.render(
        request,
        "coordination/ask.html",
        {"person": person, "form": form, "errors": pages.errors(form)},
        status=pages.status(request),
    )
