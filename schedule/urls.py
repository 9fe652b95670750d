from django.urls import path

from .views import classes, courses, imports, lessons, specialities, timetable, year

app_name = "schedule"

urlpatterns = [
    path("classes/", classes.ClassListView.as_view(), name="classes"),
    path("specialities/", specialities.SpecialitiesView.as_view(), name="specialities"),
    path("classes/<int:pk>/", classes.ClassView.as_view(), name="class"),
    path("classes/<int:pk>/codes/", classes.ClassCodesView.as_view(), name="class_codes"),
    path(
        "classes/<int:pk>/codes/<int:code_pk>/revoke/",
        classes.RevokeClassCodeView.as_view(),
        name="revoke_class_code",
    ),
    # The year, classes and people in them, subjects, subgroups, courses, imports.
    path("years/", year.YearListView.as_view(), name="years"),
    path("years/new/", year.YearCreateView.as_view(), name="year_create"),
    path("years/<int:pk>/", year.YearView.as_view(), name="year"),
    path("years/<int:pk>/edit/", year.YearEditView.as_view(), name="year_edit"),
    path("years/<int:pk>/periods/", year.YearPeriodsView.as_view(), name="year_periods"),
    path("years/<int:pk>/holidays/new/", year.HolidayCreateView.as_view(), name="holiday_create"),
    path("holidays/<int:pk>/edit/", year.HolidayEditView.as_view(), name="holiday_edit"),
    path("holidays/<int:pk>/delete/", year.HolidayDeleteView.as_view(), name="holiday_delete"),
    path("bells/", year.BellScheduleListView.as_view(), name="bell_schedules"),
    path("bells/new/", year.BellScheduleCreateView.as_view(), name="bell_schedule_create"),
    path("bells/<int:pk>/", year.BellScheduleEditView.as_view(), name="bell_schedule_edit"),
    path("classes/new/", classes.ClassCreateView.as_view(), name="class_create"),
    path("classes/<int:pk>/edit/", classes.ClassEditView.as_view(), name="class_edit"),
    path("classes/<int:pk>/movement/", classes.ClassMovementView.as_view(), name="class_movement"),
    path("classes/<int:pk>/enrol/", classes.EnrolView.as_view(), name="class_enrol"),
    path("enrolments/<int:pk>/move/", classes.EnrolmentMoveView.as_view(), name="enrolment_move"),
    path("pupils/<int:pk>/history/", classes.PupilHistoryView.as_view(), name="pupil_history"),
    path(
        "classes/<int:pk>/subgroups/", classes.ClassSubgroupsView.as_view(), name="class_subgroups"
    ),
    path(
        "classes/<int:pk>/subgroups/split/",
        classes.SubgroupSplitView.as_view(),
        name="subgroup_split",
    ),
    path(
        "classes/<int:pk>/subgroups/transfer/",
        classes.SubgroupTransferView.as_view(),
        name="subgroup_transfer",
    ),
    path("subjects/", courses.SubjectListView.as_view(), name="subjects"),
    path("subjects/new/", courses.SubjectCreateView.as_view(), name="subject_create"),
    path("subjects/<int:pk>/edit/", courses.SubjectEditView.as_view(), name="subject_edit"),
    path("courses/", courses.CourseListView.as_view(), name="courses"),
    path("courses/new/", courses.CourseCreateView.as_view(), name="course_create"),
    path("courses/<int:pk>/edit/", courses.CourseEditView.as_view(), name="course_edit"),
    path("courses/<int:pk>/delete/", courses.CourseDeleteView.as_view(), name="course_delete"),
    path("my/courses/", courses.MyCoursesView.as_view(), name="my_courses"),
    path("import/", imports.ImportUploadView.as_view(), name="import_upload"),
    path("import/<int:pk>/", imports.ImportPreviewView.as_view(), name="import_preview"),
    path("import/sample/", imports.ImportSampleView.as_view(), name="import_sample"),
]

# The timetable, its import, and the dated lessons: weeks, substitutions, cancels and moves.
urlpatterns += [
    path("timetable/", timetable.TimetableView.as_view(), name="timetable"),
    path("timetable/my/", lessons.MyTimetableView.as_view(), name="my_timetable"),
    path(
        "timetable/class/<int:pk>/",
        timetable.ClassTimetableView.as_view(),
        name="timetable_class",
    ),
    path(
        "timetable/class/<int:pk>/add/",
        timetable.EntryCreateView.as_view(),
        name="timetable_entry_add",
    ),
    path("timetable/class/<int:pk>/week/", lessons.ClassWeekView.as_view(), name="week_class"),
    path(
        "timetable/teacher/<int:pk>/",
        timetable.TeacherTimetableView.as_view(),
        name="timetable_teacher",
    ),
    path(
        "timetable/teacher/<int:pk>/week/", lessons.TeacherWeekView.as_view(), name="week_teacher"
    ),
    path("timetable/room/<int:pk>/", timetable.RoomTimetableView.as_view(), name="timetable_room"),
    path("timetable/room/<int:pk>/week/", lessons.RoomWeekView.as_view(), name="week_room"),
    path(
        "timetable/entries/<int:pk>/",
        timetable.EntryEditView.as_view(),
        name="timetable_entry_edit",
    ),
    path(
        "timetable/entries/<int:pk>/delete/",
        timetable.EntryDeleteView.as_view(),
        name="timetable_entry_delete",
    ),
    path("timetable/import/", timetable.ImportView.as_view(), name="timetable_import"),
    path(
        "timetable/import/confirm/",
        timetable.ImportConfirmView.as_view(),
        name="timetable_import_confirm",
    ),
    path(
        "timetable/import/sample/",
        timetable.ImportSampleView.as_view(),
        name="timetable_import_sample",
    ),
    path("timetable/build/", lessons.BuildLessonsView.as_view(), name="build_lessons"),
    path(
        "timetable/substitutions/",
        lessons.SubstitutionListView.as_view(),
        name="substitutions",
    ),
    path(
        "timetable/substitutions/day/",
        lessons.SubstituteDayView.as_view(),
        name="substitute_day",
    ),
    path("lessons/<int:pk>/", lessons.LessonView.as_view(), name="lesson"),
    path(
        "lessons/<int:pk>/substitute/",
        lessons.LessonSubstituteView.as_view(),
        name="lesson_substitute",
    ),
    path("lessons/<int:pk>/cancel/", lessons.LessonCancelView.as_view(), name="lesson_cancel"),
    path("lessons/<int:pk>/restore/", lessons.LessonRestoreView.as_view(), name="lesson_restore"),
    path("lessons/<int:pk>/move/", lessons.LessonMoveView.as_view(), name="lesson_move"),
]
