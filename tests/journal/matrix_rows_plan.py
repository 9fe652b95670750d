"""Matrix rows of the plan (КТП), the lesson page and homework files.

own = the «teacher»'s course (in the class the «class_teacher» leads); other = another
teacher's course in another class; substitute = a lesson of that other course the «teacher»
holds as a substitute; foreign = another school's.
"""

import json

from tests.matrix import LEADERSHIP, Row, allow

NOT_FOUND = allow(default=404)
COURSE_READERS = [*LEADERSHIP, "teacher", "class_teacher"]
TEACHER_ONLY = ["teacher"]
TOPIC_FORM = {"title": "Дроби", "hours": "2", "kind": "lesson"}
IMPORT_ROWS = {"rows": json.dumps([{"title": "Дроби", "hours": 2, "kind": "lesson"}])}
LESSON_FORM = {"topic": "Дроби", "kind": "lesson", "note": "", "homework_text": ""}


def course(name):
    return lambda w: {"pk": getattr(w, name).pk}


def course_of(name):
    return lambda w: {"pk": getattr(w, name).course_id}


def lesson_file(lesson, attachment):
    return lambda w: {"pk": getattr(w, lesson).pk, "file_pk": getattr(w, attachment).pk}


def course_rows(url, ok=200, method="get", data=None, own=COURSE_READERS, other=LEADERSHIP):
    data = data or {}
    return [
        Row(url, "own", course("own_course"), allow(only=own, ok=ok), method, data=data),
        Row(url, "other", course("other_course"), allow(only=other, ok=ok), method, data=data),
        Row(url, "foreign", course("foreign_course"), NOT_FOUND, method, data=data),
    ]


def topic_rows(url, ok, method, data=None):
    data = data or {}
    return [
        Row(url, "own", course("own_topic"), allow(only=TEACHER_ONLY, ok=ok), method, data=data),
        Row(url, "other", course("other_topic"), allow(), method, data=data),
        Row(url, "foreign", course("foreign_topic"), NOT_FOUND, method, data=data),
    ]


def lesson_rows(url, readers, ok=200, method="get", data=None):
    own, other, substitute = readers
    data = data or {}
    return [
        Row(url, "own", course("own_lesson"), allow(only=own, ok=ok), method, data=data),
        Row(url, "other", course("other_lesson"), allow(only=other, ok=ok), method, data=data),
        Row(
            url,
            "substitute",
            course("substituted_lesson"),
            allow(only=substitute, ok=ok),
            method,
            data=data,
        ),
        Row(url, "foreign", course("foreign_lesson"), NOT_FOUND, method, data=data),
    ]


ROWS = [
    Row("journal:plans", "list", expect=allow(only=[*LEADERSHIP, "teacher", "class_teacher"])),
    Row("journal:plans_missing", "list", expect=allow(only=LEADERSHIP)),
    *course_rows("journal:plan"),
    *course_rows("journal:plan_fact"),
    *course_rows("journal:plan_topic_add", 302, "post", TOPIC_FORM, own=TEACHER_ONLY, other=()),
    *course_rows("journal:plan_import", own=TEACHER_ONLY, other=()),
    *course_rows("journal:plan_import", 302, "post", IMPORT_ROWS, own=TEACHER_ONLY, other=()),
    *course_rows("journal:plan_fill", 302, "post", own=TEACHER_ONLY, other=()),
    *topic_rows("journal:plan_topic_edit", 200, "get"),
    *topic_rows("journal:plan_topic_edit", 302, "post", TOPIC_FORM),
    *topic_rows("journal:plan_topic_move", 302, "post", {"direction": "down"}),
    *topic_rows("journal:plan_topic_delete", 302, "post"),
    # The lesson page: the course's readers, and the substitute for the lesson they held.
    *lesson_rows("journal:lesson", (COURSE_READERS, LEADERSHIP, [*LEADERSHIP, "teacher"])),
    *lesson_rows("journal:lesson_edit", (TEACHER_ONLY, (), TEACHER_ONLY)),
    *lesson_rows("journal:lesson_edit", (TEACHER_ONLY, (), TEACHER_ONLY), 302, "post", LESSON_FORM),
    # Homework files: the lesson's readers and the families of its class.
    Row(
        "journal:homework_file",
        "own",
        lesson_file("own_lesson", "own_file"),
        allow({"other_parent": 403}, only=[*COURSE_READERS, "parent", "pupil"]),
    ),
    # The other lesson is in the class of the «other_parent»'s child.
    Row(
        "journal:homework_file",
        "other",
        lesson_file("other_lesson", "other_file"),
        allow({"other_parent": 200}, only=LEADERSHIP),
    ),
    # A file of another lesson through one's own lesson: not found, whoever asks.
    Row(
        "journal:homework_file",
        "mismatch",
        lesson_file("own_lesson", "other_file"),
        allow({**dict.fromkeys([*COURSE_READERS, "parent", "pupil"], 404), "other_parent": 403}),
    ),
    Row(
        "journal:homework_file",
        "foreign",
        lesson_file("foreign_lesson", "foreign_file"),
        NOT_FOUND,
    ),
    Row(
        "journal:homework_file_remove",
        "own",
        lesson_file("own_lesson", "own_file"),
        allow(only=TEACHER_ONLY, ok=302),
        method="post",
    ),
    Row(
        "journal:homework_file_remove",
        "other",
        lesson_file("other_lesson", "other_file"),
        allow(),
        method="post",
    ),
    Row(
        "journal:homework_file_remove",
        "foreign",
        lesson_file("foreign_lesson", "foreign_file"),
        NOT_FOUND,
        method="post",
    ),
]
