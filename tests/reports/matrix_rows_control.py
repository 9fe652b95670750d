"""Matrix rows of «Контроль ведения журнала»: the leadership reads the school, a class teacher
their own class only (read-only: the check now is the leadership's), a teacher has their own
shortfalls on «Сегодня» (journal:today) and no dashboard, families nothing; another school's
class answers 404."""

from tests.matrix import LEADERSHIP, Row, allow

from .matrix_rows_reports import NOT_FOUND, scope

VIEWERS = [*LEADERSHIP, "class_teacher"]

ROWS = [
    Row("reports:control", "list", expect=allow(only=VIEWERS)),
    Row("reports:control", "own", expect=allow(only=VIEWERS), data=scope("own_class")),
    Row(
        "reports:control",
        "other",
        expect=allow({"class_teacher": 404}, only=VIEWERS),
        data=scope("other_class"),
    ),
    Row(
        "reports:control",
        "foreign",
        expect=allow({k: v for k, v in NOT_FOUND.items() if k != "teacher"}, only=VIEWERS),
        data=scope("foreign_class"),
    ),
    Row(
        "reports:control",
        "own teacher",
        expect=allow({"class_teacher": 404}, only=VIEWERS),
        data=scope("teacher", kind="teacher"),
    ),
    Row(
        "reports:control",
        "school week",
        # The whole school is the leadership's: a class teacher asking for it gets 404.
        expect=allow({"class_teacher": 404}, only=VIEWERS),
        data={"span": "week:2026-09-14", "scope": "school"},
    ),
    Row(
        "reports:control_check",
        "list",
        method="post",
        expect=allow(only=LEADERSHIP, ok=302),
    ),
    # «Справки по итогам проверки»: the leadership's; another school's answers 404.
    Row("reports:control_checks", "list", expect=allow(only=LEADERSHIP)),
    Row("reports:control_check_new", "list", expect=allow(only=LEADERSHIP)),
    Row(
        "reports:control_check_new",
        "foreign",
        expect=allow(dict.fromkeys(LEADERSHIP, 404), only=LEADERSHIP),
        data=scope("foreign_class"),
    ),
    Row(
        "reports:control_check_view",
        "own",
        lambda w: {"pk": w.own_check.pk},
        expect=allow(only=LEADERSHIP),
    ),
    Row(
        "reports:control_check_view",
        "foreign",
        lambda w: {"pk": w.foreign_check.pk},
        expect=allow(dict.fromkeys(LEADERSHIP, 404), only=LEADERSHIP),
    ),
]

# Pupils at risk and families' activity: the same readers as the dashboard, the same reach.
for url in ("reports:risk", "reports:activity"):
    ROWS += [
        Row(url, "list", expect=allow(only=VIEWERS)),
        Row(url, "own", expect=allow(only=VIEWERS), data=scope("own_class")),
        Row(
            url,
            "other",
            expect=allow({"class_teacher": 404}, only=VIEWERS),
            data=scope("other_class"),
        ),
        Row(
            url,
            "foreign",
            expect=allow({k: v for k, v in NOT_FOUND.items() if k != "teacher"}, only=VIEWERS),
            data=scope("foreign_class"),
        ),
        Row(
            url,
            "school",
            expect=allow({"class_teacher": 404}, only=VIEWERS),
            data={"scope": "school"},
        ),
        Row(
            url,
            "own xlsx",
            expect=allow(only=VIEWERS),
            data=lambda w: {"scope": f"class:{w.own_class.pk}", "format": "xlsx"},
        ),
    ]
