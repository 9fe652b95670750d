"""The nightly check of journal keeping: each kind of shortfall before and after its deadline
(the school's clock and time zone decide), closing by itself once the record is entered, and
a re-run updating the same rows."""

from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from grading.models import CorrectionRequest, FinalMark
from journal.models import Homework, PlanTopic
from reports.models import ControlState, Shortfall
from reports.services.control import due_checks
from schedule.models import Lesson

from .builders import add_absence, add_homework, add_mark
from .control_builders import at, check, desk, found, lesson, next_day

pytestmark = pytest.mark.django_db
Kind = Shortfall.Kind


def test_a_lesson_without_its_topic_is_found_the_day_after_and_closes_when_written():
    d = desk()
    monday = d.family.monday
    held = lesson(d, monday, topic="")
    add_absence(held, d.pupils[0])
    check(d, monday, 21)
    assert found(d, Kind.TOPIC) == []  # the day of the lesson is still on time
    check(d, next_day(monday), 21)
    [row] = found(d, Kind.TOPIC)
    assert (row.lesson_id, row.course_id, row.teacher_id) == (held.pk, d.course.pk, d.teacher.pk)
    assert row.deadline == monday
    with scopes_disabled():
        Lesson.objects.filter(pk=held.pk).update(topic="Дроби")
    check(d, next_day(monday, 2), 21)
    assert found(d, Kind.TOPIC) == []
    [closed] = found(d, Kind.TOPIC, open_only=False)
    assert closed.pk == row.pk and closed.fixed_at is not None


def test_the_school_time_zone_decides_the_day():
    # 15:30 UTC on Monday is 01:30 on Tuesday in Vladivostok and 18:30 on Monday in Moscow.
    east, west = desk("Asia/Vladivostok"), desk("Europe/Moscow")
    for d in (east, west):
        lesson(d, d.family.monday, topic="")
    import time_machine

    from reports.services.control import do_check_school

    moment = at("UTC", east.family.monday, 15, 30)
    with time_machine.travel(moment, tick=False):
        do_check_school(east.school.pk)
        do_check_school(west.school.pk)
    assert len(found(east, Kind.TOPIC)) == 1
    assert found(west, Kind.TOPIC) == []


def test_a_lesson_with_no_record_at_all_lacks_attendance_until_one_is_entered():
    d = desk(records_days=1)
    monday = d.family.monday
    held = lesson(d, monday, topic="")
    check(d, next_day(monday), 21)
    assert found(d, Kind.ATTENDANCE) == []  # a day after is still on time (records_days=1)
    check(d, next_day(monday, 2), 21)
    [row] = found(d, Kind.ATTENDANCE)
    assert row.deadline == next_day(monday)
    add_absence(held, d.pupils[1])
    check(d, next_day(monday, 2), 22)
    assert found(d, Kind.ATTENDANCE) == []
    assert len(found(d, Kind.TOPIC)) == 1  # the topic is still missing


def test_homework_is_due_by_the_regulation_hour_and_a_late_one_is_recorded_closed():
    d = desk(homework_rule="by_time")
    monday = d.family.monday
    held = lesson(d, monday)
    check(d, monday, 19, 30)
    assert found(d, Kind.HOMEWORK) == []  # due at 20:00
    check(d, monday, 20, 30)
    [row] = found(d, Kind.HOMEWORK)
    assert row.lesson_id == held.pk
    homework = add_homework(held)
    with scopes_disabled():
        Homework.objects.filter(pk=homework.pk).update(entered_late=True)
    check(d, monday, 21)
    assert found(d, Kind.HOMEWORK) == []
    [late] = found(d, Kind.HOMEWORK_LATE, open_only=False)
    assert late.lesson_id == held.pk and late.fixed_at is not None


def test_a_written_work_without_marks_is_due_within_the_regulation_days():
    d = desk(written_work_days=3)
    monday = d.family.monday
    work = lesson(d, monday, kind=Lesson.Kind.TEST)
    add_homework(work)
    check(d, next_day(monday, 3), 21)
    assert found(d, Kind.WRITTEN_WORK) == []
    check(d, next_day(monday, 4), 21)
    [row] = found(d, Kind.WRITTEN_WORK)
    assert row.deadline == next_day(monday, 3)
    add_mark(work, d.pupils[0], "4", kind=Lesson.Kind.TEST)
    check(d, next_day(monday, 4), 22)
    assert found(d, Kind.WRITTEN_WORK) == []


def test_a_course_with_too_few_days_with_marks_in_a_finished_week():
    d = desk(min_mark_days_per_week=2)
    monday = d.family.monday
    lessons = [lesson(d, monday + timedelta(days=n)) for n in range(3)]
    add_mark(lessons[0], d.pupils[0])
    check(d, next_day(monday, 4), 21)
    assert found(d, Kind.MARK_DAYS) == []  # the week is not over
    check(d, next_day(monday, 7), 21)
    [row] = found(d, Kind.MARK_DAYS)
    assert row.course_id == d.course.pk and row.deadline == next_day(monday, 6)
    add_mark(lessons[2], d.pupils[1])
    check(d, next_day(monday, 7), 22)
    assert found(d, Kind.MARK_DAYS) == []


def test_pupils_with_no_mark_or_one_mark_past_the_middle_of_the_period():
    d = desk()
    period = d.period
    middle = period.start + (period.end - period.start) / 2
    held = lesson(d, period.start + timedelta(days=2))
    add_mark(held, d.pupils[0])
    check(d, middle, 21)
    assert found(d, Kind.NO_MARKS) == found(d, Kind.ONE_MARK) == []
    check(d, next_day(middle), 21)
    [none] = found(d, Kind.NO_MARKS)
    [one] = found(d, Kind.ONE_MARK)
    assert (none.pupil_id, one.pupil_id) == (d.pupils[1].pk, d.pupils[0].pk)
    assert none.period_id == period.pk
    add_mark(held, d.pupils[1], "3")
    check(d, next_day(middle), 22)
    assert found(d, Kind.NO_MARKS) == []
    assert [r.pupil_id for r in found(d, Kind.ONE_MARK)] == [d.pupils[0].pk, d.pupils[1].pk]


def test_too_few_marks_for_a_period_mark_when_its_last_school_days_come():
    d = desk(few_marks_days_left=2, min_marks_for_period=3)
    end = d.period.end
    last_days = [end - timedelta(days=n) for n in (3, 2, 1)]
    for day in last_days:
        lesson(d, day)
    early = lesson(d, d.period.start + timedelta(days=1))
    later = lesson(d, d.period.start + timedelta(days=2), number=2)
    for pupil in d.pupils:
        add_mark(early, pupil)
        add_mark(later, pupil)
    check(d, next_day(last_days[0], -1), 21)  # three school days left
    assert found(d, Kind.FEW_MARKS) == []
    check(d, last_days[0], 21)  # two left
    rows = found(d, Kind.FEW_MARKS)
    assert sorted(r.pupil_id for r in rows) == sorted(p.pk for p in d.pupils)
    assert rows[0].detail == "2 из 3"


def test_period_marks_not_set_by_their_deadline():
    d = desk(final_marks_days=2)
    end = d.period.end
    check(d, end - timedelta(days=2), 21)
    assert found(d, Kind.FINAL_MARK) == []
    check(d, end - timedelta(days=1), 21)
    rows = found(d, Kind.FINAL_MARK)
    assert sorted(r.pupil_id for r in rows) == sorted(p.pk for p in d.pupils)
    assert rows[0].deadline == end - timedelta(days=2)
    with scopes_disabled():
        FinalMark.objects.create(
            school=d.school,
            pupil=d.pupils[0],
            course=d.course,
            period=d.period,
            kind=FinalMark.Kind.PERIOD,
            value="4",
            set_by=d.teacher,
        )
    check(d, end - timedelta(days=1), 22)
    assert [r.pupil_id for r in found(d, Kind.FINAL_MARK)] == [d.pupils[1].pk]


def test_a_course_without_a_plan_and_a_course_behind_it():
    d = desk(plan_deadline_days=0, plan_lag_hours=1)
    year = d.family.year
    check(d, year.start, 21)
    assert found(d, Kind.NO_PLAN) == []  # the deadline is the first day itself
    check(d, next_day(year.start), 21)
    [row] = found(d, Kind.NO_PLAN)
    assert row.course_id == d.course.pk
    monday = d.family.monday
    with scopes_disabled():
        for n in range(1, 6):
            PlanTopic.objects.create(
                school=d.school,
                course=d.course,
                position=n,
                title=f"Тема {n}",
                created_by=d.teacher,
            )
    for n in range(3):
        lesson(d, monday + timedelta(days=n))
    lesson(d, monday + timedelta(days=3), status=Lesson.Status.CANCELLED)
    check(d, next_day(monday, 5), 21)
    assert found(d, Kind.NO_PLAN) == []
    assert found(d, Kind.PLAN_LAG) == []  # one hour behind: allowed
    lesson(d, monday + timedelta(days=4), status=Lesson.Status.CANCELLED)
    check(d, next_day(monday, 5), 22)
    [lag] = found(d, Kind.PLAN_LAG)
    assert lag.detail == "отставание на 2 ч"


def test_a_correction_request_waiting_longer_than_the_regulation_days():
    d = desk(correction_wait_days=3)
    monday = d.family.monday
    held = lesson(d, monday)
    with scopes_disabled():
        request = CorrectionRequest.objects.create(
            school=d.school,
            lesson=held,
            pupil=d.pupils[0],
            kind=CorrectionRequest.Kind.MARK,
            new_value="5",
            reason="Ошибка",
            requested_by=d.teacher,
            requested_at=at(d.school.timezone, monday, 10),
        )
    check(d, next_day(monday, 3), 9)
    assert found(d, Kind.CORRECTION) == []
    check(d, next_day(monday, 3), 11)
    [row] = found(d, Kind.CORRECTION)
    assert row.lesson_id == held.pk and row.teacher_id is None
    with scopes_disabled():
        CorrectionRequest.objects.filter(pk=request.pk).update(status="approved")
    check(d, next_day(monday, 3), 12)
    assert found(d, Kind.CORRECTION) == []


def test_a_rerun_updates_the_same_rows_and_keeps_when_they_were_found():
    d = desk()
    monday = d.family.monday
    for n in range(3):
        lesson(d, monday + timedelta(days=n), topic="")
    first = check(d, next_day(monday, 4), 21)
    with scopes_disabled():
        before = {r.pk: r.found_at for r in Shortfall.objects.filter(school=d.school)}
    second = check(d, next_day(monday, 4), 22)
    with scopes_disabled():
        after = {r.pk: r.found_at for r in Shortfall.objects.filter(school=d.school)}
        state = ControlState.objects.get(school=d.school)
    assert before == after and before
    assert (first.open, second.open, second.closed) == (len(before), len(before), 0)
    assert state.runs == 2 and state.checked_on == next_day(monday, 4)


def test_a_row_fixed_and_broken_again_opens_again():
    d = desk()
    monday = d.family.monday
    held = lesson(d, monday, topic="")
    check(d, next_day(monday), 21)
    with scopes_disabled():
        Lesson.objects.filter(pk=held.pk).update(topic="Дроби")
    check(d, next_day(monday), 22)
    assert found(d, Kind.TOPIC) == []
    with scopes_disabled():
        Lesson.objects.filter(pk=held.pk).update(topic="")
    check(d, next_day(monday), 23)
    assert len(found(d, Kind.TOPIC)) == 1
    assert len(found(d, Kind.TOPIC, open_only=False)) == 1


def test_the_tick_queues_schools_whose_hour_has_come_once_a_day():
    d = desk(control_hour=20)
    monday = d.family.monday
    zone = d.school.timezone
    assert d.school.pk not in [s for s, _day in due_checks(at(zone, monday, 19, 59))]
    assert (d.school.pk, monday) in due_checks(at(zone, monday, 20, 5))
    import time_machine

    from reports import tasks

    with time_machine.travel(at(zone, monday, 20, 5), tick=False):
        assert tasks.control_tick() >= 1  # eager: the check runs
    assert (d.school.pk, monday) not in due_checks(at(zone, monday, 21, 5))
    assert (d.school.pk, next_day(monday)) in due_checks(at(zone, next_day(monday), 20, 5))
