"""Test environment defaults, set before Django reads its settings.

Loaded as a pytest plugin (`-p tests.pytest_env` in pyproject's addopts), so it runs
before pytest-django configures Django. Only defaults: a variable set in the shell
(e.g. DATABASE_URL for the PostgreSQL run) wins.
"""

import atexit
import base64
import os
import shutil
import tempfile

_var_dir = tempfile.mkdtemp(prefix="lens-tests-")
os.makedirs(os.path.join(_var_dir, "staticfiles"))  # WhiteNoise expects STATIC_ROOT
atexit.register(shutil.rmtree, _var_dir, ignore_errors=True)

for name, value in {
    "SECRET_KEY": "tests-only-not-secret-" + "x" * 40,
    "DEBUG": "0",  # test what production runs
    "SECURE_SSL_REDIRECT": "0",  # the test client speaks plain HTTP
    "STATIC_MANIFEST": "0",  # no collectstatic needed
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "VAR_DIR": _var_dir,
    # Synthetic test secrets (never used outside tests).
    "IDENTITY_KEYS": "test1:" + base64.b64encode(b"t" * 32).decode(),
    "MATCH_KEY_SECRET": "tests-only-match-key-secret",
    "ACCESS_LOG_KEY": "tests-only-access-log-key",
    "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
    # High API budgets, so that no test is throttled by the requests of others; the
    # throttling tests set low ones (tests/api/test_throttling.py).
    "API_THROTTLE_RATE": "100000/minute",
    "API_REVEAL_THROTTLE_RATE": "100000/minute",
    "API_ASSESS_THROTTLE_RATE": "100000/minute",
}.items():
    os.environ.setdefault(name, value)
