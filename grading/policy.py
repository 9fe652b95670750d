"""The write policy: may this user write this record of this lesson now — or is a correction
needed, and why. Every write path asks it: the grid's cell and its plain form, the lesson
page (topic, homework), absence reasons, final marks, corrections, bulk fills.

The answer is a Verdict:
- WRITE: write it (for homework past its deadline: write it, recorded as late);
- CORRECTION: the record is locked (the regulation's window has passed): a change needs a
  reason and becomes a request the deputy decides;
- REFUSED: nobody may write it now (the year is closed, the lesson was cancelled or has not
  happened, the class studies without marks, or the user does not keep this lesson), with
  the reason in Russian.

The rules come from the school's regulation (accounts.regulation) and the school's own clock;
who keeps which lesson comes from the guardian grants (grading.rules). Which attendance codes
a teacher or a class teacher may set is decided beside attendance (journal), once this says
the user may write attendance at all.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Max
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from accounts.regulation import LOCKING_KINDS, RecordKind
from accounts.rules import reads_only
from accounts.words import words_for
from schedule.models import Bell, Lesson

from .rules import leads_class_of, substitutes, teaches_course

Kind = RecordKind


@dataclass(frozen=True)
class Rights:
    keeps: bool  # keeps the lesson: a teacher of the course, or its substitute
    leads: bool  # the class teacher of the lesson's class


def rights_for(user, lesson) -> Rights:
    """What the user holds in this lesson (no query when the lesson came `with_user_perms`)."""
    return Rights(
        keeps=bool(teaches_course(user, lesson) or substitutes(user, lesson)),
        leads=bool(leads_class_of(user, lesson)),
    )


@dataclass(frozen=True)
class Verdict:
    status: str
    reason: str = ""
    locks_on: date | None = None  # the first day the record is locked
    deadline: datetime | None = None  # homework: when it was due
    late: bool = False  # homework entered after its deadline (accepted, recorded)

    WRITE, CORRECTION, REFUSED = "write", "correction", "refused"

    @property
    def may_write(self) -> bool:
        return self.status == self.WRITE

    @property
    def needs_correction(self) -> bool:
        return self.status == self.CORRECTION

    @property
    def refused(self) -> bool:
        return self.status == self.REFUSED


def read_only_reason() -> str:
    return _("Организация читает журнал школы и ничего в нём не изменяет.")


def _refused(reason: str) -> Verdict:
    return Verdict(Verdict.REFUSED, reason)


def fmt(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def year_closed_reason(year) -> str | None:
    if year is not None and year.closed_at is not None:
        return _("Учебный год %(year)s закрыт: записи журнала только для чтения.") % {
            "year": year.name
        }
    return None


def locked_message(kind: str, lesson_date: date, locks_on: date) -> str:
    return _(
        "%(what)s урока %(date)s закрыты с %(locked)s. Изменение требует причины и согласования "
        "заместителя директора."
    ) % {
        "what": {
            Kind.MARK: _("Отметки"),
            Kind.ATTENDANCE: _("Записи посещаемости"),
            Kind.TOPIC: _("Тема и тип"),
        }[kind],
        "date": fmt(lesson_date),
        "locked": fmt(locks_on),
    }


lazy_message = lazy(locked_message, str)


def no_homework_reason(school) -> str:
    """Why a lesson of a class without marks takes no homework, in the school's words."""
    if words_for(school).college:
        return _("В группах без отметок домашнее задание не задаётся.")
    return _("В классах без отметок домашнее задание не задаётся.")


def lesson_verdict(
    user, lesson, kind: str, *, rights: Rights | None = None, now: datetime | None = None
) -> Verdict:
    """The verdict on writing a record of `kind` in `lesson` (with its course, class, year
    and school at hand: the pages that write load them with the lesson)."""
    school = lesson.school
    now = now or school.now()
    today = now.astimezone(school.zone).date()
    course = lesson.course
    if reads_only(user, school.pk):
        return _refused(read_only_reason())
    closed = year_closed_reason(course.year)
    if closed:
        return _refused(closed)
    if lesson.status != Lesson.Status.PLANNED:
        return _refused(
            _("Урок %(date)s %(status)s: записи в нём не ведутся.")
            % {"date": fmt(lesson.date), "status": lesson.get_status_display()}
        )
    rights = rights or rights_for(user, lesson)
    if kind == Kind.ATTENDANCE:
        if not (rights.keeps or rights.leads):
            return _refused(_("Нет права изменять посещаемость этого урока."))
    elif not rights.keeps:
        return _refused(
            {
                Kind.MARK: _("Отметки ставит %(teacher)s урока."),
                Kind.TOPIC: _("Тему урока записывает %(teacher)s урока."),
                Kind.HOMEWORK: _("Домашнее задание записывает %(teacher)s урока."),
            }[kind]
            % words_for(school)
        )
    if kind in (Kind.MARK, Kind.HOMEWORK) and not course.gives_marks:
        return _refused(
            (
                _("%(Class)s %(cls)s учится без отметок: ставится только посещаемость.")
                if kind == Kind.MARK
                else no_homework_reason(school)
            )
            % {"Class": words_for(school).Class, "cls": course.school_class.name}
        )
    if kind in (Kind.MARK, Kind.ATTENDANCE) and lesson.date > today:
        return _refused(
            _("Урок %(date)s ещё не прошёл: записи ставятся в день урока и позже.")
            % {"date": fmt(lesson.date)}
        )
    regulation = school.regulation
    if kind in LOCKING_KINDS:
        locks_on = regulation.lock_day(kind, lesson.date)
        if today >= locks_on:
            # Worded only when shown: the grid asks this of every lesson of a period.
            reason = lazy_message(kind, lesson.date, locks_on)
            return Verdict(Verdict.CORRECTION, reason, locks_on=locks_on)
        return Verdict(Verdict.WRITE, locks_on=locks_on)
    deadline = homework_deadline(lesson)
    return Verdict(Verdict.WRITE, deadline=deadline, late=now > deadline)


def homework_deadline(lesson) -> datetime:
    """When the lesson's homework is due in the journal under the school's regulation: by
    an hour of the lesson's day, some minutes after the class's last lesson that day, or by
    the course's next lesson (two queries at most)."""
    regulation = lesson.school.regulation
    rule = regulation.homework_rule
    last_end, next_start = None, None
    if rule == regulation.Homework.AFTER_LAST_LESSON:
        last_end = last_lesson_end(lesson)
    elif rule == regulation.Homework.BY_NEXT_LESSON:
        next_start = next_lesson_start(lesson)
    return regulation.homework_deadline(lesson.date, last_end, next_start)


def _bell(school_class, number: int, field: str) -> time | None:
    if school_class.bell_schedule_id is None or number is None:
        return None
    return (
        Bell.objects.filter(schedule_id=school_class.bell_schedule_id, number=number)
        .values_list(field, flat=True)
        .first()
    )


def last_lesson_end(lesson) -> time | None:
    """When the class's last lesson of the lesson's day ends (by its bells), or None."""
    school_class = lesson.course.school_class
    last = Lesson.objects.filter(
        course__school_class_id=school_class.pk, date=lesson.date, status=Lesson.Status.PLANNED
    ).aggregate(n=Max("number"))["n"]
    return _bell(school_class, last, "end")


def next_lesson_start(lesson) -> datetime | None:
    following = (
        Lesson.objects.filter(
            course_id=lesson.course_id, date__gt=lesson.date, status=Lesson.Status.PLANNED
        )
        .order_by("date", "number")
        .values_list("date", "number")
        .first()
    )
    if following is None:
        return None
    day, number = following
    starts = _bell(lesson.course.school_class, number, "start") or time(8, 0)
    return datetime.combine(day, starts, lesson.school.zone)


def final_verdict(user, course, column, *, today: date | None = None) -> Verdict:
    """The verdict on setting a final mark of `column` (grading.services.finals.Column)."""
    if reads_only(user, course.school_id):
        return _refused(read_only_reason())
    closed = year_closed_reason(course.year)
    if closed:
        return _refused(closed)
    if not teaches_course(user, course):
        return _refused(_("Итоговые отметки выставляет учитель курса."))
    today = today or course.school.today()
    if today > column.deadline:
        return Verdict(
            Verdict.CORRECTION,
            _(
                "Срок выставления итоговых отметок «%(column)s» истёк %(deadline)s: "
                "изменение требует причины и согласования заместителя директора."
            )
            % {"column": column.label, "deadline": fmt(column.deadline)},
            locks_on=column.deadline + timedelta(days=1),
        )
    return Verdict(Verdict.WRITE, locks_on=column.deadline + timedelta(days=1))


def decision_verdict(year) -> Verdict:
    """May a deputy apply an approved correction now? Only while the year is open."""
    closed = year_closed_reason(year)
    return _refused(closed) if closed else Verdict(Verdict.WRITE)
