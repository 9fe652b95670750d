"""Matrix rows of reports: parents' notices and digests, the digest schedule, printouts.

Digests: own = the «parent»'s; other = another parent's; foreign = another school's. A digest
is its parent's alone: everyone else, the leadership included, gets 404.
"""

from tests.matrix import LEADERSHIP, Row, allow

NOT_FOUND = allow(default=404)
PRINTERS = [*LEADERSHIP, "class_teacher"]
HTML = {"html": "1"}


def pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


ROWS = [
    Row("reports:notices", "list", expect=allow(only=["parent"])),
    Row(
        "reports:digest",
        "own",
        pk("own_digest"),
        allow({"other_parent": 404}, only=["parent"], default=404),
    ),
    Row("reports:digest", "other", pk("other_digest"), {**NOT_FOUND, "other_parent": 200}),
    Row("reports:digest", "foreign", pk("foreign_digest"), NOT_FOUND),
    Row("reports:digest_log", "list", expect=allow(only=["admin"])),
    Row("reports:weekly", "list", expect=allow(only=PRINTERS)),
    Row("reports:weekly_pdf", "own", pk("own_class"), allow(only=PRINTERS), data=HTML),
    Row("reports:weekly_pdf", "other", pk("other_class"), allow(only=LEADERSHIP), data=HTML),
    Row("reports:weekly_pdf", "foreign", pk("foreign_class"), NOT_FOUND, data=HTML),
]
