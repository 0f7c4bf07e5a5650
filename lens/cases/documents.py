"""What the case's two documents show (issue 13 §3 and §4), built for a case that was
read through the policy (the caller logged the read):

- the **conversation sheet** (`sheet`): a preparation sheet for the conversation of
  meldcode step 3: what helps and what hinders (seed 002), the ten doubts with their
  answers (seed 003), the non-punishment principle, the person's blind spots from the
  organisation's own outcome, and the region's contacts. The conversation advice comes
  from the catalogue, each part with its sources named;
- the **case report** (`report`): the signals with their dates and organisations (a
  withdrawn registration by its dates and reason only), the outcome with its
  explanation and the catalogue and ruleset versions, the steps taken with the outcome
  level then and the consultations, the hand-overs, the zorgcoördinator's late
  answers, the weighing and the decision. Pseudonymous; the identity only
  when the caller passes one it opened through `lens.access.reveal` (logged there).

Of other organisations the report shows what the person's page shows ("ook betrokken":
the organisation and its contact, never its content); the signals are the own
organisation's, the only ones the case's readers may see.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from lens.access.crypto import Identity
from lens.cases import selectors, texts
from lens.coordination import clusters
from lens.data import pseudonyms, queries
from lens.data.cases import Case
from lens.data.registry import PersonOutcome
from lens.rules.model import Catalogue, Item, Ruleset
from lens.web import pdf, presentation
from lens.web.outcomes import labels, outcome_context

NON_PUNISHMENT = "non_punishment"  # catalogue/conversation.yaml, principles


def _sources(catalogue: Catalogue, items: list[Item]) -> list[dict[str, str]]:
    """The sources of `items`, once each, in the order first named: title and address."""
    seen: dict[str, dict[str, str]] = {}
    for item in items:
        for code in item.sources:
            source = catalogue.sources.get(code)
            if source is not None and code not in seen:
                seen[code] = {"title": source.title, "url": source.url}
    return list(seen.values())


def _header(case: Case) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "case": case,
        "person": case.person,
        "age_band": pseudonyms.age_band(case.person.birth_year, today),
        "organisation": case.organisation,
        "state_label": texts.label(texts.STATES, case.state),
        "made_on": timezone.localtime(),
    }


def _outcome(case: Case, catalogue: Catalogue, ruleset: Ruleset, language: str):
    """The organisation's own latest outcome, drawn as the person page draws it (the
    engine again over the stored input at the stored date), or None without one."""
    stored = PersonOutcome.objects.latest_for(case.person)
    if stored is None:
        return None, None
    return stored, outcome_context(case.person, stored, catalogue, ruleset, language)


def sheet(case: Case, catalogue: Catalogue, ruleset: Ruleset, language: str) -> dict[str, Any]:
    """The conversation sheet's content, in `language` ("nl" or "en")."""
    lang = presentation.page_language(language)
    tips = list(catalogue.conversation_tips.values())
    thresholds = sorted(catalogue.thresholds.values(), key=lambda t: t.number)
    principle = catalogue.principles.get(NON_PUNISHMENT)
    stored, shown = _outcome(case, catalogue, ruleset, lang)
    region = case.organisation.region
    contacts = [
        presentation.contact(c, lang)
        for c in catalogue.contacts_for(region)
        if c.phone != presentation.EMERGENCY_NUMBER
    ]
    return {
        **_header(case),
        # Acute danger (level 4, an acute signal, or the case at its 112 step): the sheet
        # starts with 112, before any advice on the conversation.
        "acute": case.state == "acute" or selectors.acute_danger(stored),
        "helps": [_tip(t, lang) for t in tips if t.kind == "helps"],
        "hinders": [_tip(t, lang) for t in tips if t.kind == "hinders"],
        "tips_sources": _sources(catalogue, tips),
        "thresholds": [
            {"number": t.number, "doubt": t.label.get(lang), "answer": t.explanation.get(lang)}
            for t in thresholds
        ],
        "thresholds_sources": _sources(catalogue, thresholds),
        "principle": {
            "label": principle.label.get(lang),
            "explanation": principle.explanation.get(lang),
        }
        if principle
        else None,
        "principle_sources": _sources(catalogue, [principle] if principle else []),
        "stored": stored,
        "blind_spots": shown["blind_spots"] if shown else None,
        "region": catalogue.regions[region].label.get(lang) if region in catalogue.regions else "",
        "contacts": contacts,
    }


def _tip(tip, language: str) -> dict[str, str]:
    return {"label": tip.label.get(language), "explanation": tip.explanation.get(language)}


def report(
    case: Case,
    catalogue: Catalogue,
    ruleset: Ruleset,
    language: str,
    *,
    identity: Identity | None = None,
    purpose: str = "",
) -> dict[str, Any]:
    """The case report's content, in `language`. `identity` (with the `purpose` it was
    opened for): only when the reader asked for it through the logged reveal."""
    lang = presentation.page_language(language)
    person = case.person
    steps = list(
        case.steps.order_by("number").select_related("by").prefetch_related("consultations")
    )
    page = selectors.case_page(case, steps=steps)
    stored, shown = _outcome(case, catalogue, ruleset, lang)
    entries = sorted(
        queries.timeline(person), key=lambda e: (e.registration.observed_on, e.registration.pk)
    )
    signals = [
        {
            "observed_on": entry.registration.observed_on,
            "organisation": case.organisation.name,
            "how_learned": entry.registration.get_how_learned_display(),
            "signals": labels(catalogue.signals, entry.registration.signals, lang),
            "risk_factors": labels(catalogue.risk_factors, entry.registration.risk_factors, lang),
            "version": entry.registration.version,
        }
        for entry in entries
        if not entry.withdrawn
    ]
    # Withdrawn registrations are named as withdrawn, with when and why, never with their
    # signals: the withdrawal says they should no longer count.
    withdrawn = [
        {
            "observed_on": entry.registration.observed_on,
            "withdrawn_at": entry.registration.withdrawal.withdrawn_at,
            "reason": entry.registration.withdrawal.reason,
        }
        for entry in entries
        if entry.withdrawn
    ]
    members = clusters.cluster_of(person)
    # Every weighing on record, oldest first; the current one is the latest since the
    # latest reopening (those before it are earlier ones).
    weighings = [row for row in page["rows"] if row["answers"]]
    current = [row for row in weighings if not row["earlier"]]
    return {
        **_header(case),
        **page,
        "signals": signals,
        "withdrawn": withdrawn,
        "involved": clusters.other_organisations(person, members),
        "stored": stored,
        "outcome": shown,
        "weighing": current[-1] if current else None,
        "weighings": weighings,
        "has_consultations": any(row["consultations"] for row in page["rows"]),
        "identity": identity,
        "purpose": purpose,
    }


def report_pdf(context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """The case report as PDF bytes (the page and the API make it the same way)."""
    return pdf.render_pdf("cases/report_pdf.html", context, request)  # tagged (pdf.TAGGED)


def report_filename(case: Case) -> str:
    stamp = timezone.localdate().isoformat()
    return f"casusrapport-{case.person.pseudonym}-{case.pk}-{stamp}.pdf"
