"""Synthetic demo content for `lens demo`: organisations, users for every role, persons.

Nothing here is a real person or organisation. `world` makes the organisations and the
demo accounts, `persons` plans and registers the persons through the actions layer (so
the access log shows the demo users' writes), `coordination` adds the work across
organisations for the zorgcoördinator (near-duplicates, a linked person with a lead and
information requests, a suspected recruiter's network, referrals), `texts` holds the
invented notes.
"""

from .coordination import CoordinationReport, build_coordination, max_planned_persons
from .persons import Planner, Report, build_persons
from .world import DEMO_PASSWORD, ORGANISATIONS, World, ensure_world, user_specs

__all__ = [
    "DEMO_PASSWORD",
    "ORGANISATIONS",
    "CoordinationReport",
    "Planner",
    "Report",
    "World",
    "build_coordination",
    "build_persons",
    "ensure_world",
    "max_planned_persons",
    "user_specs",
]
