"""Final marks after their deadline: a change needs a reason and the deputy's approval."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from grading.models import FinalMark, FinalMarkCorrection
from grading.services import final_corrections
from grading.services import finals as service
from tests.factories import make_member, set_rules

from .finals_builders import closed_period, course_with_pupils, give, work_type

pytestmark = pytest.mark.django_db

Kind, Value = FinalMark.Kind, FinalMark.Value
Status = FinalMarkCorrection.Status


@pytest.fixture
def closed(school):
    """A quarter past its deadline; the first pupil has three marks and a «3» set in time."""
    teacher, course, (pupil, other) = course_with_pupils(school, 2)
    past = closed_period(course)
    answer = work_type(school, "Ответ на уроке", "1")
    give(course, pupil, ["4", "4", "5"], answer, teacher, past.start)
    with scopes_disabled():
        mark = FinalMark.objects.create(
            school=school,
            pupil=pupil,
            course=course,
            period=past,
            kind=Kind.PERIOD,
            value=Value.THREE,
            marks_count=3,
            set_by=teacher,
        )
        column = service.column_for(course, Kind.PERIOD, past.pk)
    deputy = make_member(school, Role.DEPUTY, last_name="Завучева")
    return teacher, course, past, column, pupil, other, mark, deputy


def test_a_locked_column_without_a_reason_is_refused_and_nothing_is_requested(closed):
    teacher, course, _past, column, pupil, _other, mark, _deputy = closed
    assert column.locked(course.school.today())
    with scopes_disabled(), pytest.raises(ValidationError, match="Укажите причину"):
        final_corrections.request_corrections(
            course, column, {pupil.pk: ("4", False)}, reason="  ", user=teacher
        )
    with scopes_disabled():
        assert not FinalMarkCorrection.objects.exists()
        mark.refresh_from_db()
    assert mark.value == Value.THREE


def test_a_locked_change_with_a_reason_waits_for_the_deputy_who_applies_it_with_history(closed):
    teacher, course, _past, column, pupil, _other, mark, deputy = closed
    with scopes_disabled():
        errors, [request] = final_corrections.request_corrections(
            course,
            column,
            {pupil.pk: ("4", False)},
            reason="Ошибка при выставлении: средний балл 4,33",
            user=teacher,
        )
        assert errors == {}
        assert (request.old_value, request.new_value, request.status) == ("3", "4", Status.PENDING)
        mark.refresh_from_db()
        assert mark.value == Value.THREE  # nothing changes before the decision

        final_corrections.approve(request, by=deputy, note="Согласовано")
        mark.refresh_from_db()
        request.refresh_from_db()
        latest = mark.history.first()
    assert mark.value == Value.FOUR and mark.set_by == teacher
    assert (request.status, request.decided_by) == (Status.APPROVED, deputy)
    assert latest.history_user == deputy
    assert latest.history_change_reason.startswith(f"Исправление итоговой №{request.pk}")
    assert [h.value for h in mark.history.order_by("history_date")] == ["3", "4"]


def test_a_missing_mark_may_be_requested_and_few_marks_still_need_confirmation(closed):
    teacher, course, _past, column, _pupil, other, _mark, deputy = closed
    with scopes_disabled():
        errors, made = final_corrections.request_corrections(
            course, column, {other.pk: ("4", False)}, reason="Забыла выставить", user=teacher
        )
        assert "подтвердите отметку" in errors[other.pk] and made == []
        _errors, [request] = final_corrections.request_corrections(
            course, column, {other.pk: ("na", False)}, reason="Забыла выставить", user=teacher
        )
        assert request.old_value == ""
        final_corrections.approve(request, by=deputy)
        created = FinalMark.objects.get(pupil=other, course=course)
    assert created.value == Value.NOT_CERTIFIED


def test_a_rejected_or_stale_correction_changes_nothing(closed):
    teacher, course, _past, column, pupil, _other, mark, deputy = closed
    with scopes_disabled():
        _e, [first] = final_corrections.request_corrections(
            course, column, {pupil.pk: ("4", False)}, reason="Пересчёт", user=teacher
        )
        final_corrections.reject(first, by=deputy, note="Нет оснований")
        mark.refresh_from_db()
        assert mark.value == Value.THREE
        with pytest.raises(ValidationError, match="уже принято"):
            final_corrections.approve(first, by=deputy)

        _e, [second] = final_corrections.request_corrections(
            course, column, {pupil.pk: ("5", False)}, reason="Пересчёт", user=teacher
        )
        # The mark changed meanwhile (a retake with its protocol): the request is stale.
        FinalMark.objects.filter(pk=mark.pk).update(value=Value.TWO)
        with pytest.raises(ValidationError, match="изменилась после запроса"):
            final_corrections.approve(second, by=deputy)
        mark.refresh_from_db()
    assert mark.value == Value.TWO


def test_a_new_request_for_the_mark_supersedes_the_pending_one(closed):
    teacher, course, _past, column, pupil, _other, _mark, _deputy = closed
    with scopes_disabled():
        _e, [first] = final_corrections.request_corrections(
            course, column, {pupil.pk: ("4", False)}, reason="Пересчёт", user=teacher
        )
        _e, [second] = final_corrections.request_corrections(
            course, column, {pupil.pk: ("5", False)}, reason="Пересчёт ещё раз", user=teacher
        )
        first.refresh_from_db()
    assert first.status == Status.SUPERSEDED and second.status == Status.PENDING


def test_the_teacher_asks_in_the_browser_and_the_deputy_decides_on_the_corrections_page(
    client, closed
):
    teacher, course, past, _column, pupil, _other, mark, deputy = closed
    school = course.school
    client.force_login(teacher)
    overview = client.get(school_reverse(school, "grading:finals", pk=course.pk)).text
    assert "срок истёк" in overview and "исправить" in overview

    url = school_reverse(school, "grading:finals_edit", pk=course.pk)
    query = {"kind": "period", "period": past.pk}
    page = client.get(url, query).text
    assert "Отправить на согласование" in page and 'name="reason"' in page

    refused = client.post(url, {**query, f"value_{pupil.pk}": "4"})
    assert refused.status_code == 400
    assert "Укажите причину исправления" in refused.text

    sent = client.post(url, {**query, f"value_{pupil.pk}": "4", "reason": "Ошибка в расчёте"})
    assert sent.status_code == 302
    assert "на согласование" in client.get(sent.url).text
    assert "на согласовании: «4»" in client.get(url, query).text

    client.force_login(deputy)
    listing = client.get(school_reverse(school, "grading:corrections"))
    assert "Итоговые отметки после срока" in listing.text
    assert "Ошибка в расчёте" in listing.text and "3 → 4" in listing.text
    with scopes_disabled():
        request = FinalMarkCorrection.objects.get()
    decided = client.post(
        school_reverse(school, "grading:final_correction_decide", pk=request.pk),
        {"decision": "approve", "note": ""},
    )
    assert decided.status_code == 302
    with scopes_disabled():
        mark.refresh_from_db()
    assert mark.value == Value.FOUR


def test_a_teacher_cannot_decide_a_correction_of_a_final_mark(client, closed):
    teacher, course, _past, column, pupil, _other, mark, _deputy = closed
    with scopes_disabled():
        _e, [request] = final_corrections.request_corrections(
            course, column, {pupil.pk: ("5", False)}, reason="Пересчёт", user=teacher
        )
    client.force_login(teacher)
    url = school_reverse(course.school, "grading:final_correction_decide", pk=request.pk)
    assert client.post(url, {"decision": "approve"}).status_code == 403
    with scopes_disabled():
        mark.refresh_from_db()
    assert mark.value == Value.THREE


def test_an_open_column_is_still_set_at_once(closed):
    teacher, course, past, _column, pupil, _other, _mark, _deputy = closed
    # Marks may be set 60 days after the period.
    set_rules(course.school, final_marks_days=-60)
    with scopes_disabled():
        column = service.column_for(course, Kind.PERIOD, past.pk)
        assert not column.locked(course.school.today())
        assert column.deadline == past.end + timedelta(days=60)
        assert service.set_final_marks(course, column, {pupil.pk: ("4", False)}, user=teacher) == {}
        assert not FinalMarkCorrection.objects.exists()
