"""Attendance: who may set what, and the class teacher's reasons for absences."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from accounts.navigation import school_reverse
from grading.policy import Rights
from journal.models import Attendance
from journal.services.attendance import check_change, parse_token

from .grid_builders import build_journal

pytestmark = pytest.mark.django_db

TEACHER = Rights(keeps=True, leads=False)
CLASS_TEACHER = Rights(keeps=False, leads=True)
BOTH = Rights(keeps=True, leads=True)
NOBODY = Rights(keeps=False, leads=False)
N, B, U, LATE, PRESENT = (
    ("absent", None),
    ("ill", None),
    ("excused", None),
    ("late", 5),
    (None, None),
)


@pytest.mark.parametrize(
    "rights,old,new,allowed",
    [
        (TEACHER, PRESENT, N, True),
        (TEACHER, PRESENT, LATE, True),
        (TEACHER, N, PRESENT, True),
        (TEACHER, LATE, ("late", 10), True),
        (TEACHER, N, B, False),
        (TEACHER, B, PRESENT, False),
        (TEACHER, U, N, False),
        (CLASS_TEACHER, N, B, True),
        (CLASS_TEACHER, B, U, True),
        (CLASS_TEACHER, U, N, True),
        (CLASS_TEACHER, PRESENT, N, False),
        (CLASS_TEACHER, N, PRESENT, False),
        (CLASS_TEACHER, PRESENT, LATE, False),
        (BOTH, PRESENT, N, True),
        (BOTH, N, U, True),
        (NOBODY, PRESENT, N, False),
    ],
)
def test_who_may_set_what(rights, old, new, allowed):
    if allowed:
        check_change(rights, old, new)
    else:
        with pytest.raises(ValidationError):
            check_change(rights, old, new)


@pytest.mark.parametrize(
    "typed,parsed",
    [
        ("н", ("absent", None)),
        ("Н", ("absent", None)),
        ("h", ("absent", None)),
        ("б", ("ill", None)),
        ("y", ("excused", None)),
        ("о", ("late", None)),
        ("o12", ("late", 12)),
        ("", (None, None)),
    ],
)
def test_tokens(typed, parsed):
    assert parse_token(typed) == parsed


def test_the_class_teacher_sets_reasons_on_the_class_absences_page():
    journal = build_journal(2, 1, recent=True)
    lesson = journal.lessons[0]
    first, second = journal.pupils
    with scopes_disabled():
        absent = Attendance.objects.create(
            school=journal.school, lesson=lesson, pupil=first, code="absent", set_by=journal.teacher
        )
        late = Attendance.objects.create(
            school=journal.school,
            lesson=lesson,
            pupil=second,
            code="late",
            minutes_late=5,
            set_by=journal.teacher,
        )
    url = school_reverse(journal.school, "journal:class_absences", pk=journal.school_class.pk)
    client = journal.client_for(journal.class_teacher)
    page = client.get(url, {"week": lesson.date.isoformat()})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'name="a{absent.pk}"' in html
    assert f'name="a{late.pk}"' not in html  # a late pupil was present: no reason to give
    save = school_reverse(journal.school, "journal:absence_reasons", pk=journal.school_class.pk)
    response = client.post(
        save, {"week": lesson.date.isoformat(), f"a{absent.pk}": "ill", f"a{late.pk}": "ill"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        absent.refresh_from_db()
        late.refresh_from_db()
        assert absent.code == "ill"
        assert absent.set_by == journal.class_teacher
        assert absent.history.latest("history_date").history_user == journal.class_teacher
        assert late.code == "late"


def test_the_teacher_cannot_set_reasons_on_the_class_page():
    journal = build_journal(1, 1, recent=True)
    save = school_reverse(journal.school, "journal:absence_reasons", pk=journal.school_class.pk)
    assert journal.client_for(journal.teacher).post(save, {}).status_code == 403


def test_a_locked_reason_becomes_a_correction_request():
    journal = build_journal(1, 0, recent=True)
    from .grid_builders import add_lesson

    lesson = add_lesson(journal.course, journal.today - timedelta(days=30))
    pupil = journal.pupils[0]
    with scopes_disabled():
        absent = Attendance.objects.create(
            school=journal.school, lesson=lesson, pupil=pupil, code="absent", set_by=journal.teacher
        )
    save = school_reverse(journal.school, "journal:absence_reasons", pk=journal.school_class.pk)
    client = journal.client_for(journal.class_teacher)
    week = lesson.date.isoformat()
    client.post(save, {"week": week, f"a{absent.pk}": "ill"})
    with scopes_disabled():
        absent.refresh_from_db()
        assert absent.code == "absent"
        assert not absent.lesson.corrections.exists()
    client.post(save, {"week": week, f"a{absent.pk}": "ill", "reason": "Справка от врача"})
    with scopes_disabled():
        absent.refresh_from_db()
        assert absent.code == "absent"
        request = absent.lesson.corrections.get()
        assert (request.kind, request.old_value, request.new_value) == ("attendance", "н", "б")
