from django.urls import path

from .views import control, digests, families, practice, progress, reports, weekly

app_name = "reports"

urlpatterns = [
    path("notices/", digests.NoticeListView.as_view(), name="notices"),
    path("digests/<int:pk>/", digests.DigestView.as_view(), name="digest"),
    path("digests/", digests.DigestLogView.as_view(), name="digest_log"),
    path("weekly/", weekly.WeeklyClassesView.as_view(), name="weekly"),
    path("weekly/<int:pk>/", weekly.WeeklyPdfView.as_view(), name="weekly_pdf"),
    # The control of journal keeping (reports.services.control*).
    path("control/", control.ControlView.as_view(), name="control"),
    path("control/check/", control.RunCheckView.as_view(), name="control_check"),
    path("control/reports/", control.ChecksView.as_view(), name="control_checks"),
    path("control/reports/new/", control.CheckNewView.as_view(), name="control_check_new"),
    path("control/reports/<int:pk>/", control.CheckView.as_view(), name="control_check_view"),
    path("control/risk/", families.RiskView.as_view(), name="risk"),
    path("control/families/", families.ActivityView.as_view(), name="activity"),
    # The school's reports (reports.views.page.ReportPage; parameters in the link).
    path("reports/", reports.ReportIndexView.as_view(), name="index"),
    path("reports/progress/", progress.ProgressView.as_view(), name="progress"),
    path("reports/progress/pupils/", progress.ProgressPupilsView.as_view(), name="progress_pupils"),
    path("reports/progress/subjects/", progress.SubjectsView.as_view(), name="progress_subjects"),
    path("reports/progress/teachers/", progress.TeachersView.as_view(), name="progress_teachers"),
    path("reports/ledger/", reports.LedgerView.as_view(), name="ledger"),
    path("reports/course-works/", practice.CourseWorksView.as_view(), name="course_works"),
    path("reports/practice/", practice.PracticeReportView.as_view(), name="practice"),
    path("reports/class/", reports.ClassReportView.as_view(), name="class_report"),
    path("reports/attendance/", reports.AttendanceView.as_view(), name="attendance"),
    path(
        "reports/attendance/ledger/",
        reports.AttendanceLedgerView.as_view(),
        name="attendance_ledger",
    ),
    path("reports/movement/", reports.MovementView.as_view(), name="movement"),
    path("reports/programme/", reports.ProgrammeView.as_view(), name="programme"),
    path("reports/hours/", reports.HoursView.as_view(), name="hours"),
    path("reports/substitutions/", reports.SubstitutionsView.as_view(), name="substitutions"),
]
