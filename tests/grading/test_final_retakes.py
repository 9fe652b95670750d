"""Retakes of a failing final mark, each with its protocol (date, commission, result)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from grading.models import FinalMark, Retake
from grading.services import finals as service
from tests.factories import make_member

from .finals_builders import course_with_pupils, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(school):
    school.kind = school.Kind.COLLEGE
    school.save()
    teacher, course, (pupil,) = course_with_pupils(school, 1, grade=2, letter="ТМ-21")
    with scopes_disabled():
        mark = FinalMark.objects.create(
            school=school, pupil=pupil, course=course, kind="exam", value="2", set_by=teacher
        )
    members = [make_member(school, Role.TEACHER, last_name=n) for n in ("Петров", "Сидорова")]
    return teacher, mark, members


def retake(mark, teacher, members, result="4", **kwargs):
    with scopes_disabled():
        return service.record_retake(
            mark,
            held_on=kwargs.pop("held_on", today()),
            protocol_number=kwargs.pop("protocol_number", "12"),
            commission=members,
            result=result,
            user=teacher,
            **kwargs,
        )


def test_a_retake_with_its_protocol_changes_the_mark_and_keeps_the_old_one(failed):
    teacher, mark, members = failed
    record = retake(mark, teacher, members, "4", order_number="Приказ № 45 от 01.02")
    mark.refresh_from_db()
    assert mark.value == "4"
    assert (record.attempt, record.previous_value, record.result) == (1, "2", "4")
    with scopes_disabled():
        assert set(record.commission.all()) == set(members)
        assert [h.value for h in mark.history.all()] == ["4", "2"]
        assert mark.history.first().history_user == teacher


def test_two_retakes_at_most_and_only_of_a_failing_mark(failed):
    teacher, mark, members = failed
    retake(mark, teacher, members, "2")
    second = retake(mark, teacher, members, "2", protocol_number="13")
    assert second.attempt == 2
    with pytest.raises(ValidationError, match="не более двух раз"):
        retake(mark, teacher, members, "3")
    with scopes_disabled():
        passed = FinalMark.objects.create(
            school=mark.school,
            pupil=mark.pupil,
            course=mark.course,
            kind="diff_credit",
            value="4",
            set_by=teacher,
        )
    with pytest.raises(ValidationError, match="только для неудовлетворительной"):
        retake(passed, teacher, members)


def test_a_protocol_needs_a_past_date_a_number_and_a_commission(failed):
    teacher, mark, members = failed
    with pytest.raises(ValidationError, match="ещё не наступила"):
        retake(mark, teacher, members, held_on=today() + timedelta(days=1))
    with pytest.raises(ValidationError, match="номер протокола"):
        retake(mark, teacher, members, protocol_number=" ")
    with pytest.raises(ValidationError, match="членов комиссии"):
        retake(mark, teacher, [])
    with pytest.raises(ValidationError, match="Недопустимый результат"):
        retake(mark, teacher, members, "pass")
    with scopes_disabled():
        assert not Retake.objects.exists()


def test_the_teacher_records_a_retake_in_the_browser(client, failed):
    teacher, mark, members = failed
    client.force_login(teacher)
    url = school_reverse(mark.school, "grading:retake", pk=mark.pk)
    page = client.get(url).text
    assert "Петров" in page and "Сидорова" in page

    response = client.post(url, {"held_on": "", "protocol_number": "", "result": "4"})
    assert response.status_code == 400
    assert "Укажите дату." in response.text and "Отметьте членов комиссии." in response.text

    response = client.post(
        url,
        {
            "held_on": today().isoformat(),
            "protocol_number": "7",
            "commission": [m.pk for m in members],
            "result": "3",
        },
    )
    assert response.status_code == 302
    mark.refresh_from_db()
    assert mark.value == "3"
    page = client.get(url).text
    assert "№ 7" in page and "Отметка удовлетворительная" in page


def test_a_retake_is_dated_by_the_schools_own_day(failed, monkeypatch):
    """At 02:00 on the 24th in Petropavlovsk-Kamchatsky it is still the 23rd in Moscow: a
    retake held that morning is not «yet to come» for a school there."""
    teacher, mark, members = failed
    with scopes_disabled():
        mark.school.timezone = "Asia/Kamchatka"
        mark.school.save()
    moment = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    record = retake(mark, teacher, members, "2", held_on=date(2026, 11, 24))
    assert record.held_on == date(2026, 11, 24)
    with pytest.raises(ValidationError, match="ещё не наступила"):
        retake(mark, teacher, members, "4", held_on=date(2026, 11, 25))
