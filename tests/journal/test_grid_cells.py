"""One cell saved as it is typed: marks, absences, the scale, rights and what it costs."""

import json
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from accounts.models import Role
from grading.models import Mark
from grading.services.marks import work_types
from journal.models import Attendance
from schedule.models import Course
from tests.factories import make_member

from .grid_builders import add_lesson, build_journal

pytestmark = pytest.mark.django_db


def post(journal, user, lesson, pupil, value, **extra):
    client = journal.client_for(user)
    data = {"value": value, "column": extra.pop("column", journal.main_type(lesson).id), **extra}
    response = client.post(journal.cell_url(lesson, pupil), data)
    body = json.loads(response.content) if response["Content-Type"] == "application/json" else {}
    return response.status_code, body


@pytest.mark.parametrize(
    "values, most, records",
    [
        # The user, the cell with all its checks need, and the row with its history (one
        # statement, lib.history.save_with_history): no transaction around one statement.
        (("5", "4", ""), (3, 3, 3), (5, 0)),
        (("н", "о", ""), (3, 3, 3), (2, 3)),
        # Both the attendance and the mark change: the two writes in one transaction.
        (("о 5", "4", ""), (6, 6, 3), (5, 2)),
    ],
    ids=["marks", "absences", "an absence and a mark"],
)
def test_saving_a_cell_with_its_history_costs_a_few_queries(values, most, records):
    journal = build_journal(3, 2, recent=True)
    lesson, pupil = journal.lessons[-1], journal.pupils[0]
    client = journal.client_for(journal.teacher)
    url = journal.cell_url(lesson, pupil)
    column = journal.main_type(lesson).id
    client.post(url, {"value": "3", "column": column})  # warms the session stamp and the cache
    client.post(url, {"value": "", "column": column})
    for value, limit in zip(values, most, strict=True):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, {"value": value, "column": column})
        assert response.status_code == 200, response.content
        assert json.loads(response.content)["status"] == "saved"
        assert len(queries) <= limit, [q["sql"][:80] for q in queries]
    # Every save kept its history: «3» and its clearing, then each change of each record.
    with scopes_disabled():
        kept = (
            Mark.history.filter(lesson=lesson, pupil=pupil).count(),
            Attendance.history.filter(lesson=lesson, pupil=pupil).count(),
        )
    assert kept == records


def test_a_typed_mark_is_saved_with_history_and_the_acting_user():
    journal = build_journal(1, 1, recent=True)
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    status, body = post(journal, journal.teacher, lesson, pupil, " 5 ")
    assert (status, body["text"], body["status"]) == (200, "5", "saved")
    with scopes_disabled():
        mark = Mark.objects.get(lesson=lesson, pupil=pupil)
        assert (mark.value, mark.points, mark.author) == ("5", 5, journal.teacher)
        record = mark.history.get()
        assert (record.history_user, record.history_type) == (journal.teacher, "+")
    assert post(journal, journal.teacher, lesson, pupil, "5")[1]["status"] == "unchanged"


@pytest.mark.parametrize(
    "typed,message",
    [
        ("7", "не отметка"),
        ("1", "не отметка"),
        ("5 4", "одна отметка"),
        ("н б", "одна отметка посещаемости"),
        ("о200", "от 1 до 90"),
        ("зч", "не отметка"),
    ],
)
def test_an_invalid_value_is_refused_with_a_message_and_nothing_is_written(typed, message):
    journal = build_journal(1, 1, recent=True)
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    status, body = post(journal, journal.teacher, lesson, pupil, typed)
    assert status == 400
    assert message in body["error"]
    with scopes_disabled():
        assert not Mark.objects.exists()
        assert not Attendance.objects.exists()


def test_one_mark_per_cell_is_kept_by_the_database_too():
    journal = build_journal(1, 1, recent=True)
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    post(journal, journal.teacher, lesson, pupil, "4")
    with scopes_disabled(), pytest.raises(IntegrityError), transaction.atomic():
        Mark.objects.create(
            school=journal.school,
            lesson=lesson,
            pupil=pupil,
            work_type_id=journal.main_type().id,
            value="5",
            author=journal.teacher,
        )


def test_a_pass_fail_course_takes_pass_and_fail_only():
    journal = build_journal(1, 1, recent=True, scale=Course.Scale.PASS_FAIL)
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    assert post(journal, journal.teacher, lesson, pupil, "5")[0] == 400
    status, body = post(journal, journal.teacher, lesson, pupil, "зачёт")
    assert (status, body["text"]) == (200, "зч")
    assert post(journal, journal.teacher, lesson, pupil, "нз")[1]["text"] == "нз"
    with scopes_disabled():
        mark = Mark.objects.get()
        assert (mark.value, mark.points) == ("fail", None)


def test_a_class_without_marks_refuses_marks_and_takes_attendance():
    journal = build_journal(1, 1, recent=True, no_marks=True)
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    status, body = post(journal, journal.teacher, lesson, pupil, "5")
    assert status == 400
    assert "без отметок" in body["error"]
    assert post(journal, journal.teacher, lesson, pupil, "н")[0] == 200
    with scopes_disabled():
        assert not Mark.objects.exists()
        assert Attendance.objects.get().code == "absent"


def test_a_lesson_in_the_future_takes_nothing():
    journal = build_journal(1, 0, recent=True)
    lesson = add_lesson(journal.course, journal.today + timedelta(days=1))
    status, body = post(journal, journal.teacher, lesson, journal.pupils[0], "5")
    assert status == 400
    assert "ещё не прошёл" in body["error"]


def test_late_with_minutes_and_a_mark_share_the_main_cell():
    journal = build_journal(1, 1, recent=True)
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    status, body = post(journal, journal.teacher, lesson, pupil, "О15 4")
    assert (status, body["text"]) == (200, "о15 4")
    with scopes_disabled():
        seen = Attendance.objects.get()
        assert (seen.code, seen.minutes_late) == ("late", 15)
        assert Mark.objects.get().value == "4"
    # Typing a bare «н» over it: absent, and the mark is cleared (kept in history).
    assert post(journal, journal.teacher, lesson, pupil, "н")[1]["text"] == "н"
    with scopes_disabled():
        mark = Mark.objects.get()
        assert mark.deleted_at is not None
        assert [h.history_type for h in mark.history.order_by("history_date")] == ["+", "~"]


def test_an_extra_column_takes_marks_but_not_attendance():
    journal = build_journal(1, 1, recent=True)
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    home = next(w for w in work_types(journal.school).items if w.name == "Домашняя работа")
    status, body = post(journal, journal.teacher, lesson, pupil, "н", column=home.id)
    assert status == 400
    assert "основной колонке" in body["error"]
    assert post(journal, journal.teacher, lesson, pupil, "3", column=home.id)[0] == 200
    assert post(journal, journal.teacher, lesson, pupil, "5")[0] == 200
    with scopes_disabled():
        assert Mark.objects.count() == 2


def test_clearing_a_cell_keeps_the_row_and_its_history():
    journal = build_journal(1, 1, recent=True)
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    post(journal, journal.teacher, lesson, pupil, "4")
    status, body = post(journal, journal.teacher, lesson, pupil, "")
    assert (status, body["text"]) == (200, "")
    post(journal, journal.teacher, lesson, pupil, "5")
    with scopes_disabled():
        mark = Mark.objects.get()
        assert (mark.value, mark.deleted_at) == ("5", None)
        assert mark.history.count() == 3


def test_a_substitute_edits_only_the_lesson_they_held():
    journal = build_journal(1, 2, recent=True)
    substitute = make_member(journal.school, Role.TEACHER, last_name="Заменова")
    held, other = journal.lessons[-1], journal.lessons[0]
    with scopes_disabled():
        held.substitute = substitute
        held.save()
    pupil = journal.pupils[0]
    assert post(journal, substitute, held, pupil, "5")[0] == 200
    assert post(journal, substitute, other, pupil, "5")[0] == 403
    html = journal.client_for(substitute).get(journal.url()).content.decode()
    assert f"<input name=c{held.pk}_" in html
    assert f"<input name=c{other.pk}_" not in html
    # The plain form ignores cells of lessons the substitute did not hold.
    column = journal.main_type(other).id
    response = journal.client_for(substitute).post(
        journal.url("journal:grid_save"), {f"c{other.pk}_{pupil.pk}_{column}": "2"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert not Mark.objects.filter(lesson=other).exists()


@pytest.mark.parametrize("role", ["class_teacher", Role.DEPUTY, Role.DIRECTOR, Role.ADMIN])
def test_readers_cannot_save_a_cell(role):
    journal = build_journal(1, 1, recent=True)
    user = journal.class_teacher if role == "class_teacher" else make_member(journal.school, role)
    assert post(journal, user, journal.lessons[0], journal.pupils[0], "5")[0] == 403
    response = journal.client_for(user).post(journal.url("journal:grid_save"), {})
    assert response.status_code == 403


def test_a_pupil_outside_the_lesson_is_not_found():
    journal = build_journal(1, 1, recent=True)
    other = build_journal(1, 0, school=journal.school, letter="Б")
    assert post(journal, journal.teacher, journal.lessons[0], other.pupils[0], "5")[0] == 404


def test_the_teacher_cannot_set_a_reason_but_marks_absent_and_late():
    journal = build_journal(1, 1, recent=True)
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    status, body = post(journal, journal.teacher, lesson, pupil, "б")
    assert status == 400
    assert "классный руководитель" in body["error"]
    assert post(journal, journal.teacher, lesson, pupil, "н")[0] == 200
    assert post(journal, journal.teacher, lesson, pupil, "о")[0] == 200
    assert post(journal, journal.teacher, lesson, pupil, "")[0] == 200
    with scopes_disabled():
        assert Attendance.objects.get().history.count() == 3
