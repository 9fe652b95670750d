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

# The register of course works (the register itself: reports:course_works) and practice.
from .views import course_works, practice  # noqa: E402

urlpatterns += [
    path("course-works/new/", course_works.CourseWorkCreateView.as_view(), name="course_work_new"),
    path(
        "course-works/<int:pk>/edit/",
        course_works.CourseWorkEditView.as_view(),
        name="course_work_edit",
    ),
    path("practice/", practice.PracticeListView.as_view(), name="practice_list"),
    path("practice/new/", practice.PracticeCreateView.as_view(), name="practice_create"),
    path("practice/<int:pk>/", practice.PracticeView.as_view(), name="practice"),
    path("practice/<int:pk>/edit/", practice.PracticeEditView.as_view(), name="practice_edit"),
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
