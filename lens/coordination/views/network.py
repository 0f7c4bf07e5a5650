"""The zorgcoördinator's network of relations, and recording or ending a relation.

The network page shows, for the records in the zorgcoördinator's need-to-know scope
(`policy.coordinated_persons`), the relations recorded between them: one node per
person across organisations (a cluster of linked records), one edge per pair of related
persons. Each network (a connected group of related persons) is drawn as an SVG made on
the server (lens.coordination.network: a deterministic layout, no JavaScript), with a
text description, and followed by a table of its relations (the same information, for
screen readers and for print). Relations with a record outside the scope are left out
entirely. Every record shown is logged (LIST, "netwerkoverzicht").
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lens.access import policy
from lens.access.actor import actor_from_request
from lens.access.models import Action
from lens.access.routes import protected
from lens.coordination import actions, clusters
from lens.coordination import network as graph
from lens.data import pseudonyms
from lens.data.coordination import PersonRelation, RelationKind
from lens.data.registry import Person
from lens.web import pages
from lens.web.forms import PageForm

# Purposes written to the access log (Dutch whatever the page language).
PURPOSE_NETWORK = "netwerkoverzicht"
PURPOSE_RELATION_FORM = "formulier: relatie vastleggen"

# How many pseudonyms a node shows before "+n" (the list under the drawing has all).
NODE_PSEUDONYMS = 2

# Node colours by combined level; the level is written in the node as well.
_FILL = {"high": "#fde2e1", "consult": "#fff1cc", "low": "#eef2f6"}
_STROKE = {"high": "#a4262c", "consult": "#8a5a00", "low": "#4b5b6b"}


def not_in_view_message() -> str:
    return _("No person with this pseudonym in your view.")


class RelationForm(PageForm):
    other = forms.CharField(
        label=gettext_lazy("Pseudonym of the other person"),
        help_text=gettext_lazy("For example P-AB2C. The other person must be in your view."),
        max_length=20,
        error_messages={"required": gettext_lazy("Fill in the pseudonym of the other person.")},
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Relation"),
        help_text=gettext_lazy(
            "The relation reads from this person to the other one, for example: this "
            "person is the suspected recruiter of the other person. So record a suspected "
            "recruiter on the page of the suspected recruiter."
        ),
        choices=RelationKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose the kind of relation."),
            "invalid_choice": gettext_lazy("Choose one of the options."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        help_text=gettext_lazy("Facts only. No names of others."),
        required=False,
        max_length=actions.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": gettext_lazy("Keep this to %(limit_value)d characters.")},
    )

    def clean_other(self) -> str:
        value = "".join(self.cleaned_data.get("other", "").split()).upper()
        if not pseudonyms.is_pseudonym(value):
            raise ValidationError(not_in_view_message(), code="unknown")
        return value


# --- the network ---------------------------------------------------------------------------


def _level_key(level: int | None) -> str:
    if level is None or level < 2:
        return "low"
    return "consult" if level == 2 else "high"


def _level_text(level: int | None) -> str:
    if level is None:
        return _("no level")
    return _("level %(level)s") % {"level": level}


def _recorded_by(relation: PersonRelation) -> str:
    if relation.recorded_by_organisation is not None:
        return relation.recorded_by_organisation.name
    return _("care coordinator")


def _node(index: int, members: list[Person], position: tuple[float, float]) -> dict[str, Any]:
    levels = [m.combined_level for m in members if m.combined_level is not None]
    level = max(levels) if levels else None
    shown = [m.pseudonym for m in members[:NODE_PSEUDONYMS]]
    more = len(members) - len(shown)
    lines = shown + ([f"+{more}"] if more else [])
    key = _level_key(level)
    x, y = position
    # Text lines centred on the node: pseudonyms, then the level.
    all_lines = [*lines, _level_text(level)]
    step = 14
    top = y - step * (len(all_lines) - 1) / 2
    return {
        "index": index,
        "members": members,
        "level": level,
        "level_text": _level_text(level),
        "label": " / ".join(m.pseudonym for m in members),
        "x": _n(x),
        "y": _n(y),
        "r": _n(graph.NODE_RADIUS),
        "fill": _FILL[key],
        "stroke": _STROKE[key],
        "lines": [
            {"text": text, "y": _n(top + i * step), "level": i == len(all_lines) - 1}
            for i, text in enumerate(all_lines)
        ],
    }


def _n(value: float) -> str:
    """A coordinate for the SVG: never localised (no decimal comma)."""
    return f"{value:.1f}"


def _edges(
    relations: list[PersonRelation], cluster_at: dict[int, int], layout: graph.Layout
) -> list[dict[str, Any]]:
    """One line per related pair of nodes, labelled with its relations; an arrowhead
    points from a suspected recruiter to the young person."""
    labels = dict(RelationKind.choices)
    pairs: dict[tuple[int, int], list[PersonRelation]] = defaultdict(list)
    for relation in relations:
        u, v = cluster_at[relation.person_a_id], cluster_at[relation.person_b_id]
        if u != v:
            pairs[(min(u, v), max(u, v))].append(relation)
    drawn = []
    for (u, v), among in sorted(pairs.items()):
        x1, y1, x2, y2 = graph.segment(layout.positions[u], layout.positions[v], shrink=44)
        recruits = [r for r in among if r.kind == RelationKind.SUSPECTED_RECRUITER]
        forward = any(cluster_at[r.person_a_id] == u for r in recruits)
        backward = any(cluster_at[r.person_a_id] == v for r in recruits)
        kinds = sorted({str(labels[r.kind]) for r in among})
        drawn.append(
            {
                "x1": _n(x1),
                "y1": _n(y1),
                "x2": _n(x2),
                "y2": _n(y2),
                "label": "; ".join(kinds),
                "lx": _n((x1 + x2) / 2),
                "ly": _n((y1 + y2) / 2 - 6),
                "arrow_end": forward,
                "arrow_start": backward,
                "recruiter": bool(recruits),
            }
        )
    return drawn


@protected
@never_cache
@require_GET
def network(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    visible = list(policy.coordinated_persons(actor).select_related("organisation").order_by("pk"))
    by_pk = {p.pk: p for p in visible}
    groups = clusters.clusters_among(visible)
    cluster_at = {pk: index for index, group in enumerate(groups) for pk in group}
    relations = [
        r
        for r in policy.coordinated_relations(actor)
        .select_related("recorded_by_organisation")
        .order_by("recorded_at", "pk")
        if r.person_a_id in by_pk and r.person_b_id in by_pk
    ]
    found = graph.components(
        (cluster_at[r.person_a_id], cluster_at[r.person_b_id]) for r in relations
    )
    labels = dict(RelationKind.choices)
    networks = []
    shown: list[Person] = []
    for number, component in enumerate(found, start=1):
        nodes = set(component.nodes)
        layout = graph.layout(component)
        members = {i: [by_pk[pk] for pk in groups[i]] for i in component.nodes}
        own = [r for r in relations if cluster_at[r.person_a_id] in nodes]
        rows = [
            {
                "relation": r,
                "from": by_pk[r.person_a_id],
                "to": by_pk[r.person_b_id],
                "kind": labels.get(r.kind, r.kind),
                "recorded_by": _recorded_by(r),
            }
            for r in own
        ]
        node_list = [_node(i, members[i], layout.positions[i]) for i in component.nodes]
        networks.append(
            {
                "number": number,
                "width": layout.width,
                "height": layout.height,
                "nodes": node_list,
                "edges": _edges(own, cluster_at, layout),
                "rows": rows,
                "description": _description(node_list, rows),
                "persons": len(component.nodes),
            }
        )
        for i in component.nodes:
            shown.extend(members[i])
    policy.log_coordinated_list(actor, shown, purpose=PURPOSE_NETWORK)
    in_networks = {i for component in found for i in component.nodes}
    return pages.render(
        request,
        "coordination/network.html",
        {
            "networks": networks,
            "isolated": len(groups) - len(in_networks),
            "relation_count": len(relations),
        },
    )


def _description(nodes: list[dict[str, Any]], rows: list[dict[str, Any]]) -> str:
    """What the drawing shows, in words (the SVG's <desc>)."""
    persons = "; ".join(f"{node['label']} ({node['level_text']})" for node in nodes)
    relations = "; ".join(
        f"{row['from'].pseudonym} {row['kind']} {row['to'].pseudonym}" for row in rows
    )
    return _("Persons: %(persons)s. Relations: %(relations)s.") % {
        "persons": persons,
        "relations": relations,
    }


# --- recording a relation ------------------------------------------------------------------


@protected
@never_cache
@require_http_methods(["GET", "POST"])
def relation_new(request: HttpRequest, pseudonym: str) -> HttpResponse:
    """A relation between this person and another person in the zorgcoördinator's view.
    An out-of-scope or unknown other pseudonym is a field error, never telling whether
    the pseudonym exists elsewhere."""
    actor = actor_from_request(request)
    if request.method == "GET":
        person, _members = policy.get_coordinated(actor, pseudonym, purpose=PURPOSE_RELATION_FORM)
    else:
        person = policy.find_coordinated(actor, pseudonym, action=Action.CHANGE)
    form = RelationForm(pages.posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            other = policy.find_coordinated(actor, data["other"], action=Action.CHANGE)
        except Http404:
            form.apply(ValidationError({"other": [not_in_view_message()]}))
        else:
            try:
                actions.record_relation(actor, person, other, data["kind"], data["note"])
            except ValidationError as error:
                pages.apply_error(error, form)
            else:
                messages.success(request, _("The relation was recorded."))
                return redirect("coordination:picture", pseudonym=person.pseudonym)
    status = pages.status(request)
    band = pseudonyms.age_band(person.birth_year, timezone.localdate()) if status == 200 else ""
    return pages.render(
        request,
        "coordination/relation_new.html",
        {
            "person": person,
            "age_band": band,
            "form": form,
            "errors": pages.errors(form),
            "kind_choices": RelationKind.choices,
        },
        status=status,
    )


@protected
@never_cache
@require_POST
def relation_end(request: HttpRequest, relation_id: int) -> HttpResponse:
    """End a relation recorded in error (both records in the zorgcoördinator's view,
    else 404: actions.end_relation checks); back to the network with a message."""
    actor = actor_from_request(request)
    relation = policy.find_relation_for(actor, relation_id)
    try:
        actions.end_relation(actor, relation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The relation was ended. It stays in the history."))
    return redirect("coordination:network")
