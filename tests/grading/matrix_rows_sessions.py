"""Matrix rows of sessions, ledgers and the retake's steps (tests/grading/world_sessions.py).

own = the «teacher»'s course in the class the «class_teacher» leads, its exam and the own
pupil's failing exam mark; other = another teacher's course in another class, another pupil;
foreign = the other school's. Applications are filed by the «class_teacher» (the curator).
"""

from tests.matrix import LEADERSHIP, Row, allow

NOT_FOUND = allow(default=404)
COURSE_READERS = [*LEADERSHIP, "teacher", "class_teacher"]
DECIDERS = ["deputy", "director"]
# A student's application: read by the leadership, the course's teacher, the curator, the
# student and their parents; anyone else of the school gets 404, as if it did not exist.
OWN_APPLICATION = allow(
    {"other_parent": 404}, only=[*COURSE_READERS, "pupil", "parent"], default=404
)
OTHER_APPLICATION = allow({"other_parent": 200}, only=LEADERSHIP, default=404)


def pk_of(name):
    return lambda w: {"pk": getattr(w, name).pk}


def document_of(name):
    return lambda w: {"pk": getattr(w, name).pk, "document": "application"}


def cases(url, name, own, other, method="get", data=None, kwargs=pk_of, foreign=True):
    data = data or {}
    rows = [
        Row(url, "own", kwargs(f"own_{name}"), own, method, data=data),
        Row(url, "other", kwargs(f"other_{name}"), other, method, data=data),
    ]
    if foreign:
        rows.append(Row(url, "foreign", kwargs(f"foreign_{name}"), NOT_FOUND, method, data=data))
    return rows


def ledger_marks(world):
    return {f"value_{world.own_pupil.pk}": "4"}


def referral(world):
    today = world.school.today().isoformat()
    return {"number": "3", "issued_on": today, "sitting_on": today}


READERS_OF_OWN = allow(only=COURSE_READERS)
ONLY_LEADERSHIP = allow(only=LEADERSHIP)

ROWS = [
    Row("grading:sessions", "list", expect=allow(only=COURSE_READERS)),
    # Opening a session: the deputy and the director (an empty form: 400 once let in).
    Row("grading:sessions", "list", expect=allow(dict.fromkeys(DECIDERS, 400)), method="post"),
    Row("grading:assessment_add", "own", pk_of("own_session"), allow(only=DECIDERS)),
    Row("grading:assessment_add", "foreign", pk_of("foreign_session"), NOT_FOUND),
    Row(
        "grading:assessment_add",
        "own",
        pk_of("own_session"),
        allow(dict.fromkeys(DECIDERS, 400)),
        "post",
    ),
    Row("grading:assessment_add", "foreign", pk_of("foreign_session"), NOT_FOUND, "post"),
    *cases("grading:ledger", "assessment", READERS_OF_OWN, ONLY_LEADERSHIP),
    *cases("grading:ledger_pdf", "assessment", READERS_OF_OWN, ONLY_LEADERSHIP),
    # Marks from the ledger: the course's teacher only.
    *cases("grading:ledger", "assessment", allow({"teacher": 302}), allow(), "post", ledger_marks),
    # The application: the student, the curator, the leadership (an empty one: 400).
    *cases(
        "grading:retake_apply",
        "exam_mark",
        allow(only=[*LEADERSHIP, "class_teacher", "pupil"]),
        ONLY_LEADERSHIP,
    ),
    *cases(
        "grading:retake_apply",
        "exam_mark",
        allow(only=[*LEADERSHIP, "class_teacher", "pupil"], ok=400),
        allow(only=LEADERSHIP, ok=400),
        "post",
    ),
    *cases("grading:retake_application", "application", OWN_APPLICATION, OTHER_APPLICATION),
    *cases(
        "grading:retake_application_pdf",
        "application",
        OWN_APPLICATION,
        OTHER_APPLICATION,
        kwargs=document_of,
    ),
    # Signed by the director or a deputy (the curator filed them).
    *cases(
        "grading:retake_application_decide",
        "application",
        allow(only=DECIDERS, ok=302),
        allow(only=DECIDERS, ok=302),
        "post",
        {"decision": "approve"},
    ),
    *cases(
        "grading:retake_application_refer",
        "signed_application",
        allow(only=DECIDERS, ok=302),
        allow(only=DECIDERS, ok=302),
        "post",
        referral,
    ),
    # The protocol: the course's teacher.
    *cases(
        "grading:retake_application_protocol",
        "referred_application",
        allow({"teacher": 302}),
        allow(),
        "post",
        {"protocol_number": "5", "result": "3"},
    ),
]
