"""Matrix rows of final marks and retakes (the school's rules are on «Положение об ЭЖ»).

own = the «teacher»'s course (in the class the «class_teacher» leads) and its year mark of
the own pupil; other = another teacher's course in another class; foreign = another school's.
"""

from tests.matrix import LEADERSHIP, Row, allow

NOT_FOUND = allow(default=404)
COURSE_READERS = [*LEADERSHIP, "teacher", "class_teacher"]
YEAR_COLUMN = {"kind": "year"}


def pk_of(name):
    return lambda w: {"pk": getattr(w, name).pk}


def rows(url, prefix, ok=200, method="get", data=None, own=COURSE_READERS, other=LEADERSHIP):
    data = data or {}
    return [
        Row(url, "own", pk_of(f"own_{prefix}"), allow(only=own, ok=ok), method, data=data),
        Row(url, "other", pk_of(f"other_{prefix}"), allow(only=other, ok=ok), method, data=data),
        Row(url, "foreign", pk_of(f"foreign_{prefix}"), NOT_FOUND, method, data=data),
    ]


ROWS = [
    *rows("grading:finals", "course"),
    *rows("grading:finals_edit", "course", data=YEAR_COLUMN, own=["teacher"], other=()),
    *rows("grading:finals_edit", "course", 302, "post", YEAR_COLUMN, own=["teacher"], other=()),
    *rows("grading:retake", "final", own=["teacher"], other=()),
    # An empty protocol is refused (400) — but only after the permission let the teacher in.
    *rows("grading:retake", "final", 400, "post", own=["teacher"], other=()),
]
