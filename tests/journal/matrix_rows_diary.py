"""Matrix rows of the diary, messages and announcements.

Diary: own = the «pupil» (child of the «parent», in the class the «class_teacher» leads);
second = the parent's other child; other = a pupil of another class with another parent;
foreign = another school's pupil. Every diary page of a pupil the viewer may not read answers
404, whatever its parameters. Threads: own = the «parent» with the «teacher».
"""

from tests.matrix import LEADERSHIP, SCHOOL_ROLES, Row, allow

NOT_FOUND = allow(default=404)
EVERYONE = allow(only=SCHOOL_ROLES)
FAMILY = ["parent", "pupil"]
# A pupil's diary: the leadership, the class teacher of the class, the family; others 404.
OWN_DIARY = allow(only=[*LEADERSHIP, "class_teacher", *FAMILY], default=404)
SECOND_DIARY = allow(only=[*LEADERSHIP, "class_teacher", "parent"], default=404)
OTHER_DIARY = allow(only=LEADERSHIP, default=404)
PUBLISHERS = [*LEADERSHIP, "class_teacher"]


def pupil(name):
    return lambda w: {"pupil": getattr(w, name).pk}


def pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


def diary_rows(url):
    return [
        Row(url, "own", pupil("own_pupil"), {**OWN_DIARY, "other_parent": 404}),
        Row(url, "second", pupil("own_second_pupil"), {**SECOND_DIARY, "other_parent": 404}),
        # The other pupil is the «other_parent»'s child.
        Row(url, "other", pupil("other_pupil"), {**OTHER_DIARY, "other_parent": 200}),
        Row(url, "foreign", pupil("foreign_pupil"), NOT_FOUND),
        # Seen from the other school: its own pupil under its own address is its
        # administrator's alone — our parent, pupil and staff are another school's there, 404;
        # our pupil under its address is 404 even for its administrator.
        Row(
            url,
            "foreign-at-home",
            pupil("foreign_pupil"),
            allow({"foreign_admin": 200, "foreign_parent": 200, "org_deputy": 200}, default=404),
            school="other_school",
        ),
        Row(
            url,
            "own-abroad",
            pupil("own_pupil"),
            {**NOT_FOUND, "foreign_parent": 404, "org_deputy": 404},
            school="other_school",
        ),
    ]


ROWS = [
    # The entry: a family member goes to their (first) child's week.
    Row("journal:diary", "list", expect=allow(only=FAMILY, ok=302)),
    *diary_rows("journal:diary_week"),
    *diary_rows("journal:diary_marks"),
    *diary_rows("journal:diary_attendance"),
    *diary_rows("journal:diary_timetable"),
    # Parameters never open another pupil: a bad week is 400 for readers, 404 for the rest.
    Row(
        "journal:diary_week",
        "own",
        pupil("own_pupil"),
        allow(
            {"other_parent": 404}, only=[*LEADERSHIP, "class_teacher", *FAMILY], ok=400, default=404
        ),
        data={"week": "2025-13-45"},
    ),
    Row(
        "journal:diary_week",
        "other",
        pupil("other_pupil"),
        allow({"other_parent": 400}, only=LEADERSHIP, ok=400, default=404),
        data={"week": "x"},
    ),
    # A period that is not the pupil's (another school's, or none) is 404 for everyone.
    Row("journal:diary_marks", "own", pupil("own_pupil"), NOT_FOUND, data={"period": "999999"}),
    Row(
        "journal:diary_attendance",
        "other",
        pupil("other_pupil"),
        NOT_FOUND,
        data={"period": "999999"},
    ),
    # Messages: every member has a mailbox; a thread only for its participants.
    Row("journal:messages", "list", expect=EVERYONE),
    Row("journal:message_new", "list", expect=EVERYONE),
    Row("journal:message_new", "list", expect=allow(only=SCHOOL_ROLES, ok=400), method="post"),
    Row(
        "journal:thread",
        "own",
        pk("own_thread"),
        allow({"other_parent": 404}, only=["parent", "teacher"], default=404),
    ),
    # The other thread is the «other_parent»'s, with another teacher.
    Row("journal:thread", "other", pk("other_thread"), {**NOT_FOUND, "other_parent": 200}),
    Row("journal:thread", "foreign", pk("foreign_thread"), NOT_FOUND),
    Row(
        "journal:thread",
        "own",
        pk("own_thread"),
        allow({"other_parent": 404}, only=["parent", "teacher"], ok=302, default=404),
        method="post",
        data={"body": "Спасибо!"},
    ),
    Row(
        "journal:thread",
        "foreign",
        pk("foreign_thread"),
        NOT_FOUND,
        method="post",
        data={"body": "Спасибо!"},
    ),
    Row("journal:notification_settings", "list", expect=EVERYONE),
    Row(
        "journal:notification_settings",
        "list",
        expect=allow(only=SCHOOL_ROLES, ok=302),
        method="post",
        data={"email_messages": "on"},
    ),
    # Announcements: everyone reads; the administration and class teachers publish.
    Row("journal:announcements", "list", expect=EVERYONE),
    Row("journal:announcement_new", "list", expect=allow(only=PUBLISHERS)),
    Row(
        "journal:announcement_new",
        "list",
        # The class teacher must name their class: a form error without one.
        expect=allow({"class_teacher": 400}, only=LEADERSHIP, ok=302),
        method="post",
        data={"title": "Субботник", "body": "В субботу", "published_on": "2025-09-01"},
    ),
    Row("journal:announcement_edit", "own", pk("own_announcement"), allow(only=PUBLISHERS)),
    Row(
        "journal:announcement_edit",
        "school",
        pk("school_announcement"),
        allow(only=LEADERSHIP),
    ),
    Row("journal:announcement_edit", "foreign", pk("foreign_announcement"), NOT_FOUND),
    Row(
        "journal:announcement_withdraw",
        "own",
        pk("own_announcement"),
        allow(only=PUBLISHERS, ok=302),
        method="post",
    ),
    Row(
        "journal:announcement_withdraw",
        "foreign",
        pk("foreign_announcement"),
        NOT_FOUND,
        method="post",
    ),
]
