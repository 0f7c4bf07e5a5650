"""Synthetic demo content for `lens demo`: organisations, users for every role, persons.

Nothing here is a real person or organisation. `world` makes the organisations and the
demo accounts, `persons` plans and registers the persons through the actions layer (so
the access log shows the demo users' writes), `texts` holds the invented notes.
"""

from .persons import Planner, Report, build_persons
from .world import DEMO_PASSWORD, ORGANISATIONS, World, ensure_world, user_specs

__all__ = [
    "DEMO_PASSWORD",
    "ORGANISATIONS",
    "Planner",
    "Report",
    "World",
    "build_persons",
    "ensure_world",
    "user_specs",
]
