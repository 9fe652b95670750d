"""The journal grid, its cells and history, the teacher's day, a class's absences."""

from tests.matrix import LEADERSHIP, Row, allow

NOT_FOUND = allow(default=404)
TEACHERS = ["teacher", "class_teacher"]
COURSE_READERS = allow(only=[*LEADERSHIP, *TEACHERS])


def cell(lesson, pupil):
    return lambda w: {"pk": getattr(w, lesson).pk, "pupil_pk": getattr(w, pupil).pk}


def course(name):
    return lambda w: {"pk": getattr(w, name).pk}


ROWS = [
    Row("journal:today", "list", expect=allow(only=TEACHERS)),
    Row("journal:journals", "list", expect=allow(only=[*LEADERSHIP, *TEACHERS])),
    # The journal page: own course (taught by «teacher», in the class «class_teacher» leads),
    # a course where «teacher» substituted one lesson, and one only the leadership reads.
    Row("journal:grid", "own", course("own_course"), COURSE_READERS),
    Row(
        "journal:grid", "substituted", course("other_course"), allow(only=[*LEADERSHIP, "teacher"])
    ),
    Row("journal:grid", "other", course("unrelated_course"), allow(only=LEADERSHIP)),
    Row("journal:grid", "foreign", course("foreign_course"), NOT_FOUND),
    Row("journal:grid_save", "own", course("own_course"), allow(only=["teacher"], ok=302), "post"),
    Row(
        "journal:grid_save",
        "substituted",
        course("other_course"),
        allow(only=["teacher"], ok=302),
        "post",
    ),
    Row("journal:grid_save", "other", course("unrelated_course"), allow(), "post"),
    Row("journal:grid_save", "foreign", course("foreign_course"), NOT_FOUND, "post"),
    # One cell, saved as typed: only whoever keeps the lesson.
    Row(
        "journal:cell",
        "own",
        cell("today_lesson", "own_pupil"),
        allow(only=["teacher"]),
        "post",
        data={"value": "5"},
    ),
    Row(
        "journal:cell",
        "substituted",
        cell("today_sub_lesson", "other_pupil"),
        allow(only=["teacher"]),
        "post",
        data={"value": "н"},
    ),
    Row(
        "journal:cell",
        "other",
        cell("today_other_lesson", "other_pupil"),
        allow(),
        "post",
        data={"value": "5"},
    ),
    # A pupil of another class in one's own lesson: no such cell.
    Row(
        "journal:cell",
        "mismatch",
        cell("today_lesson", "other_pupil"),
        allow({"teacher": 404}),
        "post",
        data={"value": "5"},
    ),
    Row(
        "journal:cell",
        "foreign",
        cell("today_foreign_lesson", "foreign_pupil"),
        NOT_FOUND,
        "post",
        data={"value": "5"},
    ),
    Row("journal:cell_history", "own", cell("today_lesson", "own_pupil"), COURSE_READERS),
    Row(
        "journal:cell_history",
        "substituted",
        cell("today_sub_lesson", "other_pupil"),
        allow(only=[*LEADERSHIP, "teacher"]),
    ),
    Row(
        "journal:cell_history",
        "other",
        cell("today_other_lesson", "other_pupil"),
        allow(only=LEADERSHIP),
    ),
    Row(
        "journal:cell_history",
        "mismatch",
        cell("today_lesson", "other_pupil"),
        allow(dict.fromkeys([*LEADERSHIP, *TEACHERS], 404)),
    ),
    Row(
        "journal:cell_history",
        "foreign",
        cell("today_foreign_lesson", "foreign_pupil"),
        NOT_FOUND,
    ),
    # A class's absences: the leadership and the class teacher read; the class teacher sets.
    Row(
        "journal:class_absences",
        "own",
        course("own_class"),
        allow(only=[*LEADERSHIP, "class_teacher"]),
    ),
    Row("journal:class_absences", "other", course("other_class"), allow(only=LEADERSHIP)),
    Row("journal:class_absences", "foreign", course("foreign_class"), NOT_FOUND),
    Row(
        "journal:absence_reasons",
        "own",
        course("own_class"),
        allow(only=["class_teacher"], ok=302),
        "post",
    ),
    Row("journal:absence_reasons", "other", course("other_class"), allow(), "post"),
    Row("journal:absence_reasons", "foreign", course("foreign_class"), NOT_FOUND, "post"),
    Row(
        "journal:absence_span",
        "own",
        course("own_class"),
        allow(only=["class_teacher"], ok=302),
        "post",
    ),
    Row("journal:absence_span", "other", course("other_class"), allow(), "post"),
    Row("journal:absence_span", "foreign", course("foreign_class"), NOT_FOUND, "post"),
]
