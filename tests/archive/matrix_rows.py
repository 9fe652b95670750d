"""Matrix rows of the archive: the director and the deputy read it; the deputy builds it and
retries a part; everyone else is refused (403), and another school's object answers 404.

own = the school's object; foreign = the other school's (404 for everyone)."""

from tests.matrix import Row, allow

READERS = ["director", "deputy"]
READ = allow(only=READERS)
MANAGE_POST = allow({"deputy": 302}, only=[])  # a POST redirects back to its page
NOT_FOUND = allow(default=404)


def pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


ROWS = [
    Row("archive:index", "list", expect=READ),
    Row("archive:build", "own", pk("own_build"), READ),
    Row("archive:build", "foreign", pk("foreign_build"), NOT_FOUND),
    Row("archive:document", "own", pk("own_document"), READ),
    Row("archive:document", "foreign", pk("foreign_document"), NOT_FOUND),
    Row("archive:start_build", "own", pk("year"), MANAGE_POST, method="post"),
    Row("archive:start_build", "foreign", pk("foreign_year"), NOT_FOUND, method="post"),
    Row("archive:checklist", "own", pk("year"), READ),
    Row("archive:checklist", "foreign", pk("foreign_year"), NOT_FOUND),
    # The World's year has gaps (no year marks): the deputy's close is refused (400).
    Row("archive:close_year", "own", pk("year"), allow({"deputy": 400}, only=[]), method="post"),
    Row("archive:close_year", "foreign", pk("foreign_year"), NOT_FOUND, method="post"),
    Row("archive:retention", "list", expect=READ),
    # A course's teacher explains its lag, the leadership reads it; another school's: 404.
    Row("journal:plan_lag", "own", pk("own_course"), allow(only=["teacher", *READERS])),
    Row("journal:plan_lag", "other", pk("other_course"), READ),
    Row("journal:plan_lag", "foreign", pk("foreign_course"), NOT_FOUND),
    Row(
        "journal:plan_lag",
        "own",
        pk("own_course"),
        allow({"teacher": 302}, only=[]),
        method="post",
        data={"reason": "Карантин в феврале"},
    ),  # fmt: skip
    Row("journal:plan_lag", "foreign", pk("foreign_course"), NOT_FOUND, method="post"),
    Row("archive:rollover", "own", pk("year"), allow(only=["deputy"])),
    Row("archive:rollover", "foreign", pk("foreign_year"), NOT_FOUND),
    # The World's year is open: the run is refused (400), nothing written.
    Row("archive:rollover", "own", pk("year"), allow({"deputy": 400}, only=[]), method="post"),
    Row("archive:rollover", "foreign", pk("foreign_year"), NOT_FOUND, method="post"),
    # Nothing in the World is past its date: the deputy's act is refused (400).
    Row("archive:draw_up_act", "list", expect=allow({"deputy": 400}, only=[]), method="post"),
    # The World's act lists no documents: the director's approval is refused (400).
    Row(
        "archive:approve_act",
        "own",
        pk("own_act"),
        allow({"director": 400}, only=[]),
        method="post",
    ),
    Row("archive:approve_act", "foreign", pk("foreign_act"), NOT_FOUND, method="post"),
    Row("archive:retry_part", "own", pk("own_part"), MANAGE_POST, method="post"),
    Row("archive:retry_part", "foreign", pk("foreign_part"), NOT_FOUND, method="post"),
]
