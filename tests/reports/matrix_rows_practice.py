"""Matrix rows of the register of course works and the practice report (report pages): the
leadership the school, the curator their group, a supervisor their own (the teacher scope);
as the teachers' reports in matrix_rows_reports."""

from tests.matrix import Row, allow

from .matrix_rows_reports import NOT_FOUND, STAFF, foreign_teacher, other_teacher, scope

ROWS = []
for url in ("reports:course_works", "reports:practice"):
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
        Row(url, "foreign teacher", expect=allow(NOT_FOUND, only=STAFF), data=foreign_teacher),
        Row(url, "pdf", expect=allow(only=STAFF), data={"format": "pdf"}),
    ]
