"""Where the roles of a college get something else than tests/matrix.py's `college_status`
says: (method, URL name, case) → {actor: status}."""

EXCEPTIONS = {}
# The master and the педагог ДО keep the teacher's courses, not the lessons the teacher
# took as a substitute, nor the teacher's own messages and «teacher:<teacher>» scopes.
EXCEPTIONS |= {
    ("get", "journal:cell_history", "substituted"): {"extra_teacher": 403, "master": 403},
    ("get", "journal:grid", "substituted"): {"extra_teacher": 403, "master": 403},
    ("get", "journal:lesson", "substitute"): {"extra_teacher": 403, "master": 403},
    ("get", "journal:lesson_edit", "substitute"): {"extra_teacher": 403, "master": 403},
    ("get", "schedule:lesson", "substituted"): {"extra_teacher": 403, "master": 403},
    ("post", "journal:cell", "substituted"): {"extra_teacher": 403, "master": 403},
    ("post", "journal:grid_save", "substituted"): {"extra_teacher": 403, "master": 403},
    ("post", "journal:lesson_edit", "substitute"): {"extra_teacher": 403, "master": 403},
}
# The specialist for staff records: the staff list and a staff member's card.
EXCEPTIONS |= {
    ("get", "accounts:people", "list"): {"hr": 200},
    ("get", "accounts:person", "foreign"): {"hr": 404},
    ("get", "accounts:person", "own"): {"hr": 200},
}
# The head of the department of the own class: its control, reports and timetable (the
# whole school, another class, a teacher's scope answer 404 as out of reach); the reports by
# teacher only are not theirs (404).
EXCEPTIONS |= {
    ("get", "reports:attendance", "foreign"): {"head_of_department": 404},
    ("get", "reports:attendance", "list"): {"head_of_department": 200},
    ("get", "reports:attendance", "other"): {"head_of_department": 404},
    ("get", "reports:attendance", "own"): {"head_of_department": 200},
    ("get", "reports:attendance_ledger", "foreign"): {"head_of_department": 404},
    ("get", "reports:attendance_ledger", "list"): {"head_of_department": 200},
    ("get", "reports:attendance_ledger", "other"): {"head_of_department": 404},
    ("get", "reports:attendance_ledger", "own"): {"head_of_department": 200},
    ("get", "reports:class_report", "foreign"): {"head_of_department": 404},
    ("get", "reports:class_report", "list"): {"head_of_department": 200},
    ("get", "reports:class_report", "other"): {"head_of_department": 404},
    ("get", "reports:class_report", "own"): {"head_of_department": 200},
    ("get", "reports:control", "foreign"): {"head_of_department": 404},
    ("get", "reports:control", "list"): {"head_of_department": 200},
    ("get", "reports:control", "other"): {"head_of_department": 404},
    ("get", "reports:control", "own teacher"): {"head_of_department": 404},
    ("get", "reports:control", "own"): {"head_of_department": 200},
    ("get", "reports:control", "school week"): {"head_of_department": 404},
    ("get", "reports:hours", "bad scope"): {"head_of_department": 400},
    ("get", "reports:hours", "foreign teacher"): {"head_of_department": 404},
    ("get", "reports:hours", "list"): {"head_of_department": 404},
    ("get", "reports:hours", "other teacher"): {"head_of_department": 404},
    ("get", "reports:index", "list"): {"head_of_department": 200},
    ("get", "reports:ledger", "foreign"): {"head_of_department": 404},
    ("get", "reports:ledger", "list"): {"head_of_department": 200},
    ("get", "reports:ledger", "other"): {"head_of_department": 404},
    ("get", "reports:ledger", "own"): {"head_of_department": 200},
    ("get", "reports:movement", "foreign"): {"head_of_department": 404},
    ("get", "reports:movement", "list"): {"head_of_department": 200},
    ("get", "reports:movement", "other"): {"head_of_department": 404},
    ("get", "reports:movement", "own"): {"head_of_department": 200},
    ("get", "reports:programme", "foreign teacher"): {"head_of_department": 404},
    ("get", "reports:programme", "foreign"): {"head_of_department": 404},
    ("get", "reports:programme", "list"): {"head_of_department": 200},
    ("get", "reports:programme", "other teacher"): {"head_of_department": 404},
    ("get", "reports:programme", "other"): {"head_of_department": 404},
    ("get", "reports:programme", "own"): {"head_of_department": 200},
    ("get", "reports:progress", "foreign"): {"head_of_department": 404},
    ("get", "reports:progress", "list"): {"head_of_department": 200},
    ("get", "reports:progress", "other"): {"head_of_department": 404},
    ("get", "reports:progress", "own"): {"head_of_department": 200},
    ("get", "reports:progress_pupils", "foreign"): {"head_of_department": 404},
    ("get", "reports:progress_pupils", "list"): {"head_of_department": 200},
    ("get", "reports:progress_pupils", "other"): {"head_of_department": 404},
    ("get", "reports:progress_pupils", "own"): {"head_of_department": 200},
    ("get", "reports:progress_subjects", "foreign teacher"): {"head_of_department": 404},
    ("get", "reports:progress_subjects", "foreign"): {"head_of_department": 404},
    ("get", "reports:progress_subjects", "list"): {"head_of_department": 200},
    ("get", "reports:progress_subjects", "other teacher"): {"head_of_department": 404},
    ("get", "reports:progress_subjects", "other"): {"head_of_department": 404},
    ("get", "reports:progress_subjects", "own"): {"head_of_department": 200},
    ("get", "reports:progress_teachers", "foreign teacher"): {"head_of_department": 404},
    ("get", "reports:progress_teachers", "foreign"): {"head_of_department": 404},
    ("get", "reports:progress_teachers", "list"): {"head_of_department": 200},
    ("get", "reports:progress_teachers", "other teacher"): {"head_of_department": 404},
    ("get", "reports:progress_teachers", "other"): {"head_of_department": 404},
    ("get", "reports:progress_teachers", "own"): {"head_of_department": 200},
    ("get", "reports:substitutions", "foreign teacher"): {"head_of_department": 404},
    ("get", "reports:substitutions", "list"): {"head_of_department": 404},
    ("get", "reports:substitutions", "other teacher"): {"head_of_department": 404},
    ("get", "schedule:timetable_class", "own"): {"head_of_department": 200},
    ("get", "schedule:week_class", "own"): {"head_of_department": 200},
}
# Pages about one pupil, one message thread, one digest, one upload: the others' are 404 to
# whoever has no reach on them, as to a parent of another child; the files of a course's
# homework are for those who read the course.
EXCEPTIONS |= {
    ("get", "journal:diary_attendance", "other"): {"head_of_department": 404, "hr": 404},
    ("get", "journal:diary_attendance", "own"): {"head_of_department": 404, "hr": 404},
    ("get", "journal:diary_attendance", "second"): {"head_of_department": 404, "hr": 404},
    ("get", "journal:diary_marks", "other"): {"head_of_department": 404, "hr": 404},
    ("get", "journal:diary_marks", "own"): {"head_of_department": 404, "hr": 404},
    ("get", "journal:diary_marks", "second"): {"head_of_department": 404, "hr": 404},
    ("get", "journal:diary_timetable", "other"): {"head_of_department": 404, "hr": 404},
    ("get", "journal:diary_timetable", "own"): {"head_of_department": 404, "hr": 404},
    ("get", "journal:diary_timetable", "second"): {"head_of_department": 404, "hr": 404},
    ("get", "journal:diary_week", "other"): {"head_of_department": 404, "hr": 404},
    ("get", "journal:diary_week", "own"): {"head_of_department": 404, "hr": 404},
    ("get", "journal:diary_week", "second"): {"head_of_department": 404, "hr": 404},
    ("get", "journal:homework_file", "mismatch"): {"head_of_department": 403, "hr": 403},
    ("get", "journal:homework_file", "own"): {"head_of_department": 403, "hr": 403},
    ("get", "journal:thread", "own"): {
        "extra_teacher": 404,
        "head_of_department": 404,
        "hr": 404,
        "master": 404,
    },
    ("get", "reports:digest", "own"): {"head_of_department": 404, "hr": 404},
    ("get", "reports:hours", "own teacher"): {
        "extra_teacher": 404,
        "head_of_department": 404,
        "master": 404,
    },
    ("get", "reports:programme", "own teacher"): {
        "extra_teacher": 404,
        "head_of_department": 404,
        "master": 404,
    },
    ("get", "reports:progress_subjects", "own teacher"): {
        "extra_teacher": 404,
        "head_of_department": 404,
        "master": 404,
    },
    ("get", "reports:progress_teachers", "own teacher"): {
        "extra_teacher": 404,
        "head_of_department": 404,
        "master": 404,
    },
    ("get", "reports:substitutions", "own teacher"): {
        "extra_teacher": 404,
        "head_of_department": 404,
        "master": 404,
    },
    ("get", "schedule:import_preview", "own"): {"head_of_department": 404, "hr": 404},
    ("post", "journal:thread", "own"): {
        "extra_teacher": 404,
        "head_of_department": 404,
        "hr": 404,
        "master": 404,
    },
    ("post", "schedule:import_preview", "own"): {"head_of_department": 404, "hr": 404},
}
# The family's pages and a student's retake application hide themselves (404) from staff
# with no reach on the pupil: the head of department and the specialist for staff records.
EXCEPTIONS |= {
    (method, url, case): {"head_of_department": 404, "hr": 404}
    for method, url, cases in [
        ("get", "accounts:pupil", ("own", "other")),
        ("get", "accounts:pupil_edit", ("own", "other")),
        ("get", "accounts:family_access", ("own", "other")),
        ("get", "accounts:parent_contacts", ("own", "other")),
        ("post", "accounts:parent_contacts", ("own",)),
        ("post", "accounts:end_family_access", ("own", "other")),
        ("post", "accounts:family_code", ("own", "other")),
        ("get", "grading:retake_application", ("own", "other")),
        ("get", "grading:retake_application_pdf", ("own", "other")),
    ]
    for case in cases
}
# The risk list, the families' activity, the course works and the practice: the head of
# department reads their department's groups (as the class reports above); the others,
# another group and a teacher's scope are out of reach (404).
EXCEPTIONS |= {
    ("get", url, case): {"head_of_department": status}
    for url in ("reports:risk", "reports:activity", "reports:course_works", "reports:practice")
    for case, status in {
        "list": 200,
        "own": 200,
        "own xlsx": 200,
        "pdf": 200,
        "foreign": 404,
        "other": 404,
        "school": 404,
        "own teacher": 404,
        "other teacher": 404,
        "foreign teacher": 404,
    }.items()
}
# A teacher's own course work or practice (they supervise it) is not the master's or the
# педагог ДО's, who keep courses of their own; the world's teacher's scope is not theirs.
for key, status in {
    ("get", "grading:course_work_edit", "own"): 403,
    ("get", "grading:practice", "own"): 403,
    ("post", "grading:practice", "own marks"): 403,
    ("get", "reports:course_works", "own teacher"): 404,
    ("get", "reports:practice", "own teacher"): 404,
}.items():
    EXCEPTIONS[key] = {**EXCEPTIONS.get(key, {}), "extra_teacher": status, "master": status}
