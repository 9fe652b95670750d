from django.urls import path

from .views import finals

app_name = "grading"

urlpatterns = [
    # Final marks (period, year, exams and credits), retakes, the school's grading rules.
    path("courses/<int:pk>/finals/", finals.FinalMarksView.as_view(), name="finals"),
    path("courses/<int:pk>/finals/edit/", finals.FinalMarksEditView.as_view(), name="finals_edit"),
    path("final-marks/<int:pk>/retake/", finals.RetakeView.as_view(), name="retake"),
]

# Corrections of locked marks and attendance (the deputy decides); work types and weights.
from .views import corrections, work_types  # noqa: E402

urlpatterns += [
    path("corrections/", corrections.CorrectionListView.as_view(), name="corrections"),
    path(
        "corrections/<int:pk>/decide/",
        corrections.CorrectionDecideView.as_view(),
        name="correction_decide",
    ),
    path(
        "final-corrections/<int:pk>/decide/",
        corrections.FinalCorrectionDecideView.as_view(),
        name="final_correction_decide",
    ),
    path("work-types/", work_types.WorkTypesView.as_view(), name="work_types"),
]

# Sessions, assessments and their ledgers; a retake's steps from the application on.
from .views import retake_flow, sessions  # noqa: E402

urlpatterns += [
    path("sessions/", sessions.SessionsView.as_view(), name="sessions"),
    path(
        "sessions/<int:pk>/assessments/add/",
        sessions.AssessmentAddView.as_view(),
        name="assessment_add",
    ),
    path("assessments/<int:pk>/ledger/", sessions.LedgerView.as_view(), name="ledger"),
    path("assessments/<int:pk>/ledger.pdf", sessions.LedgerPdfView.as_view(), name="ledger_pdf"),
    path("final-marks/<int:pk>/apply/", retake_flow.ApplyView.as_view(), name="retake_apply"),
    path(
        "retake-applications/<int:pk>/",
        retake_flow.ApplicationView.as_view(),
        name="retake_application",
    ),
    path(
        "retake-applications/<int:pk>/decide/",
        retake_flow.DecideView.as_view(),
        name="retake_application_decide",
    ),
    path(
        "retake-applications/<int:pk>/refer/",
        retake_flow.ReferView.as_view(),
        name="retake_application_refer",
    ),
    path(
        "retake-applications/<int:pk>/protocol/",
        retake_flow.ProtocolView.as_view(),
        name="retake_application_protocol",
    ),
    path(
        "retake-applications/<int:pk>/<str:document>.pdf",
        retake_flow.DocumentView.as_view(),
        name="retake_application_pdf",
    ),
]
