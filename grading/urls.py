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
