"""The project's URLs with the API mounted as lens/urls.py mounts it (at api/v1/, outside
i18n_patterns). Once lens/urls.py includes lens.api.urls itself, this adds nothing."""

from django.urls import URLResolver, include, path

from lens import urls as project


def _includes_api(patterns) -> bool:
    return any(isinstance(p, URLResolver) and p.namespace == "api" for p in patterns)


urlpatterns = list(project.urlpatterns)
if not _includes_api(urlpatterns):
    urlpatterns.insert(0, path("api/v1/", include("lens.api.urls")))
