"""The anonymous signal check. URL paths are translated: /signalen/ and /en/signals/."""

from django.urls import path
from django.utils.translation import pgettext_lazy

from . import summary, views

app_name = "check"

urlpatterns = [
    path("", views.start, name="start"),
    path(pgettext_lazy("URL path", "signals/"), views.check_form, name="form"),
    path(pgettext_lazy("URL path", "outcome/"), views.outcome, name="outcome"),
    path(pgettext_lazy("URL path", "summary.pdf"), summary.summary_pdf, name="summary_pdf"),
    path(pgettext_lazy("URL path", "levels/"), views.levels, name="levels"),
]
