"""Locks and corrections: a locked record changes only through a deputy's approval."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from accounts.models import Regulation, Role
from accounts.navigation import school_reverse
from grading.models import CorrectionRequest, Mark
from grading.services import corrections
from journal.models import Attendance
from tests.factories import make_member, regulation_form_data
from tests.journal.grid_builders import add_lesson, build_journal

pytestmark = pytest.mark.django_db
Status = CorrectionRequest.Status


@pytest.fixture
def locked():
    """A journal with one lesson a day past the school's lock window, holding a 3."""
    journal = build_journal(1, 0, recent=True)
    days = journal.school.regulation.lock_marks_days
    journal.lessons.append(add_lesson(journal.course, journal.today - timedelta(days=days + 1)))
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    with scopes_disabled():
        Mark.objects.create(
            school=journal.school,
            lesson=lesson,
            pupil=pupil,
            work_type_id=journal.main_type().id,
            value="3",
            points=3,
            author=journal.teacher,
        )
    journal.deputy = make_member(journal.school, Role.DEPUTY, last_name="Завучева")
    return journal


def post(journal, value, **extra):
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    client = journal.client_for(journal.teacher)
    data = {"value": value, "column": journal.main_type().id, **extra}
    response = client.post(journal.cell_url(lesson, pupil), data)
    return response.status_code, json.loads(response.content)


def current_mark(journal):
    with scopes_disabled():
        return Mark.objects.get(lesson=journal.lessons[0], pupil=journal.pupils[0])


def test_a_lesson_is_open_through_its_lock_day():
    journal = build_journal(1, 0, recent=True)
    last_open = journal.today - timedelta(days=journal.school.regulation.lock_marks_days)
    lesson = add_lesson(journal.course, last_open)
    assert journal.school.regulation.lock_day("mark", lesson.date) == journal.today + timedelta(1)
    response = journal.client_for(journal.teacher).post(
        journal.cell_url(lesson, journal.pupils[0]),
        {"value": "4", "column": journal.main_type(lesson).id},
    )
    assert response.status_code == 200


def test_a_locked_change_without_a_reason_is_refused_and_nothing_changes(locked):
    status, body = post(locked, "5")
    assert status == 409
    assert body["locked"] is True
    assert "закрыты" in body["error"]
    assert current_mark(locked).value == "3"
    with scopes_disabled():
        assert not CorrectionRequest.objects.exists()


def test_a_locked_change_with_a_reason_waits_for_the_deputy(locked):
    status, body = post(locked, "5", reason="Ошибка при вводе: в тетради 5")
    assert status == 202
    assert body["status"] == "requested"
    assert body["text"] == "3"
    assert current_mark(locked).value == "3"
    with scopes_disabled():
        request = CorrectionRequest.objects.get()
    assert (request.status, request.old_value, request.new_value) == (Status.PENDING, "3", "5")
    assert request.requested_by == locked.teacher


def test_the_deputy_approves_and_the_change_is_applied_with_history(locked):
    post(locked, "5", reason="Ошибка при вводе")
    with scopes_disabled():
        request = CorrectionRequest.objects.get()
    client = locked.client_for(locked.deputy)
    listing = client.get(school_reverse(locked.school, "grading:corrections"))
    assert "Ошибка при вводе" in listing.content.decode()
    url = school_reverse(locked.school, "grading:correction_decide", pk=request.pk)
    assert client.post(url, {"decision": "approve", "note": "Проверено"}).status_code == 302
    mark = current_mark(locked)
    assert (mark.value, mark.author) == ("5", locked.teacher)
    last = mark.history.latest("history_date")
    assert last.history_user == locked.deputy
    assert last.history_change_reason.startswith(f"Исправление №{request.pk}")
    with scopes_disabled():
        request.refresh_from_db()
    assert (request.status, request.decided_by) == (Status.APPROVED, locked.deputy)


def test_a_rejected_correction_changes_nothing(locked):
    post(locked, "", reason="Поставлена не тому ученику")
    with scopes_disabled():
        request = CorrectionRequest.objects.get()
        corrections.reject(request, by=locked.deputy, note="Нет оснований")
        request.refresh_from_db()
    assert request.status == Status.REJECTED
    assert current_mark(locked).deleted_at is None


def test_a_correction_is_refused_when_the_cell_changed_since(locked):
    post(locked, "5", reason="Первая причина")
    with scopes_disabled():
        first = CorrectionRequest.objects.get()
        Mark.objects.filter(pk=current_mark(locked).pk).update(value="4", points=4)
        with pytest.raises(ValidationError) as error:
            corrections.approve(first, by=locked.deputy)
    assert "изменилась" in error.value.messages[0]
    assert current_mark(locked).value == "4"


def test_a_new_request_for_the_cell_supersedes_the_pending_one(locked):
    post(locked, "5", reason="Первая причина")
    post(locked, "4", reason="Вторая причина")
    with scopes_disabled():
        statuses = list(CorrectionRequest.objects.order_by("pk").values_list("status", "new_value"))
    assert statuses == [(Status.SUPERSEDED, "5"), (Status.PENDING, "4")]


def test_only_the_deputy_decides_and_teachers_see_their_own_requests(locked):
    post(locked, "5", reason="Ошибка")
    with scopes_disabled():
        request = CorrectionRequest.objects.get()
    url = school_reverse(locked.school, "grading:correction_decide", pk=request.pk)
    director = make_member(locked.school, Role.DIRECTOR)
    # The school has a deputy who did not ask: the director leaves it to them.
    for user in (locked.teacher, director, locked.class_teacher):
        assert locked.client_for(user).post(url, {"decision": "approve"}).status_code == 403
    other_teacher = make_member(locked.school, Role.TEACHER)
    listing = school_reverse(locked.school, "grading:corrections")
    assert "Ошибка" in locked.client_for(locked.teacher).get(listing).content.decode()
    assert "Ошибка" not in locked.client_for(other_teacher).get(listing).content.decode()
    assert "Ошибка" in locked.client_for(director).get(listing).content.decode()


def test_a_decided_request_cannot_be_decided_again(locked):
    post(locked, "5", reason="Ошибка")
    with scopes_disabled():
        request = CorrectionRequest.objects.get()
        corrections.approve(request, by=locked.deputy)
        with pytest.raises(ValidationError):
            corrections.reject(request, by=locked.deputy)


def test_an_attendance_correction_is_applied_on_approval(locked):
    status, _body = post(locked, "н 3", reason="Отсутствовал, отметка осталась")
    assert status == 202
    with scopes_disabled():
        request = CorrectionRequest.objects.get(kind="attendance")
        assert (request.old_value, request.new_value) == ("", "н")
        assert not Attendance.objects.exists()
        corrections.approve(request, by=locked.deputy)
        seen = Attendance.objects.get()
    assert seen.code == "absent"
    assert seen.history.get().history_user == locked.deputy


def test_the_cell_history_shows_changes_and_corrections(locked):
    post(locked, "5", reason="Ошибка при вводе")
    with scopes_disabled():
        corrections.approve(CorrectionRequest.objects.get(), by=locked.deputy)
    url = school_reverse(
        locked.school,
        "journal:cell_history",
        pk=locked.lessons[0].pk,
        pupil_pk=locked.pupils[0].pk,
    )
    html = locked.client_for(locked.class_teacher).get(url).content.decode()
    assert "Ошибка при вводе" in html
    assert "Завучева" in html
    assert "согласовано" in html


def test_the_administrator_sets_when_marks_and_attendance_lock(client):
    journal = build_journal(1, 0, recent=True)
    lesson = add_lesson(journal.course, journal.today - timedelta(days=4))
    pupil = journal.pupils[0]
    client.force_login(make_member(journal.school, Role.ADMIN))
    url = school_reverse(journal.school, "accounts:regulation_edit")
    assert 'name="lock_marks_days"' in client.get(url).text
    cell = {"value": "5", "column": journal.main_type(lesson).id}
    teacher = journal.client_for(journal.teacher)

    # Under the default week the lesson of four days ago is open.
    assert teacher.post(journal.cell_url(lesson, pupil), cell).status_code == 200
    data = regulation_form_data(journal.school, lock_marks_days=3)
    assert client.post(url, data).status_code == 302
    with scopes_disabled():
        assert Regulation.objects.get(school=journal.school).lock_marks_days == 3
    # Now it is locked: a change needs a reason and the deputy.
    response = teacher.post(journal.cell_url(lesson, pupil), {**cell, "value": "4"})
    assert response.status_code == 409 and json.loads(response.content)["locked"]

    refused = client.post(url, {**data, "lock_marks_days": "-1"})
    assert refused.status_code == 400 and "Срок закрытия отметок — от 0 до 60." in refused.text
