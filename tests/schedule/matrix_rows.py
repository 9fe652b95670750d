from tests.matrix import LEADERSHIP, Row, allow

NOT_FOUND = allow(default=404)
CLASS_READERS = allow(only=[*LEADERSHIP, "class_teacher"])
CODE_ISSUERS = ["admin", "class_teacher"]
CODES_FORM = {"roles": ["parent", "pupil"], "only_missing": "on", "output": "html"}

ROWS = [
    Row("schedule:classes", "list", expect=CLASS_READERS),
    Row("schedule:class", "own", lambda w: {"pk": w.own_class.pk}, CLASS_READERS),
    Row("schedule:class", "other", lambda w: {"pk": w.other_class.pk}, allow(only=LEADERSHIP)),
    Row("schedule:class", "foreign", lambda w: {"pk": w.foreign_class.pk}, NOT_FOUND),
    Row("schedule:class_codes", "own", lambda w: {"pk": w.own_class.pk}, allow(only=CODE_ISSUERS)),
    Row("schedule:class_codes", "other", lambda w: {"pk": w.other_class.pk}, allow(only=["admin"])),
    Row("schedule:class_codes", "foreign", lambda w: {"pk": w.foreign_class.pk}, NOT_FOUND),
    Row(
        "schedule:class_codes",
        "own",
        lambda w: {"pk": w.own_class.pk},
        allow(only=CODE_ISSUERS),
        method="post",
        data=CODES_FORM,
    ),
    Row(
        "schedule:class_codes",
        "other",
        lambda w: {"pk": w.other_class.pk},
        allow(only=["admin"]),
        method="post",
        data=CODES_FORM,
    ),
    Row(
        "schedule:revoke_class_code",
        "own",
        lambda w: {"pk": w.own_class.pk, "code_pk": w.own_class_code.pk},
        allow(only=CODE_ISSUERS, ok=302),
        method="post",
    ),
    Row(
        "schedule:revoke_class_code",
        "other",
        lambda w: {"pk": w.other_class.pk, "code_pk": w.other_class_code.pk},
        allow(only=["admin"], ok=302),
        method="post",
    ),
    # Another class's code through one's own class: not found, whoever asks.
    Row(
        "schedule:revoke_class_code",
        "mismatch",
        lambda w: {"pk": w.own_class.pk, "code_pk": w.other_class_code.pk},
        allow({"admin": 404, "class_teacher": 404}),
        method="post",
    ),
    Row(
        "schedule:revoke_class_code",
        "foreign",
        lambda w: {"pk": w.foreign_class.pk, "code_pk": w.foreign_code.pk},
        NOT_FOUND,
        method="post",
    ),
]

# The year, classes and people in them, subjects, subgroups, courses, imports.
MANAGERS = ["admin", "deputy"]
MANAGE = allow(only=MANAGERS)
MANAGE_POST = allow(only=MANAGERS, ok=302)
# An empty form reaches the view: those allowed get the form back with errors (400).
MANAGE_BAD_POST = allow(only=MANAGERS, ok=400)
LEADERS = allow(only=LEADERSHIP)
SUBGROUP_READERS = allow(only=[*LEADERSHIP, "class_teacher", "teacher"])
SUBGROUP_EDITORS = ["admin", "deputy", "class_teacher", "teacher"]


def own(name):
    return lambda w: {"pk": getattr(w, name).pk}


def obj_rows(url, own_name, foreign_name, expect, method="get", data=None, other=None):
    """An own object with `expect`, a foreign one that is not found for anyone."""
    rows = [
        Row(url, "own", own(own_name), expect, method=method, data=data or {}),
        Row(url, "foreign", own(foreign_name), NOT_FOUND, method=method, data=data or {}),
    ]
    if other:
        rows.append(Row(url, "other", own(other[0]), other[1], method=method, data=data or {}))
    return rows


YEAR_DATA = {"name": "2040/2041", "start": "2040-09-01", "end": "2041-08-31"}
HOLIDAY_DATA = {
    "name": "Выходной",
    "start": "",
    "end": "",
    "grade_from": "1",
    "grade_to": "11",
}
EMPTY_FORMSET = {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}

ROWS += [
    Row("schedule:years", "list", expect=LEADERS),
    Row("schedule:year_create", "list", expect=MANAGE),
    Row("schedule:year_create", "list", expect=MANAGE_POST, method="post", data=YEAR_DATA),
    *obj_rows("schedule:year", "year", "foreign_year", LEADERS),
    *obj_rows("schedule:year_edit", "year", "foreign_year", MANAGE),
    *obj_rows("schedule:year_edit", "year", "foreign_year", MANAGE_BAD_POST, "post"),
    *obj_rows("schedule:year_periods", "year", "foreign_year", MANAGE),
    *obj_rows("schedule:year_periods", "year", "foreign_year", MANAGE_POST, "post", EMPTY_FORMSET),
    *obj_rows("schedule:holiday_create", "year", "foreign_year", MANAGE),
    *obj_rows(
        "schedule:holiday_create", "year", "foreign_year", MANAGE_BAD_POST, "post", HOLIDAY_DATA
    ),
    *obj_rows("schedule:holiday_edit", "holiday", "foreign_holiday", MANAGE),
    *obj_rows("schedule:holiday_delete", "holiday", "foreign_holiday", MANAGE_POST, "post"),
    Row("schedule:bell_schedules", "list", expect=LEADERS),
    Row("schedule:bell_schedule_create", "list", expect=MANAGE),
    Row("schedule:bell_schedule_create", "list", expect=MANAGE_BAD_POST, method="post"),
    *obj_rows("schedule:bell_schedule_edit", "bells", "foreign_bells", MANAGE),
    Row("schedule:class_create", "list", expect=MANAGE),
    Row("schedule:class_create", "list", expect=MANAGE_BAD_POST, method="post"),
    *obj_rows("schedule:class_edit", "own_class", "foreign_class", MANAGE),
    *obj_rows("schedule:class_edit", "own_class", "foreign_class", MANAGE_BAD_POST, "post"),
    *obj_rows(
        "schedule:class_movement",
        "own_class",
        "foreign_class",
        CLASS_READERS,
        other=("other_class", LEADERS),
    ),
    *obj_rows("schedule:class_enrol", "own_class", "foreign_class", MANAGE),
    *obj_rows("schedule:class_enrol", "own_class", "foreign_class", MANAGE_BAD_POST, "post"),
    *obj_rows("schedule:enrolment_move", "own_enrolment", "foreign_enrolment", MANAGE),
    *obj_rows(
        "schedule:enrolment_move", "own_enrolment", "foreign_enrolment", MANAGE_BAD_POST, "post"
    ),
    *obj_rows(
        "schedule:pupil_history",
        "own_pupil",
        "foreign_pupil",
        CLASS_READERS,
        other=("other_pupil", LEADERS),
    ),
    *obj_rows(
        "schedule:class_subgroups",
        "own_class",
        "foreign_class",
        SUBGROUP_READERS,
        other=("other_class", LEADERS),
    ),
    *obj_rows(
        "schedule:subgroup_split",
        "own_class",
        "foreign_class",
        allow(only=SUBGROUP_EDITORS),
        other=("other_class", MANAGE),
    ),
    *obj_rows(
        "schedule:subgroup_split",
        "own_class",
        "foreign_class",
        allow(only=SUBGROUP_EDITORS, ok=400),
        "post",
    ),
    *obj_rows(
        "schedule:subgroup_transfer",
        "own_class",
        "foreign_class",
        allow(only=SUBGROUP_EDITORS),
        other=("other_class", MANAGE),
    ),
    *obj_rows(
        "schedule:subgroup_transfer",
        "own_class",
        "foreign_class",
        allow(only=SUBGROUP_EDITORS, ok=400),
        "post",
    ),
    Row("schedule:subjects", "list", expect=LEADERS),
    Row("schedule:subject_create", "list", expect=MANAGE),
    Row(
        "schedule:subject_create",
        "list",
        expect=MANAGE_POST,
        method="post",
        data={"name": "Химия", "short_name": "Хим."},
    ),
    *obj_rows("schedule:subject_edit", "subject", "foreign_subject", MANAGE),
    Row("schedule:courses", "list", expect=LEADERS),
    Row("schedule:course_create", "list", expect=MANAGE),
    Row("schedule:course_create", "list", expect=MANAGE_BAD_POST, method="post"),
    *obj_rows("schedule:course_edit", "own_course", "foreign_course", MANAGE),
    *obj_rows("schedule:course_delete", "own_course", "foreign_course", MANAGE_POST, "post"),
    Row("schedule:my_courses", "list", expect=allow(only=["teacher", "class_teacher"])),
    Row("schedule:import_upload", "list", expect=MANAGE),
    Row("schedule:import_upload", "list", expect=MANAGE_BAD_POST, method="post"),
    Row("schedule:import_sample", "list", expect=MANAGE, data={"kind": "pupils"}),
    # An upload is confirmed by the one who made it; anyone else does not find it.
    *obj_rows(
        "schedule:import_preview",
        "own_batch",
        "foreign_batch",
        allow({"admin": 200}, default=404),
    ),
    *obj_rows(
        "schedule:import_preview",
        "own_batch",
        "foreign_batch",
        allow({"admin": 302}, default=404),
        "post",
        {"mode": "all"},
    ),
]
