"""The case pages, at casussen/ inside i18n_patterns (lens/urls.py). Every name here
must be in lens.access.routes.ROUTES (tests/registry/test_routes.py)."""

from django.urls import path

from . import views, views_documents, views_referrals

app_name = "cases"

urlpatterns = [
    path("", views.work_list, name="work_list"),
    path("openen/<str:pseudonym>/", views.open_case, name="open"),
    path("<int:case_id>/", views.case, name="case"),
    path("<int:case_id>/stap/<str:transition>/", views.step, name="step"),
    path("<int:case_id>/overdragen/", views.hand_over, name="hand_over"),
    path("<int:case_id>/laat-antwoord-gelezen/", views.late_read, name="late_read"),
    # The case's documents: the conversation sheet (page and PDF) and the case report.
    path("<int:case_id>/gesprek/", views_documents.conversation, name="conversation"),
    path("<int:case_id>/gesprek.pdf", views_documents.conversation_pdf, name="conversation_pdf"),
    path("<int:case_id>/rapport.pdf", views_documents.report, name="report"),
    # The zorgcoördinator: referrals made from cases, and the answer back into the case.
    path("doorverwijzingen/", views_referrals.waiting, name="referrals"),
    path("doorverwijzingen/<int:link_id>/", views_referrals.answer, name="referral_answer"),
]
