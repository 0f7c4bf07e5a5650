"""Settings for Uitbuitingslens.

One file, driven by environment variables, with secure defaults: DEBUG is off unless
asked for, cookies are secure and strict, a Content Security Policy is sent. The
README's "Configuration" section documents every variable read here.
"""

import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

# Reading the environment (and the database from it): lens/settings_env.py.
from lens.settings_env import databases, env_bool, env_int, env_list, env_rate, env_str

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-DEBUG-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Where the embedded database, collected static files and other runtime files live.
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

# The catalogue data files (YAML) that `lens catalogue load` reads.
CATALOGUE_DIR = Path(env_str("CATALOGUE_DIR", str(BASE_DIR / "catalogue")))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "django_tasks_db",
    "lens.core",
    "lens.web",
    "lens.catalogue",
    "lens.check",
    "lens.access",
    "lens.accounts",
    "lens.registry",
    "lens.coordination",
    "lens.picture",
    "lens.cases",
    "lens.api",
    "lens.demo",
    "lens.retention",
    "lens.ops",
]

MIDDLEWARE = [
    # First: HEAD answers as GET without the body, logged as its GET (lens.web.head).
    "lens.web.head.HeadMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A method the page does not declare: 405 with Allow, before the CSRF check (which
    # answered 403 to a PUT on a GET page) (lens.web.methods).
    "lens.web.methods.MethodMiddleware",
    # A form post Django cannot read (too many fields): the project's 400 page, DEBUG or
    # not, before the CSRF check reads it (lens.web.bad_request).
    "lens.web.bad_request.UnreadablePostMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lens.accounts.middleware.SessionEpochMiddleware",  # "log out everywhere"
    "lens.accounts.middleware.IdleTimeoutMiddleware",  # SESSION_IDLE_TIMEOUT
    "lens.accounts.middleware.MembershipMiddleware",  # sets request.membership
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that waited in vain for a database lock: 503 with Retry-After, not a 500.
    "lens.web.busy.BusyMiddleware",
    # Last: lockout after repeated failed logins (django-axes).
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "lens.urls"
WSGI_APPLICATION = "lens.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lens" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lens.accounts.context_processors.membership",
                "lens.core.context_processors.navigation",
                "lens.web.context_processors.languages",
            ],
        },
    },
]

# Database: embedded SQLite (WAL mode) unless DATABASE_URL names another, e.g.
# postgres://user@host:5432/name. Connections are kept open between requests: a new
# connection per request cut throughput about seven-fold on PostgreSQL here. Not under the
# development server (`lens runserver`, `make run`): it answers each request in a thread of
# its own, so a kept connection is never used again and they pile up until PostgreSQL
# refuses more ("too many clients": an outside probe got 500s after 900 requests).
RUNSERVER = sys.argv[1:2] == ["runserver"]
CONN_MAX_AGE = 0 if RUNSERVER else env_int("CONN_MAX_AGE", 600)
DATABASES = databases(VAR_DIR, CONN_MAX_AGE)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Internationalisation: Dutch first, English available under /en/.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "lens" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

# Static files: served by WhiteNoise; hashed names in production.
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Security. Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER_NAME
# (e.g. HTTP_X_FORWARDED_PROTO) so Django knows the request came in over HTTPS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
if env_str("SECURE_PROXY_SSL_HEADER_NAME"):
    SECURE_PROXY_SSL_HEADER = (env_str("SECURE_PROXY_SSL_HEADER_NAME"), "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Strict"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Identity encryption and matching (lens.access.crypto). IDENTITY_KEYS holds the master
# keys as "key-id:base64-32-bytes" pairs separated by commas, the first being the current
# one; or IDENTITY_KEY_FILE names a file with one such pair per line. MATCH_KEY_SECRET is
# the separate secret for the keyed hashes used for matching. With DEBUG on and nothing
# set, development keys are generated once in VAR_DIR.
IDENTITY_KEYS = env_str("IDENTITY_KEYS")
IDENTITY_KEY_FILE = env_str("IDENTITY_KEY_FILE")
MATCH_KEY_SECRET = env_str("MATCH_KEY_SECRET")
# Keyed hash chain of the access log (lens.access.log): a secret of its own.
ACCESS_LOG_KEY = env_str("ACCESS_LOG_KEY")

# Demo mode: demo users and a command that prints their current second-factor code.
# Refused outside DEBUG, so a production deployment cannot run with known accounts.
DEMO_MODE = env_bool("DEMO_MODE", False)
if DEMO_MODE and not DEBUG:
    raise ImproperlyConfigured("DEMO_MODE is for development only and needs DEBUG on.")

# Login: password plus TOTP for every role that can see person data; lockout after
# AXES_FAILURE_LIMIT failures for AXES_COOLOFF_MINUTES; sessions end after
# SESSION_IDLE_TIMEOUT seconds without a request.
# E-mail: the zorgcoördinator's work-list notices (lens.coordination.notify). With DEBUG
# on they are printed to the console; in production set EMAIL_HOST and friends.
SITE_URL = env_str("SITE_URL", "http://localhost:8000")
_MAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
        }
        if _MAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "uitbuitingslens@localhost")

# The public statements (lens.core.statements: /privacy/, /toegankelijkheid/). Each
# organisation that runs an installation is the controller of what it stores and fills
# in its own name and contacts here; empty, the pages name "the organisation that manages
# this installation" in the reader's language.
ORGANISATION_NAME = env_str("ORGANISATION_NAME")
PRIVACY_CONTACT = env_str("PRIVACY_CONTACT")  # e.g. "privacy@gemeente.example.nl, 14 013"
PRIVACY_OFFICER = env_str("PRIVACY_OFFICER")  # the data protection officer (FG)
ACCESSIBILITY_CONTACT = env_str("ACCESSIBILITY_CONTACT")

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"  # by role: the persons, or what the application offers
LOGOUT_REDIRECT_URL = "accounts:login"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
# Lock the username from the address it was attacked from: locking the username alone
# would let anyone lock a colleague out (axes.W006); the second factor guards the rest.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "lens.accounts.views.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every `lens` command
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 15 * 60)

# Retention (README, "Retention"; `lens retention run`): in days, each at least 1.
# A person's record with everything it holds goes after this long without activity of
# the organisation (two years: signals serve a present concern; a closed concern is
# registered anew when it returns).
RETENTION_INACTIVE_DAYS = env_int("RETENTION_INACTIVE_DAYS", 730)
# Login records of django-axes (username, address, time): long enough to see an attack.
RETENTION_LOGIN_RECORDS_DAYS = env_int("RETENTION_LOGIN_RECORDS_DAYS", 90)
# Idempotency records (which request wrote which ids): longer than any client retries.
RETENTION_SUBMISSIONS_DAYS = env_int("RETENTION_SUBMISSIONS_DAYS", 30)
# An open meldcode case keeps its person's record, but not for ever. Without a step or a
# hand-over for this long it is reported for review (`lens retention run`, the
# aandachtsfunctionaris' work list): the meldcode's course takes weeks to months, so half
# a year of silence means a forgotten case, not a slow one.
RETENTION_OPEN_CASE_IDLE_DAYS = env_int("RETENTION_OPEN_CASE_IDLE_DAYS", 180)
# Idle this long, an open case no longer keeps the record: the record goes by the
# inactivity rule like any other (rule `idle_open_case`). Three years: the two years of
# RETENTION_INACTIVE_DAYS plus a year in which the review was asked for.
RETENTION_OPEN_CASE_MAX_IDLE_DAYS = env_int("RETENTION_OPEN_CASE_MAX_IDLE_DAYS", 1095)
for _name in (
    "RETENTION_INACTIVE_DAYS",
    "RETENTION_LOGIN_RECORDS_DAYS",
    "RETENTION_SUBMISSIONS_DAYS",
    "RETENTION_OPEN_CASE_IDLE_DAYS",
    "RETENTION_OPEN_CASE_MAX_IDLE_DAYS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be 1 or more days, not {globals()[_name]}")
if RETENTION_OPEN_CASE_MAX_IDLE_DAYS <= RETENTION_OPEN_CASE_IDLE_DAYS:
    raise ImproperlyConfigured(
        "RETENTION_OPEN_CASE_MAX_IDLE_DAYS must be longer than RETENTION_OPEN_CASE_IDLE_DAYS "
        "(an idle case is reviewed before its record may go)"
    )
# Every tombstone is also written to this file (lens.retention.journal), outside the
# database and its backups, so that `lens restore` deletes again what was erased after a
# backup was taken. Keep it on storage apart from the database, like the keys.
TOMBSTONE_JOURNAL = env_str("TOMBSTONE_JOURNAL", str(VAR_DIR / "tombstones.jsonl"))
# Backups (`lens backup`) older than this are deleted by `lens backup prune DIR`: a backup
# is a copy of person data, kept only as long as a restore may need it.
BACKUP_RETENTION_DAYS = env_int("BACKUP_RETENTION_DAYS", 30)
if BACKUP_RETENTION_DAYS < 1:
    raise ImproperlyConfigured(
        f"BACKUP_RETENTION_DAYS must be 1 or more days, not {BACKUP_RETENTION_DAYS}"
    )
OTP_TOTP_ISSUER = "Uitbuitingslens"

# Background tasks (Django's task framework): the database backend needs no extra server
# and works on SQLite and PostgreSQL; start a worker with `lens worker`.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Cache: the REST API's throttle counts (lens.api.throttling) live here, so the limits hold
# across server processes. CACHE_URL names a Redis server (redis://host:6379/0); without
# it the database is the cache (table lens_cache, made by `lens migrate`): shared by every
# process that shares the database, and no extra server to run.
CACHE_URL = env_str("CACHE_URL")
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "lens")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"CACHE_URL must be a Redis URL (redis://, rediss:// or unix://), not {CACHE_URL!r}"
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lens_cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }


# API throttling per API client (lens.api.throttling), counted in CACHES[API_THROTTLE_CACHE].
# Every operation counts against API_THROTTLE_RATE; revealing an identity and the lens
# engine have a stricter budget of their own as well.
API_THROTTLE_CACHE = "default"
API_THROTTLE_RATES = {
    "api": env_rate("API_THROTTLE_RATE", "600/minute"),
    "reveal": env_rate("API_REVEAL_THROTTLE_RATE", "60/hour"),
    "assess": env_rate("API_ASSESS_THROTTLE_RATE", "60/minute"),
}
# The pages that cost much CPU, counted the same way (lens.web.throttle): the anonymous
# check's PDF summary per address (~0.5 s CPU each; the same answers again come from a
# per-process cache), the local picture's PDF report per user (2-3 s each).
PAGE_THROTTLE_RATES = {
    "summary_pdf": env_rate("SUMMARY_PDF_THROTTLE_RATE", "30/minute"),
    "picture_report": env_rate("PICTURE_REPORT_THROTTLE_RATE", "10/minute"),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["lens.api.auth.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "lens.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Uitbuitingslens API",
    "DESCRIPTION": (
        "Registering signals about pseudonymised persons, for organisations' own systems."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lens.api.schema.add_retry_after",
    ],
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# LOG_FORMAT=json: one JSON object per line (lens.core.logjson); `lens serve` and
# `lens worker` set it unless it is set.
LOG_FORMAT = env_str("LOG_FORMAT", "text").lower()
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"quiet_refusals": {"()": "lens.core.logfilters.QuietRefusals"}},
    "formatters": {"json": {"()": "lens.core.logjson.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"}
        | ({"formatter": "json"} if LOG_FORMAT == "json" else {})
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler (DEBUG only) would print every django.* record a
        # second time beside the root's; the root's handler is the one.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # Refusals (4xx) in one line, without traceback or pseudonym (lens.core.logfilters).
        "django.request": {"filters": ["quiet_refusals"]},
        # Request lines could carry query strings; the check never puts answers in URLs,
        # but keep the server log at warnings only.
        "django.server": {"level": "WARNING"},
        # The PDF renderer (lens.web.pdf) logs each layout step and font at INFO: keep
        # its warnings (a refused URL) only.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
