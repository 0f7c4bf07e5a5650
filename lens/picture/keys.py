"""The record keys' secret: the installation's own, outside the database (the cell-key
noise of lens.insight.disclosure). One place for the read path and the maintenance."""

from __future__ import annotations

from django.conf import settings


def secret() -> bytes:
    return ("lens.picture.record-key:" + settings.SECRET_KEY).encode()
