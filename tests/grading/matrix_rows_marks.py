"""Corrections of locked records and the school's work types."""

from tests.matrix import LEADERSHIP, Row, allow

ROWS = [
    # The leadership sees every request, teachers their own; only the deputy decides.
    Row(
        "grading:corrections",
        "list",
        expect=allow(only=[*LEADERSHIP, "teacher", "class_teacher"]),
    ),
    Row(
        "grading:correction_decide",
        "own",
        lambda w: {"pk": w.own_correction.pk},
        allow(only=["deputy"], ok=302),
        "post",
        data={"decision": "reject", "note": "Нет подтверждения"},
    ),
    Row(
        "grading:correction_decide",
        "foreign",
        lambda w: {"pk": w.foreign_correction.pk},
        allow(default=404),
        "post",
        data={"decision": "reject"},
    ),
    # Corrections of final marks after their deadline: the same list, the deputy decides.
    Row(
        "grading:final_correction_decide",
        "own",
        lambda w: {"pk": w.own_final_correction.pk},
        allow(only=["deputy"], ok=302),
        "post",
        data={"decision": "reject", "note": "Нет протокола"},
    ),
    Row(
        "grading:final_correction_decide",
        "foreign",
        lambda w: {"pk": w.foreign_final_correction.pk},
        allow(default=404),
        "post",
        data={"decision": "reject"},
    ),
    Row("grading:work_types", "list", expect=allow(only=["admin", "deputy"])),
]
