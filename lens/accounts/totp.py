"""The second factor: TOTP codes from an authenticator app (django-otp).

Policy: every account needs the second factor, whatever its roles. The issue demands it
for the roles that can see person data (PERSON_DATA_ROLES); we ask it of the analist and
the beheerder too, because a beheerder manages users and memberships (and so could give
themselves a person-data role), and one rule for everybody leaves no path that depends
on which memberships a user happens to hold at login time.
"""

from __future__ import annotations

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def needs_second_factor(user) -> bool:
    """Every user needs one (see the module docstring for why not only person-data roles)."""
    return True


def confirmed_devices(user) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk"))


def format_code(device: TOTPDevice, token: int) -> str:
    return f"{token:0{device.digits}d}"


def usable_code(device: TOTPDevice, at: float | None = None) -> tuple[str, int]:
    """The code the device accepts now, and for how many more seconds it is valid.

    A code is accepted once (django-otp remembers the last time step used); when the
    current one was used already, the next step's code is given, which the device's
    tolerance accepts. For the demo command and tests.
    """
    moment = time.time() if at is None else at
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = moment
    current = totp.t()
    ahead = max(0, device.last_t + 1 - current)
    if ahead > device.tolerance:
        raise ValueError("every code within the tolerance has been used; wait a moment")
    totp.time = moment + ahead * device.step
    seconds_left = device.step - int(moment - device.t0) % device.step + ahead * device.step
    return format_code(device, totp.token()), seconds_left
