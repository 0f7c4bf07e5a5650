"""The project's URLs, plus the accounts and registry pages when lens/urls.py does not
include them yet (each is added at the path lens/urls.py will use). Once lens/urls.py
includes both, this is exactly the project's URLconf."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLResolver, include, path

from lens import urls as project


def _namespaces(patterns) -> set[str]:
    found: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace:
                found.add(pattern.namespace)
            found |= _namespaces(pattern.url_patterns)
    return found


_present = _namespaces(project.urlpatterns)
_missing = []
if "accounts" not in _present:
    _missing.append(path("accounts/", include("lens.accounts.urls")))
if "registry" not in _present:
    _missing.append(path("registratie/", include("lens.registry.urls")))

urlpatterns = [
    *project.urlpatterns,
    *(i18n_patterns(*_missing, prefix_default_language=False) if _missing else []),
]
