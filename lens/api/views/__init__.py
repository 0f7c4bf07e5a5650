"""The REST API (lens/api/urls.py): the shared view class and helpers in `base`, the
operations per subject in `persons`, `registrations` and `assess`. See `base` for the
rules every view keeps."""

from lens.api.views.assess import AssessView
from lens.api.views.base import ERROR_TEXTS, ApiView, operation
from lens.api.views.cases import CaseReportView
from lens.api.views.persons import InformedView, PersonsView, PersonView, RevealView
from lens.api.views.registrations import CorrectionView, RegistrationsView, WithdrawalView

__all__ = [
    "ERROR_TEXTS",
    "ApiView",
    "AssessView",
    "CaseReportView",
    "CorrectionView",
    "InformedView",
    "PersonView",
    "PersonsView",
    "RegistrationsView",
    "RevealView",
    "WithdrawalView",
    "operation",
]
