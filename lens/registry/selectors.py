"""Read models of the registry, built once for the pages and for the API: the list of the
organisation's persons, a person's overview and the "ook betrokken" block.

Every read of person data goes through lens.access.policy: `persons` scopes the list to
what the actor may list, `person_page` logs the rows a page shows (one bulk insert),
`person_overview` reads the person with the read logged. Each answers in a constant
number of queries, whatever the number of rows (tests/registry/test_query_counts.py).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, QuerySet, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from lens.access import policy
from lens.coordination import clusters
from lens.data import pseudonyms, queries
from lens.data.coordination import RelationKind
from lens.data.prepared import Compiled, compiled, prepared
from lens.data.registry import (
    InformedNotice,
    Organisation,
    Person,
    PersonOutcome,
    Registration,
)
from lens.web import lists

if TYPE_CHECKING:
    from lens.access.actor import Actor

# The orders of the persons list (the pages and the API name them in their own words).
NEWEST_SIGNAL = "newest_signal"  # the latest current signal first (the default)
HIGHEST_LEVEL = "highest_level"  # the highest advice level first, then the newest signal
PSEUDONYM = "pseudonym"
SORTS = (NEWEST_SIGNAL, HIGHEST_LEVEL, PSEUDONYM)
ORDERINGS = {
    NEWEST_SIGNAL: (F("last_observed").desc(nulls_last=True), "pseudonym"),
    HIGHEST_LEVEL: (
        F("latest_level").desc(nulls_last=True),
        F("last_observed").desc(nulls_last=True),
        "pseudonym",
    ),
    PSEUDONYM: ("pseudonym",),
}
MAX_MONTHS = 120  # the longest "signal within the last N months" a list is asked for
# The Person columns a list row reads: the pseudonym (shown, logged), the organisation
# (the policy's scope check) and the birth year (the age band).
ROW_FIELDS = ("pseudonym", "organisation_id", "birth_year")


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day if shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


# --- the persons list ----------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    """One row of the persons list: no name, no identity."""

    person: Person
    age_band: str
    level: int | None
    last_observed: date | None
    blind_spots: int | None

    @property
    def pseudonym(self) -> str:
        return self.person.pseudonym


# The persons list's rows before the policy scopes them: every person with the
# annotations of `with_overview` (building its three subqueries cost about 0.9 ms a
# request) and the columns a row shows or logs: not the encrypted identity (four binary
# columns) nor the match keys, which no list reads.
_list_rows = prepared(lambda: queries.with_overview(Person.objects.all()).only(*ROW_FIELDS))


def persons(
    actor: Actor,
    *,
    level: int | None = None,
    signal_within_months: int | None = None,
    sort: str = NEWEST_SIGNAL,
) -> QuerySet[Person]:
    """The persons the actor may list, each annotated with its latest level and last
    signal (lens.data.queries.with_overview), filtered and ordered; nothing is logged
    until `person_page` builds the rows a page shows. One query, however it is paged."""
    if sort not in ORDERINGS:
        raise ValueError(f"sort must be one of {SORTS}")
    since = None
    if signal_within_months:
        since = months_before(timezone.localdate(), signal_within_months)
    return _narrowed(policy.visible_persons(actor, among=_list_rows()), level, since, sort)


def _narrowed(rows: QuerySet[Person], level: int | None, since: date | None, sort: str):
    if level is not None:
        rows = rows.filter(latest_level=level)
    if since is not None:
        rows = rows.filter(last_observed__gte=since)
    return rows.order_by(*ORDERINGS[sort])


# Pages of the persons list without the "recent signal" filter (whose date changes every
# day), each with the list's length (lists.counted): compiled once per process for each
# order, with or without a level, and each of the first pages (the offset is in the SQL).
_COMPILED_PAGES = 10
_compiled_pages: dict[tuple[str, bool, int, int], Compiled[Person]] = {}


def persons_read(
    actor: Actor,
    *,
    level: int | None = None,
    signal_within_months: int | None = None,
    sort: str = NEWEST_SIGNAL,
) -> Callable[[int, int], list[Person] | None]:
    """What `lists.page_of(..., read=)` reads a page of `persons(...)` with (the same
    arguments): the same rows of the same query, compiled once per process, for a list
    without the "recent signal" filter; None (slice the queryset) for any other."""
    organisation = policy.listed_organisation(actor)

    def read(bottom: int, size: int) -> list[Person] | None:
        if organisation is None or signal_within_months or bottom >= _COMPILED_PAGES * size:
            return None
        key = (sort, level is not None, bottom, size)
        query = _compiled_pages.get(key)
        if query is None:
            query = _compiled_pages[key] = _page_query(*key)
        return query(organisation, *([] if level is None else [level]))

    return read


def _page_query(sort: str, by_level: bool, bottom: int, size: int) -> Compiled[Person]:
    def build(organisation, level=None):
        rows = policy.in_organisation(_list_rows(), organisation)
        return lists.counted(_narrowed(rows, level, None, sort))[bottom : bottom + size]

    return compiled(build, int, *([int] if by_level else []))


def person_page[Page](
    actor: Actor, paginate: Callable[[], tuple[Page, list[Person]]], *, purpose: str
) -> tuple[Page, list[PersonRow]]:
    """One page of the persons list: `paginate()` reads the page (of `persons`) and the
    persons it shows; each is logged as a LIST read for `purpose` in one bulk insert, and
    built into its row, all in one transaction (lens.access.policy_reads.read_shown: no
    log entry, no row). One query for the page, one for the log."""
    today = timezone.localdate()

    def build(read: tuple[Page, list[Person]], _logged: None) -> tuple[Page, list[PersonRow]]:
        page, shown = read
        return page, [
            PersonRow(
                person=p,
                age_band=pseudonyms.age_band(p.birth_year, today),
                level=p.latest_level,
                last_observed=p.last_observed,
                blind_spots=p.latest_blind_spots,
            )
            for p in shown
        ]

    return policy.read_shown(
        actor, paginate, lambda read: policy.log_list(actor, read[1], purpose=purpose), build
    )


# --- "ook betrokken" -----------------------------------------------------------------------


@dataclass(frozen=True)
class Involved:
    """Across organisations (docs/design/coordination.md): the other organisations with a
    linked record of the person, by name with their contact (never their pseudonym,
    signals or notes), and the organisation with the lead (None when nobody was named)."""

    members: list[Person]
    organisations: list[Organisation]
    lead: Organisation | None


def involved(person: Person) -> Involved:
    """The "ook betrokken" block of a person already read through the policy."""
    members, lead = clusters.cluster_and_lead(person)  # one query for both
    return Involved(
        members=members,
        organisations=clusters.other_organisations(person, members),
        lead=lead,
    )


# --- a person's overview -------------------------------------------------------------------


@dataclass(frozen=True)
class PersonOverview:
    """What a person's page and the API's person detail both show: the pseudonym and age
    band, the latest stored outcome, the latest informing record and who else is
    involved. Never the identity."""

    person: Person
    age_band: str
    possibly_under_16: bool
    outcome: PersonOutcome | None
    informed: InformedNotice | None
    involved: Involved


def person_overview[Built](
    actor: Actor,
    pseudonym: str,
    *,
    purpose: str,
    more: Callable[[PersonOverview], Built] | None = None,
    shown: Callable[[Built], Iterable[policy.Read]] | None = None,
) -> PersonOverview | Built:
    """The overview of the actor's person `pseudonym`, read through the policy (the read
    logged for `purpose`; 404 outside the actor's scope, 403 for the role). With `more`,
    what `more(overview)` reads besides (a page's other parts), in the same transaction
    as the read and its log entry (lens.access.policy_reads): no log entry, no data.
    `shown(built)`: the other records `more` shows (the relations' other ends), logged
    in the same bulk write."""

    def build(person: Person) -> PersonOverview | Built:
        overview = overview_of(person)
        return overview if more is None else more(overview)

    return policy.get_person(actor, pseudonym, purpose=purpose, build=build, shown=shown)


def overview_of(person: Person) -> PersonOverview:
    """The overview of a person read through the policy."""
    today = timezone.localdate()
    return PersonOverview(
        person=person,
        age_band=pseudonyms.age_band(person.birth_year, today),
        possibly_under_16=pseudonyms.possibly_under_16(person.birth_year, today),
        outcome=queries.latest_outcome(person),
        informed=queries.latest_informed(person),
        involved=involved(person),
    )


# --- the newest registrations ----------------------------------------------------------------


def newest_registrations(person: Person, number: int, size: int) -> tuple[list[Registration], int]:
    """Page `number` (from 1) of the current registrations of a person read through the
    policy, counted from the newest observation, `size` a page, listed oldest first (as
    the whole list was before it was paged); and how many current registrations there
    are. One query (two when the page is past the last)."""
    bottom = (number - 1) * size
    if bottom + size > lists.LAST_OFFSET:  # past any list: counted on its own
        return [], queries.current_registrations(person).count()
    found = list(
        Registration.objects.current_of(person)
        .annotate(lens_total=Window(Count("*")))
        .order_by("-observed_on", "-pk")[bottom : bottom + size]
    )
    if found:
        total = found[0].lens_total
    else:  # an empty list has an empty page 1; past the last page, count them
        total = 0 if number == 1 else queries.current_registrations(person).count()
    return found[::-1], total


# --- relations ----------------------------------------------------------------------------


def relations(actor: Actor, person: Person) -> list[dict[str, Any]]:
    """The relations of a record read through the policy that the actor may see
    (policy.relations_of decides: the other end named only when it is an own record, a
    note only when the own organisation recorded it), each with its label in words: a
    suspected recruiter reads from the recruiter's record to the other. Each row keeps
    what the policy let it show (`seen`), for the log (`relations_read`)."""
    rows = []
    for seen in policy.relations_of(actor, person):
        relation = seen.relation
        if relation.kind == RelationKind.SUSPECTED_RECRUITER:
            label = (
                _("This person is a suspected recruiter of")
                if seen.this_is_a
                else _("Suspected recruiter of this person")
            )
        else:
            label = relation.get_kind_display()
        rows.append(
            {
                "relation": relation,
                "label": label,
                "other": seen.other.pseudonym if seen.other else "",
                "by_coordinator": seen.by_coordinator,
                "note": seen.note,
                "end_reason": seen.end_reason,
                "end_note": seen.end_note,
                "may_end": seen.may_end,
                "seen": seen,
            }
        )
    return rows


def relations_read(rows: Iterable[dict[str, Any]]) -> list[policy.Read]:
    """The reads of the records the relation rows name besides the opened one."""
    return policy.relations_shown(row["seen"] for row in rows)
