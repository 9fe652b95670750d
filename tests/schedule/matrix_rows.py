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
