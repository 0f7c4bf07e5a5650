import os
from pathlib import Path

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def sqlite_files_private(sender, connection, **kwargs) -> None:
    """The embedded database holds person data (pseudonymised, identities encrypted): its
    files are for the server's user alone (0600), whatever the umask made them."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for path in (Path(name), Path(name + "-wal"), Path(name + "-shm")):
        if path.exists() and path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)


class CoreConfig(AppConfig):
    name = "lens.core"
    label = "core"
    verbose_name = "Uitbuitingslens"

    def ready(self) -> None:
        connection_created.connect(sqlite_files_private, dispatch_uid="lens-sqlite-private")
