"""Matrix rows of the school's reports (reports.views.page.ReportPage): every report page ×
every actor × the class the «class_teacher» leads (own), another class (other), another
school's class (foreign); and for the teachers' reports, the «teacher»'s own courses and
another teacher's.

Who sees what (reports.params.Reach): the leadership the school; a class teacher their own
class; a teacher their own courses. A scope outside one's reach answers 404; families have
no reports at all (403). The permission is one (reports.view_reports), asked before the
scope is read, so a parent is refused (403) before any class is looked up.
"""

from tests.matrix import LEADERSHIP, Row, allow

STAFF = [*LEADERSHIP, "teacher", "class_teacher"]


def scope(name, kind="class"):
    """The link's ?scope=: a class of the World (or a teacher, `kind="teacher"`)."""

    def data(world):
        if kind == "teacher":
            return {"scope": f"teacher:{world.users[name].pk}"}
        return {"scope": f"class:{getattr(world, name).pk}"}

    return data


def other_teacher(world):
    return {"scope": f"teacher:{world.other_class.class_teacher_id}"}


def foreign_teacher(world):
    return {"scope": f"teacher:{world.foreign_admin_user.pk}"}


# Reports of classes: the leadership any class, the class teacher their own, a teacher none.
CLASS_REPORTS = [
    "reports:progress",
    "reports:progress_pupils",
    "reports:ledger",
    "reports:class_report",
    "reports:attendance",
    "reports:attendance_ledger",
    "reports:movement",
]
# Reports that also take a teacher's courses (and a class, where they say so).
TEACHER_REPORTS = ["reports:progress_subjects", "reports:progress_teachers", "reports:programme"]
# Reports of teachers only (the school, or one teacher).
TEACHERS_ONLY = ["reports:hours", "reports:substitutions"]

NOT_FOUND = {"teacher": 404, "class_teacher": 404, **dict.fromkeys(LEADERSHIP, 404)}

ROWS = [Row("reports:index", "list", expect=allow(only=STAFF))]
for url in CLASS_REPORTS:
    ROWS += [
        # No scope asked: the leadership gets the school (or its first class), the class
        # teacher their class; a teacher without a class has nothing here.
        Row(url, "list", expect=allow({"teacher": 404}, only=STAFF)),
        Row(url, "own", expect=allow({"teacher": 404}, only=STAFF), data=scope("own_class")),
        Row(
            url,
            "other",
            expect=allow({"teacher": 404, "class_teacher": 404}, only=STAFF),
            data=scope("other_class"),
        ),
        Row(url, "foreign", expect=allow(NOT_FOUND, only=STAFF), data=scope("foreign_class")),
    ]
for url in TEACHER_REPORTS:
    ROWS += [
        Row(url, "list", expect=allow(only=STAFF)),
        Row(url, "own", expect=allow({"teacher": 404}, only=STAFF), data=scope("own_class")),
        Row(
            url,
            "other",
            expect=allow({"teacher": 404, "class_teacher": 404}, only=STAFF),
            data=scope("other_class"),
        ),
        Row(url, "foreign", expect=allow(NOT_FOUND, only=STAFF), data=scope("foreign_class")),
    ]
for url in TEACHER_REPORTS + TEACHERS_ONLY:
    ROWS += [
        Row(
            url,
            "own teacher",
            expect=allow({"class_teacher": 404}, only=STAFF),
            data=scope("teacher", kind="teacher"),
        ),
        Row(
            url,
            "other teacher",
            expect=allow({"class_teacher": 404, "teacher": 404}, only=STAFF),
            data=other_teacher,
        ),
        Row(
            url,
            "foreign teacher",
            expect=allow(NOT_FOUND, only=STAFF),
            data=foreign_teacher,
        ),
    ]
for url in TEACHERS_ONLY:
    ROWS += [
        # The class teacher teaches nothing in the World: their own (empty) hours.
        Row(url, "list", expect=allow(only=STAFF)),
    ]
# A scope the page does not take, or a link that cannot be read: 400 with the reason.
ROWS += [
    Row(
        "reports:hours",
        "bad scope",
        expect=allow(only=STAFF, ok=400),
        data={"scope": "class:1"},
    ),
]
