"""The timetable and the lessons in the permission matrix (objects: world_timetable.py)."""

from tests.matrix import LEADERSHIP, SCHOOL_ROLES, Row, allow

from .world_timetable import move_day

MANAGERS = ["admin", "deputy"]
NOT_FOUND = allow(default=404)
LEADERS = allow(only=LEADERSHIP)
MANAGE = allow(only=MANAGERS)
MANAGE_REDIRECT = allow(only=MANAGERS, ok=302)
# An empty or incomplete form reaches the view: those allowed get it back with errors (400).
MANAGE_BAD_POST = allow(only=MANAGERS, ok=400)
CLASS_READERS = allow(only=[*LEADERSHIP, "class_teacher"])
EVERYONE = allow(only=SCHOOL_ROLES)


def pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


def rows(url, cases, method="get", data=None):
    """Rows for one URL: {case: (object name, expectations)}."""
    return [
        Row(url, case, pk(name), expect, method=method, data=data or {})
        for case, (name, expect) in cases.items()
    ]


def lesson_rows(url, expect_own, expect_substituted, method="post", data=None, other=None):
    return rows(
        url,
        {
            "own": ("own_lesson", expect_own),
            "other": ("other_lesson", other or LEADERS),
            "substituted": ("substituted_lesson", expect_substituted),
            "foreign": ("foreign_lesson", NOT_FOUND),
        },
        method=method,
        data=data,
    )


MOVE = {"date": move_day().isoformat(), "number": "6", "reason": "Экскурсия"}

ROWS = [
    Row("schedule:timetable", "list", expect=LEADERS),
    Row("schedule:my_timetable", "list", expect=EVERYONE),
    Row("schedule:substitutions", "list", expect=LEADERS),
    Row("schedule:substitute_day", "list", expect=MANAGE),
    Row("schedule:substitute_day", "list", expect=MANAGE_BAD_POST, method="post"),
    Row("schedule:build_lessons", "list", expect=MANAGE),
    Row("schedule:build_lessons", "list", expect=MANAGE_BAD_POST, method="post"),
    Row("schedule:timetable_import", "list", expect=MANAGE),
    Row("schedule:timetable_import", "list", expect=MANAGE_BAD_POST, method="post"),
    # Nothing waits to be confirmed: back to the upload page.
    Row("schedule:timetable_import_confirm", "list", expect=MANAGE_REDIRECT, method="post"),
    Row("schedule:timetable_import_sample", "list", expect=MANAGE),
    # A class's grid and week: the leadership, and the class teacher of their own class.
    *rows(
        "schedule:timetable_class",
        {
            "own": ("own_class", CLASS_READERS),
            "other": ("other_class", LEADERS),
            "foreign": ("foreign_class", NOT_FOUND),
        },
    ),
    *rows(
        "schedule:week_class",
        {
            "own": ("own_class", CLASS_READERS),
            "other": ("other_class", LEADERS),
            "foreign": ("foreign_class", NOT_FOUND),
        },
    ),
    *rows(
        "schedule:timetable_entry_add",
        {"own": ("own_class", MANAGE), "foreign": ("foreign_class", NOT_FOUND)},
    ),
    *rows(
        "schedule:timetable_entry_add",
        {"own": ("own_class", MANAGE_BAD_POST), "foreign": ("foreign_class", NOT_FOUND)},
        method="post",
    ),
    *rows(
        "schedule:timetable_entry_edit",
        {"own": ("own_entry", MANAGE), "foreign": ("foreign_entry", NOT_FOUND)},
    ),
    *rows(
        "schedule:timetable_entry_edit",
        {"own": ("own_entry", MANAGE_BAD_POST), "foreign": ("foreign_entry", NOT_FOUND)},
        method="post",
    ),
    *rows(
        "schedule:timetable_entry_delete",
        {"own": ("own_entry", MANAGE_REDIRECT), "foreign": ("foreign_entry", NOT_FOUND)},
        method="post",
    ),
    # By teacher and by room: the leadership; another school's teacher or room is not found.
    *rows(
        "schedule:timetable_teacher",
        {
            "own": ("teacher_user", LEADERS),
            "other": ("other_teacher", LEADERS),
            "foreign": ("foreign_teacher", NOT_FOUND),
        },
    ),
    *rows(
        "schedule:week_teacher",
        {
            "own": ("teacher_user", LEADERS),
            "other": ("other_teacher", LEADERS),
            "foreign": ("foreign_teacher", NOT_FOUND),
        },
    ),
    *rows(
        "schedule:timetable_room",
        {"own": ("room", LEADERS), "foreign": ("foreign_room", NOT_FOUND)},
    ),
    *rows(
        "schedule:week_room",
        {"own": ("room", LEADERS), "foreign": ("foreign_room", NOT_FOUND)},
    ),
    # One lesson: the leadership, the course's teacher, the class teacher; a substitute
    # reads only the lesson they were given (they keep it on the journal's lesson page).
    *lesson_rows(
        "schedule:lesson",
        allow(only=[*LEADERSHIP, "teacher", "class_teacher"]),
        allow(only=[*LEADERSHIP, "teacher"]),
        method="get",
    ),
    *lesson_rows(
        "schedule:lesson_substitute",
        MANAGE_REDIRECT,
        MANAGE_REDIRECT,
        other=MANAGE_REDIRECT,
    ),
    *lesson_rows(
        "schedule:lesson_cancel",
        MANAGE_REDIRECT,
        MANAGE_REDIRECT,
        data={"reason": "Карантин"},
        other=MANAGE_REDIRECT,
    ),
    *lesson_rows(
        "schedule:lesson_restore",
        MANAGE_REDIRECT,
        MANAGE_REDIRECT,
        other=MANAGE_REDIRECT,
    ),
    *lesson_rows(
        "schedule:lesson_move",
        MANAGE_REDIRECT,
        MANAGE_REDIRECT,
        data=MOVE,
        other=MANAGE_REDIRECT,
    ),
]
