"""Login, logout and choosing the active membership. Included at accounts/ (i18n)."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/code/", views.verify, name="verify"),
    path("logout/", views.logout, name="logout"),
    path("logout/everywhere/", views.logout_everywhere, name="logout-everywhere"),
    path("role/", views.choose_membership, name="choose-membership"),
]
