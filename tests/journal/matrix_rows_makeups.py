"""Matrix rows of make-ups of missed topics: the lesson's teacher records the protocol."""

from tests.matrix import Row, allow


def pk_of(name):
    return lambda w: {"pk": getattr(w, name).pk}


NOT_FOUND = allow(default=404)

ROWS = [
    Row("journal:makeup", "own", pk_of("own_lesson"), allow({"teacher": 200})),
    Row("journal:makeup", "other", pk_of("other_lesson"), allow()),
    Row("journal:makeup", "foreign", pk_of("foreign_lesson"), NOT_FOUND),
    # An empty protocol is refused (400), once the permission let the teacher in.
    Row("journal:makeup", "own", pk_of("own_lesson"), allow({"teacher": 400}), "post"),
    Row("journal:makeup", "other", pk_of("other_lesson"), allow(), "post"),
    Row("journal:makeup", "foreign", pk_of("foreign_lesson"), NOT_FOUND, "post"),
]
