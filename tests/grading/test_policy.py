"""The write policy: each kind of record before and after its deadline, on the school's own
clock (two time zones), refusals with their reasons, and every write path asking it."""

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.regulation import RecordKind
from grading.models import CorrectionRequest, FinalMark, Mark
from grading.policy import Rights, Verdict, lesson_verdict
from grading.services import corrections
from grading.services import finals as finals_service
from journal.models import Attendance, Homework
from journal.services.homework import save_homework
from journal.services.plan.lessons import save_lesson_topic
from schedule.models import Bell, BellSchedule, Lesson
from tests.factories import make_member, set_rules
from tests.journal.grid_builders import add_lesson, build_journal

pytestmark = pytest.mark.django_db

KEEPS = Rights(keeps=True, leads=False)
ZONES = ["Europe/Moscow", "Asia/Kamchatka"]


def at(zone: str, day: date, hour: int, minute: int = 0) -> datetime:
    """A moment on a school's wall clock."""
    return datetime.combine(day, time(hour, minute), ZoneInfo(zone))


def journal_in(zone: str, **rules):
    journal = build_journal(1, 0)
    journal.school.timezone = zone
    journal.school.save()
    if rules:
        set_rules(journal.school, **rules)
    return journal


def lesson_on(journal, day: date, number=1, **kwargs) -> Lesson:
    lesson = add_lesson(journal.course, day, number=number, **kwargs)
    with scopes_disabled():
        lesson = Lesson.objects.select_related(
            "course__school_class", "course__year", "school"
        ).get(pk=lesson.pk)
    lesson.school = journal.school
    return lesson


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    "kind,window",
    [
        (RecordKind.MARK, "lock_marks_days"),
        (RecordKind.ATTENDANCE, "lock_attendance_days"),
        (RecordKind.TOPIC, "lock_topics_days"),
    ],
)
def test_a_record_is_open_through_its_window_and_locked_the_next_school_day(zone, kind, window):
    # Each kind has its own window; the others are left at a week to show they don't count.
    journal = journal_in(zone, **{window: 3})
    lesson = lesson_on(journal, date(2026, 9, 14))
    last_open = at(zone, date(2026, 9, 17), 23, 59)
    first_locked = at(zone, date(2026, 9, 18), 0, 1)
    assert lesson_verdict(journal.teacher, lesson, kind, rights=KEEPS, now=last_open).may_write
    locked = lesson_verdict(journal.teacher, lesson, kind, rights=KEEPS, now=first_locked)
    assert locked.needs_correction and locked.locks_on == date(2026, 9, 18)
    assert "18.09.2026" in locked.reason and "заместителя директора" in locked.reason


def test_the_lock_follows_the_schools_day_not_the_servers():
    # 21:30 UTC on the 17th is the 18th in Moscow and in Kamchatka, still the 17th in
    # Kaliningrad: the same moment locks the lesson in two schools and not in the third.
    moment = datetime(2026, 9, 17, 21, 30, tzinfo=ZoneInfo("UTC"))
    verdicts = {}
    for zone in ("Europe/Kaliningrad", "Europe/Moscow", "Asia/Kamchatka"):
        journal = journal_in(zone, lock_marks_days=3)
        lesson = lesson_on(journal, date(2026, 9, 14))
        verdicts[zone] = lesson_verdict(
            journal.teacher, lesson, RecordKind.MARK, rights=KEEPS, now=moment
        ).status
        assert journal.school.zone.key == zone
    assert verdicts == {
        "Europe/Kaliningrad": Verdict.WRITE,
        "Europe/Moscow": Verdict.CORRECTION,
        "Asia/Kamchatka": Verdict.CORRECTION,
    }


def test_a_change_of_the_window_never_reopens_what_had_locked_and_a_shorter_one_locks_at_once():
    journal = journal_in("Europe/Moscow", lock_marks_days=3)
    old = lesson_on(journal, date(2026, 9, 1))  # locked since the 5th
    recent = lesson_on(journal, date(2026, 9, 10), number=2)
    regulation = journal.school.regulation
    with time_machine.travel(at("Europe/Moscow", date(2026, 9, 12), 10), tick=False):
        regulation.lock_marks_days = 14
        regulation.save()
    now = at("Europe/Moscow", date(2026, 9, 12), 11)
    assert regulation.lock_day(RecordKind.MARK, old.date) == date(2026, 9, 5)
    assert lesson_verdict(journal.teacher, old, "mark", rights=KEEPS, now=now).needs_correction
    # The lesson still open on the 12th takes the new, longer window.
    assert regulation.lock_day(RecordKind.MARK, recent.date) == date(2026, 9, 25)
    assert lesson_verdict(journal.teacher, recent, "mark", rights=KEEPS, now=now).may_write
    with time_machine.travel(at("Europe/Moscow", date(2026, 9, 20), 10), tick=False):
        regulation.lock_marks_days = 2
        regulation.save()
    # Shortened on the 20th: the lesson of the 10th is past two days, so it locks that day.
    assert regulation.lock_day(RecordKind.MARK, recent.date) == date(2026, 9, 20)
    assert regulation.history.count() >= 3


@pytest.mark.parametrize("zone", ZONES)
def test_homework_after_the_classes_last_lesson_and_its_margin_is_accepted_as_late(zone):
    journal = journal_in(zone, homework_rule="after_last", homework_minutes=90)
    with scopes_disabled():
        bells = BellSchedule.objects.create(school=journal.school, name="1 смена")
        for number, (start, end) in enumerate([(time(8), time(8, 45)), (time(9), time(9, 30))], 1):
            Bell.objects.create(
                school=journal.school, schedule=bells, number=number, start=start, end=end
            )
        journal.school_class.bell_schedule = bells
        journal.school_class.save()
    day = date(2026, 9, 14)
    first = lesson_on(journal, day, number=1)
    lesson_on(journal, day, number=2)  # the class's last lesson ends at 9:30
    with time_machine.travel(at(zone, day, 10, 59), tick=False), scopes_disabled():
        on_time = lesson_verdict(journal.teacher, first, RecordKind.HOMEWORK, rights=KEEPS)
    assert on_time.may_write and not on_time.late
    assert on_time.deadline == at(zone, day, 11, 0)
    with time_machine.travel(at(zone, day, 11, 1), tick=False), scopes_disabled():
        homework = save_homework(
            first, text="§ 3", due_date=day + timedelta(days=2), user=journal.teacher
        )
    assert homework.entered_late and homework.due_in_journal == at(zone, day, 11, 0)
    with scopes_disabled():
        assert Homework.objects.get().entered_late


def test_homework_by_an_hour_or_by_the_next_lesson():
    zone = "Asia/Kamchatka"
    journal = journal_in(zone, homework_rule="by_time", homework_time=time(20, 0))
    lesson = lesson_on(journal, date(2026, 9, 14))
    with scopes_disabled():
        by_hour = lesson_verdict(
            journal.teacher, lesson, "homework", rights=KEEPS, now=at(zone, lesson.date, 9)
        )
    assert by_hour.deadline == at(zone, date(2026, 9, 14), 20) and not by_hour.late
    set_rules(journal.school, homework_rule="next_lesson")
    lesson.school = journal.school
    lesson_on(journal, date(2026, 9, 17), number=3)
    with scopes_disabled():
        late = lesson_verdict(
            journal.teacher, lesson, "homework", rights=KEEPS, now=at(zone, date(2026, 9, 17), 9)
        )
    # No bells: the next lesson is taken at 8:00 of its day.
    assert late.deadline == at(zone, date(2026, 9, 17), 8) and late.late


def test_refusals_say_why():
    journal = journal_in("Europe/Moscow")
    teacher, other = journal.teacher, make_member(journal.school, Role.TEACHER)
    now = at("Europe/Moscow", date(2026, 10, 1), 12)
    held = lesson_on(journal, date(2026, 9, 30))
    future = lesson_on(journal, date(2026, 10, 2))
    cancelled = lesson_on(journal, date(2026, 9, 29), status=Lesson.Status.CANCELLED)
    cases = [
        (other, held, "mark", Rights(False, False), "Отметки ставит учитель урока."),
        (other, held, "attendance", Rights(False, False), "Нет права изменять посещаемость"),
        (teacher, future, "mark", KEEPS, "ещё не прошёл"),
        (teacher, future, "attendance", KEEPS, "ещё не прошёл"),
        (teacher, cancelled, "topic", KEEPS, "отменён: записи в нём не ведутся"),
    ]
    for user, lesson, kind, rights, reason in cases:
        verdict = lesson_verdict(user, lesson, kind, rights=rights, now=now)
        assert verdict.refused and reason in verdict.reason, (kind, verdict)
    # A topic and homework may be written ahead of the lesson.
    assert lesson_verdict(teacher, future, "topic", rights=KEEPS, now=now).may_write
    with scopes_disabled():
        assert lesson_verdict(teacher, future, "homework", rights=KEEPS, now=now).may_write


def test_a_class_without_marks_takes_attendance_and_topics_only():
    journal = build_journal(1, 1, recent=True, no_marks=True)
    lesson = journal.lessons[0]
    with scopes_disabled():
        lesson = Lesson.objects.select_related("course__school_class", "course__year").get(
            pk=lesson.pk
        )
    lesson.school = journal.school
    with scopes_disabled():
        verdicts = {
            kind: lesson_verdict(journal.teacher, lesson, kind, rights=KEEPS)
            for kind in ("mark", "attendance", "topic", "homework")
        }
    assert verdicts["mark"].refused and "учится без отметок" in verdicts["mark"].reason
    assert verdicts["homework"].refused and "не задаётся" in verdicts["homework"].reason
    assert verdicts["attendance"].may_write and verdicts["topic"].may_write


def close_year(journal):
    with scopes_disabled():
        year = journal.course.year
        year.closed_at = timezone.now()
        year.save()


def test_a_closed_year_refuses_every_write_path():
    journal = build_journal(1, 2, recent=True)
    lesson, pupil = journal.lessons[-1], journal.pupils[0]
    deputy = make_member(journal.school, Role.DEPUTY)
    client = journal.client_for(journal.teacher)
    column = journal.main_type(lesson).id
    # A correction asked before the year closed cannot be applied after.
    set_rules(journal.school, lock_marks_days=0)
    first = journal.lessons[0]
    client.post(journal.cell_url(first, pupil), {"value": "5", "column": column, "reason": "р"})
    with scopes_disabled():
        request = CorrectionRequest.objects.get()
    close_year(journal)

    cell = client.post(journal.cell_url(lesson, pupil), {"value": "5", "column": column})
    assert cell.status_code == 400 and "закрыт" in json.loads(cell.content)["error"]
    # The grid is read-only, and a plain form posted anyway writes nothing.
    assert "<input name=c" not in client.get(journal.url()).content.decode()
    client.post(journal.url("journal:grid_save"), {f"c{lesson.pk}_{pupil.pk}_{column}": "5"})
    page = client.post(
        journal.url("journal:lesson_edit", pk=lesson.pk), {"topic": "Новая", "kind": "lesson"}
    )
    assert page.status_code == 400 and "закрыт" in page.content.decode()
    with scopes_disabled(), pytest.raises(ValidationError, match="закрыт"):
        save_lesson_topic(
            lesson, plan_topic=None, topic="X", kind="lesson", note="", user=journal.teacher
        )
    with scopes_disabled(), pytest.raises(ValidationError, match="закрыт"):
        corrections.approve(request, by=deputy)
    with scopes_disabled():
        column_final = finals_service.column_for(journal.course, FinalMark.Kind.YEAR)
        with pytest.raises(ValidationError, match="закрыт"):
            finals_service.set_final_marks(
                journal.course, column_final, {pupil.pk: ("5", False)}, user=journal.teacher
            )
        assert not Mark.objects.exists() and not Attendance.objects.exists()
        assert not FinalMark.objects.exists()
        assert Lesson.objects.get(pk=lesson.pk).topic == ""
