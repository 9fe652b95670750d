"""Matrix rows of the register of course works and of practice.

The «teacher» supervises the own class's course work and practice (own); the other class's
belong to another teacher (other); the other school's answer 404 (foreign). The
«class_teacher» curates the own class: they read its practice but neither edit its course
works nor set its marks. The director reads and does not edit (the deputy and the
administrator keep the records). Students and parents have none of these pages (403): their
own work is no different from another's here.
"""

from tests.matrix import LEADERSHIP, SCHOOL_ROLES, Row, allow

STAFF = [*LEADERSHIP, "teacher", "class_teacher"]
KEEPERS = ["admin", "deputy"]
# Another school's record is looked up before anything is asked: 404 for everyone.
FOREIGN = dict.fromkeys(SCHOOL_ROLES, 404)


def pk(name):
    return lambda world: {"pk": getattr(world, name).pk}


ROWS = [
    Row(
        "grading:course_work_new", "list", expect=allow(only=[*KEEPERS, "teacher", "class_teacher"])
    ),
    Row(
        "grading:course_work_edit",
        "own",
        pk("own_course_work"),
        expect=allow(only=[*KEEPERS, "teacher"]),
    ),
    Row("grading:course_work_edit", "other", pk("other_course_work"), expect=allow(only=KEEPERS)),
    Row(
        "grading:course_work_edit",
        "foreign",
        pk("foreign_course_work"),
        expect=allow(FOREIGN, only=STAFF),
    ),
    Row("grading:practice_list", "list", expect=allow(only=STAFF)),
    Row("grading:practice_create", "list", expect=allow(only=KEEPERS)),
    Row(
        "grading:practice",
        "own",
        pk("own_practice"),
        expect=allow(only=[*LEADERSHIP, "teacher", "class_teacher"]),
    ),
    Row("grading:practice", "other", pk("other_practice"), expect=allow(only=LEADERSHIP)),
    Row("grading:practice", "foreign", pk("foreign_practice"), expect=allow(FOREIGN, only=STAFF)),
    # Marks sent: the supervisor and the record keepers save them (a redirect), the curator
    # and the director read only.
    Row(
        "grading:practice",
        "own marks",
        pk("own_practice"),
        method="post",
        expect=allow(
            {"admin": 302, "deputy": 302, "teacher": 302},
            only=["director", "class_teacher"],
            ok=403,
        ),
    ),
    Row("grading:practice_edit", "own", pk("own_practice"), expect=allow(only=KEEPERS)),
    Row(
        "grading:practice_edit",
        "foreign",
        pk("foreign_practice"),
        expect=allow(FOREIGN, only=STAFF),
    ),
]
