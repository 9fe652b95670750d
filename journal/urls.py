from django.urls import path

from .views import homework, lesson, makeups, plan, plan_lag

app_name = "journal"

urlpatterns = [
    # The calendar-thematic plan (КТП), lesson topics and homework.
    path("plans/", plan.PlanListView.as_view(), name="plans"),
    path("plans/missing/", plan.PlanReportView.as_view(), name="plans_missing"),
    path("courses/<int:pk>/plan/", plan.PlanView.as_view(), name="plan"),
    path("courses/<int:pk>/plan/add/", plan.PlanTopicAddView.as_view(), name="plan_topic_add"),
    path("courses/<int:pk>/plan/import/", plan.PlanImportView.as_view(), name="plan_import"),
    path("courses/<int:pk>/plan/fill/", plan.PlanFillView.as_view(), name="plan_fill"),
    path("courses/<int:pk>/plan/fact/", plan.PlanFactView.as_view(), name="plan_fact"),
    path("courses/<int:pk>/plan/lag/", plan_lag.PlanLagReasonView.as_view(), name="plan_lag"),
    path("plan-topics/<int:pk>/edit/", plan.PlanTopicEditView.as_view(), name="plan_topic_edit"),
    path("plan-topics/<int:pk>/move/", plan.PlanTopicMoveView.as_view(), name="plan_topic_move"),
    path(
        "plan-topics/<int:pk>/delete/", plan.PlanTopicDeleteView.as_view(), name="plan_topic_delete"
    ),
    path("journal/lessons/<int:pk>/", lesson.LessonView.as_view(), name="lesson"),
    path("journal/lessons/<int:pk>/edit/", lesson.LessonEditView.as_view(), name="lesson_edit"),
    path("journal/lessons/<int:pk>/makeup/", makeups.MakeupView.as_view(), name="makeup"),
    path(
        "journal/lessons/<int:pk>/files/<int:file_pk>/",
        homework.HomeworkFileView.as_view(),
        name="homework_file",
    ),
    path(
        "journal/lessons/<int:pk>/files/<int:file_pk>/remove/",
        homework.HomeworkFileRemoveView.as_view(),
        name="homework_file_remove",
    ),
]

# The diary, messages and announcements (issue 5), kept apart so that edits do not collide.
from .views import diary, messages  # noqa: E402

urlpatterns += [
    path("diary/", diary.DiaryHomeView.as_view(), name="diary"),
    path("diary/<int:pupil>/", diary.DiaryWeekView.as_view(), name="diary_week"),
    path("diary/<int:pupil>/marks/", diary.DiaryMarksView.as_view(), name="diary_marks"),
    path(
        "diary/<int:pupil>/attendance/",
        diary.DiaryAttendanceView.as_view(),
        name="diary_attendance",
    ),
    path(
        "diary/<int:pupil>/timetable/", diary.DiaryTimetableView.as_view(), name="diary_timetable"
    ),
    path("messages/", messages.MessageListView.as_view(), name="messages"),
    path("messages/new/", messages.ComposeView.as_view(), name="message_new"),
    path("messages/<int:pk>/", messages.ThreadView.as_view(), name="thread"),
    path(
        "messages/settings/",
        messages.NotificationSettingsView.as_view(),
        name="notification_settings",
    ),
    path("announcements/", messages.AnnouncementListView.as_view(), name="announcements"),
    path("announcements/new/", messages.AnnouncementCreateView.as_view(), name="announcement_new"),
    path(
        "announcements/<int:pk>/edit/",
        messages.AnnouncementEditView.as_view(),
        name="announcement_edit",
    ),
    path(
        "announcements/<int:pk>/withdraw/",
        messages.AnnouncementWithdrawView.as_view(),
        name="announcement_withdraw",
    ),
]

# The journal page (marks and attendance grid), one cell, its history; the teacher's day;
# a class's absences and their reasons.
from .views import absences, grid, history, journals, today  # noqa: E402

urlpatterns += [
    path("journals/", journals.JournalsView.as_view(), name="journals"),
    path("journal/today/", today.TodayView.as_view(), name="today"),
    path("journal/courses/<int:pk>/", grid.GridView.as_view(), name="grid"),
    path("journal/courses/<int:pk>/save/", grid.GridSaveView.as_view(), name="grid_save"),
    path(
        "journal/lessons/<int:pk>/pupils/<int:pupil_pk>/",
        grid.CellView.as_view(),
        name="cell",
    ),
    path(
        "journal/lessons/<int:pk>/pupils/<int:pupil_pk>/history/",
        history.CellHistoryView.as_view(),
        name="cell_history",
    ),
    path(
        "journal/classes/<int:pk>/absences/",
        absences.ClassAbsencesView.as_view(),
        name="class_absences",
    ),
    path(
        "journal/classes/<int:pk>/absences/reasons/",
        absences.AbsenceReasonsView.as_view(),
        name="absence_reasons",
    ),
    path(
        "journal/classes/<int:pk>/absences/span/",
        absences.AbsenceSpanView.as_view(),
        name="absence_span",
    ),
]
