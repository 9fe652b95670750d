"""Make-up of a missed topic (002 §3.2): the protocol's mark goes into the missed lesson's
column, marked as a make-up, even after the lesson's lock window."""

import re
from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from grading.models import CorrectionRequest, Mark
from journal.models import Attendance, MakeupProtocol
from tests.factories import set_rules

from .grid_builders import build_journal

pytestmark = pytest.mark.django_db


def absent(journal, lesson, pupil, code="ill"):
    with scopes_disabled():
        return Attendance.objects.create(
            school=journal.school, lesson=lesson, pupil=pupil, code=code, set_by=journal.teacher
        )


def grid_cell(html, lesson, pupil) -> str:
    found = re.search(rf"<td([^>]*)><input name=c{lesson.pk}_{pupil.pk}_\d+[^>]*>", html)
    assert found, "no input for the cell"
    return found.group(0)


@pytest.fixture
def journal():
    journal = build_journal(2, 3, recent=True)
    set_rules(journal.school, lock_marks_days=1)  # the first lessons are locked by now
    return journal


def test_a_makeup_protocol_puts_the_mark_in_the_missed_lessons_column_marked_as_a_makeup(journal):
    lesson, (first, second) = journal.lessons[0], journal.pupils
    absent(journal, lesson, first)
    client = journal.client_for(journal.teacher)
    grid = client.get(journal.url()).text  # built and kept in the cache before the make-up
    assert "class=mu" not in grid
    url = journal.url("journal:makeup", pk=lesson.pk)
    page = client.get(url).text
    assert first.last_name in page and second.last_name not in page  # only who missed it
    held_on = journal.today.isoformat()
    response = client.post(
        url, {"pupil": first.pk, "number": "3", "held_on": held_on, "value": "4"}
    )
    assert response.status_code == 302, response.text[:800]
    with scopes_disabled():
        mark = Mark.objects.get(lesson=lesson, pupil=first)
        assert (mark.value, mark.makeup) == ("4", True)
        assert mark.comment == f"Отработка: протокол № 3 от {journal.today:%d.%m.%Y}"
        assert mark.work_type_id == journal.main_type(lesson).id
        assert not CorrectionRequest.objects.exists()  # the protocol is its ground
        protocol = MakeupProtocol.objects.get()
        assert (protocol.mark, protocol.history.first().history_user) == (mark, journal.teacher)
    # The grid shows it at once, in the lesson's column, as a make-up beside the absence.
    cell = grid_cell(client.get(journal.url()).text, lesson, first)
    assert "class=mu" in cell and "отработка по протоколу" in cell and "б 4" in cell
    assert "class=mu" not in grid_cell(client.get(journal.url()).text, lesson, second)


def test_only_a_missed_lesson_is_made_up_once_and_not_ahead_of_time(journal):
    lesson, (first, second) = journal.lessons[0], journal.pupils
    absent(journal, lesson, first)
    absent(journal, lesson, second, code="late")  # late: was there
    client = journal.client_for(journal.teacher)
    url = journal.url("journal:makeup", pk=lesson.pk)
    today = journal.today
    response = client.post(
        url, {"pupil": second.pk, "number": "1", "held_on": today.isoformat(), "value": "5"}
    )
    assert response.status_code == 400 and "не пропускал урок" in response.text
    tomorrow = (today + timedelta(days=1)).isoformat()
    response = client.post(
        url, {"pupil": first.pk, "number": "1", "held_on": tomorrow, "value": "5"}
    )
    assert response.status_code == 400 and "ещё не наступила" in response.text
    data = {"pupil": first.pk, "number": "1", "held_on": today.isoformat(), "value": "5"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "number": "2"})
    assert response.status_code == 400 and "уже оформлен" in response.text
    with scopes_disabled():
        assert MakeupProtocol.objects.count() == 1
        assert not Mark.objects.filter(pupil=second).exists()


def test_the_class_teacher_records_no_makeup_and_a_later_typed_mark_is_no_makeup(journal):
    lesson, (first, _second) = journal.lessons[-1], journal.pupils
    absent(journal, lesson, first, code="absent")
    url = journal.url("journal:makeup", pk=lesson.pk)
    assert journal.client_for(journal.class_teacher).get(url).status_code == 403
    client = journal.client_for(journal.teacher)
    data = {"pupil": first.pk, "number": "1", "held_on": journal.today.isoformat(), "value": "3"}
    assert client.post(url, data).status_code == 302
    # The teacher types another mark into the (open) cell: it is then the teacher's own.
    response = client.post(journal.cell_url(lesson, first), {"value": "н 5"})
    assert response.status_code == 200, response.content
    with scopes_disabled():
        mark = Mark.objects.get(lesson=lesson, pupil=first)
        assert (mark.value, mark.makeup) == ("5", False)
        assert [h.makeup for h in mark.history.order_by("history_date")] == [True, False]
