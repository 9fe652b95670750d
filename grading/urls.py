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
