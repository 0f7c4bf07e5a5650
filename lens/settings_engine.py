"""Settings for the commands that use the lens engine alone (`lens assess`).

The engine signs nothing, stores nothing and reads no person data, so it needs none of
the secrets the server and the person-data commands need: `lens.cli` selects this module
for those commands only, and a throwaway SECRET_KEY stands in for the missing one. Every
other command (the server, `lens users`, `lens identity`, ...) reads lens.settings and
still refuses to start without the secrets.
"""

import os
import secrets

# Only for this process: lens.settings reads it, nothing signed with it outlives the run.
if not os.environ.get("SECRET_KEY"):
    os.environ["SECRET_KEY"] = "engine-only-" + secrets.token_urlsafe(40)

from lens.settings import *  # noqa: F403
