"""The project as lens/settings.py and lens/urls.py wire it: every app's pages under their
real prefix, every request through the real middleware stack, and the context processors'
output on a rendered page.

No test here (nor anywhere in tests/) patches MIDDLEWARE, TEMPLATES, INSTALLED_APPS or
ROOT_URLCONF: each of these tests fails when an include, a middleware or a context
processor goes missing from the real settings.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation

from lens.access import routes
from lens.accounts import session as account_session
from lens.data.registry import Role
from tests.login import log_in
from tests.registry import factories

# Where lens/urls.py mounts each app: (a URL name, its Dutch path, its English path; None
# where the app has no language prefix).
PREFIXES = [
    ("healthz", "/healthz", None),
    ("readyz", "/readyz", None),
    ("api:persons", "/api/v1/persons", None),
    ("check:start", "/", "/en/"),
    ("accounts:login", "/accounts/login/", "/en/accounts/login/"),
    ("core:home", "/welkom/", "/en/welkom/"),
    ("registry:persons", "/registratie/", "/en/registratie/"),
    ("coordination:worklist", "/regie/", "/en/regie/"),
    ("beheer:audit", "/beheer/audit/", "/en/beheer/audit/"),
]

# The middleware the pages rely on, in the order they rely on it (a subsequence of
# settings.MIDDLEWARE: other entries may come in between).
MIDDLEWARE_ORDER = [
    "django.middleware.security.SecurityMiddleware",  # first: headers on every answer
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, before sessions
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # after sessions, before common
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # needs request.user
    "lens.accounts.middleware.SessionEpochMiddleware",  # needs the OTP-verified user
    "lens.accounts.middleware.IdleTimeoutMiddleware",
    "lens.accounts.middleware.MembershipMiddleware",  # sets request.membership
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last (django-axes' documentation)
]


def dutch(name: str, **kwargs) -> str:
    with translation.override("nl"):
        return reverse(name, **kwargs)


def test_the_tests_run_with_the_project_settings():
    assert settings.SETTINGS_MODULE == "lens.settings"
    assert settings.ROOT_URLCONF == "lens.urls"


@pytest.mark.parametrize(("name", "path", "english"), PREFIXES)
def test_every_app_is_included_under_its_real_prefix(name, path, english):
    assert dutch(name) == path
    with translation.override("nl"):
        assert resolve(path).view_name == name
    if english:
        with translation.override("en"):
            assert reverse(name) == english
            assert resolve(english).view_name == name


def project_urls(patterns=None, namespace=""):
    """(name, pattern) of every named URL of lens/urls.py outside the REST API."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if inner != f"{routes.API_NAMESPACE}:":
                yield from project_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def example_kwargs(pattern: URLPattern) -> dict[str, object]:
    """Made-up values for a URL's parameters (the objects need not exist: an anonymous
    request never gets as far as looking them up)."""
    converters = pattern.pattern.converters
    return {
        key: 1 if type(converter).__name__ == "IntConverter" else "XK7-QP4"
        for key, converter in converters.items()
    }


PROTECTED = sorted(
    (name, example_kwargs(pattern))
    for name, pattern in project_urls()
    if name in routes.ROUTES and not routes.ROUTES[name].public
)


def test_every_app_has_protected_pages():
    apps = {name.split(":")[0] for name, _ in PROTECTED}
    assert {"accounts", "core", "registry", "coordination"} <= apps


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), PROTECTED, ids=[n for n, _ in PROTECTED])
def test_protected_pages_send_anonymous_visitors_to_the_login(client, name, kwargs):
    path = dutch(name, kwargs=kwargs)
    response = client.get(path)
    if response.status_code == 405:  # a form's target: POST only
        response = client.post(path)
    assert response.status_code == 302, (path, response.status_code)
    login = dutch("accounts:login")
    assert response["Location"].startswith(login), response["Location"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_middleware_is_present_in_the_order_the_pages_rely_on():
    present = [m for m in settings.MIDDLEWARE if m in MIDDLEWARE_ORDER]
    assert present == MIDDLEWARE_ORDER


SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",  # XFrameOptionsMiddleware
    "X-Content-Type-Options": "nosniff",  # SecurityMiddleware
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.mark.django_db
def test_anonymous_pages_carry_the_security_headers(client, loaded_catalogue):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    for header, value in SECURITY_HEADERS.items():
        assert response[header] == value, header
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["Strict-Transport-Security"].startswith("max-age=")
    assert "Accept-Language" in response["Vary"]  # LocaleMiddleware


@pytest.fixture
def professional(loaded_catalogue):
    organisation = factories.organisation("Synthetische Bedradingsschool")
    return factories.membership(Role.PROFESSIONAL, organisation)


def test_paths_without_a_slash_are_redirected(client):
    response = client.get("/registratie")  # CommonMiddleware, APPEND_SLASH
    assert response.status_code == 301
    assert response["Location"] == "/registratie/"


@pytest.mark.django_db
def test_a_logged_in_page_goes_through_the_whole_stack(client, professional):
    log_in(client, professional.user, professional)
    response = client.get(dutch("registry:persons"))
    assert response.status_code == 200
    assert response.wsgi_request.user == professional.user  # AuthenticationMiddleware
    assert response.wsgi_request.user.is_verified()  # OTPMiddleware
    assert response.wsgi_request.membership == professional  # MembershipMiddleware
    for header, value in SECURITY_HEADERS.items():
        assert response[header] == value, header
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_an_idle_session_is_logged_out(client, professional):
    log_in(client, professional.user, professional)
    session = client.session
    session[account_session.LAST_SEEN_KEY] -= settings.SESSION_IDLE_TIMEOUT + 1
    session.save()
    response = client.get(dutch("registry:persons"))  # IdleTimeoutMiddleware
    assert response.status_code == 302
    assert response["Location"].startswith(dutch("accounts:login"))


@pytest.mark.django_db
def test_the_context_processors_fill_the_page_frame(client, professional):
    log_in(client, professional.user, professional)
    body = client.get("/en/registratie/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))
    # lens.accounts.context_processors.membership: the header's account block
    assert 'class="lens-account"' in body
    assert "Professional · Synthetische Bedradingsschool" in text
    # lens.core.context_processors.navigation: the main menu of the role
    menu = re.search(r'<ul class="utrecht-nav-list lens-nav__list">(.*?)</ul>', body, re.S)
    assert menu is not None
    assert 'href="/en/registratie/nieuw/"' in menu.group(1)


@pytest.mark.django_db
def test_forms_without_a_csrf_token_are_refused(professional):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(dutch("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    log_in(browser, professional.user, professional)
    response = browser.post(dutch("registry:register"), {})
    assert response.status_code == 403
    response = browser.post(dutch("accounts:logout"))
    assert response.status_code == 403
    assert browser.get(dutch("registry:persons")).status_code == 200  # still logged in


@pytest.mark.django_db
def test_a_session_without_the_second_factor_is_logged_out(client, professional):
    client.force_login(professional.user)  # no OTP device, epoch or last-seen time
    response = client.get(dutch("registry:persons"))
    assert response.status_code == 302
    assert response["Location"].startswith(dutch("accounts:login"))


@pytest.mark.django_db
def test_a_page_outside_the_role_answers_403_in_dutch_in_the_page_frame(client, professional):
    log_in(client, professional.user, professional)
    response = client.get(dutch("beheer:audit"))
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="nl"' in page
    assert "Niet beschikbaar voor uw rol" in page
    assert "Synthetische Bedradingsschool" in page  # the frame's account block


@pytest.mark.django_db
def test_a_form_without_its_token_answers_403_in_dutch():
    response = Client(enforce_csrf_checks=True).post(
        dutch("accounts:login"), {"username": "x", "password": "y"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="nl"' in page
    assert "Het formulier is verlopen" in page
