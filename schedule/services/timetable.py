"""The timetable: weekly entries of courses, the clashes between them, and the grids to show.

One function decides whether two slots clash (`clashes`): a teacher, a room, or a class in two
places at once, on some day both entries run (their date ranges overlap and their week parity
allows it). «At once» is by the bells: classes of different shifts number their lessons from
their own first bell, so the 1st lesson of the second shift is not the 1st of the first, and
the 6th of the first shift may overlap the 1st of the second. Where a class has no bells, the
lesson numbers decide. A subgroup's lesson may run beside its sibling subgroup of the same
class, never beside a lesson of the whole class. The form, the import and the demo all go
through it; lesson-level moves and substitutions use `lesson_clashes` with the same wording.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import (
    Bell,
    CourseTeacher,
    Lesson,
    SchoolYear,
    TimetableEntry,
    Weekday,
)
from .imports import cell_text, read_cells

Weeks = TimetableEntry.Weeks

# «в понедельник, 3-й урок»: the weekday as it reads after «в».
WEEKDAY_AT = {
    1: gettext_lazy("в понедельник"),
    2: gettext_lazy("во вторник"),
    3: gettext_lazy("в среду"),
    4: gettext_lazy("в четверг"),
    5: gettext_lazy("в пятницу"),
    6: gettext_lazy("в субботу"),
    7: gettext_lazy("в воскресенье"),
}
WEEKDAY_SHORT = {
    1: gettext_lazy("Пн"),
    2: gettext_lazy("Вт"),
    3: gettext_lazy("Ср"),
    4: gettext_lazy("Чт"),
    5: gettext_lazy("Пт"),
    6: gettext_lazy("Сб"),
    7: gettext_lazy("Вс"),
}
WEEKS_AT = {
    Weeks.ODD: gettext_lazy("по нечётным неделям"),
    Weeks.EVEN: gettext_lazy("по чётным неделям"),
}
WEEKS_SHORT = {Weeks.ODD: gettext_lazy("нечёт."), Weeks.EVEN: gettext_lazy("чёт.")}


def fmt(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def lesson_number_label(number: int) -> str:
    return _("%(n)s-й урок") % {"n": number}


def course_label(course) -> str:
    """«6Б Математика», «6Б Английский язык (группа 1)» — a course as the timetable names it."""
    label = f"{course.school_class.name} {course.subject.name}"
    if course.subgroup_id:
        label += f" ({course.subgroup.name})"
    return label


def current_year(school, day: date | None = None):
    """The year holding `day` (today), else the latest year of the school, else None."""
    day = day or timezone.localdate()
    years = SchoolYear.objects.filter(school=school)
    return years.on(day).order_by("-start").first() or years.order_by("-start").first()


def with_teachers(queryset, prefix="course__"):
    """Prefetch a course's teachers (one query for all rows)."""
    return queryset.prefetch_related(
        Prefetch(
            f"{prefix}course_teachers",
            queryset=CourseTeacher.objects.select_related("teacher").order_by(
                "teacher__last_name", "teacher__first_name"
            ),
        )
    )


def entries_with_details(queryset):
    return with_teachers(
        queryset.select_related(
            "course__school_class", "course__subject", "course__subgroup", "room"
        )
    )


# Clashes.


@dataclass
class Slot:
    """What one timetable entry occupies, with what it takes to name it in a message."""

    pk: int | None
    course_id: int
    class_id: int
    subgroup_id: int | None
    teacher_ids: frozenset
    room_id: int | None
    weekday: int
    number: int
    valid_from: date
    valid_to: date
    weeks: str
    label: str = ""  # «6Б Математика»
    class_name: str = ""
    room_name: str = ""
    teacher_names: dict = field(default_factory=dict)  # user id -> «Иванова М. П.»
    times: tuple | None = None  # (start, end) by the class's bells, when it has them

    @classmethod
    def of(cls, entry, teachers=None, bells=None) -> "Slot":
        """A slot of an entry whose course carries its class, subject, subgroup and teachers.

        `teachers` (users) overrides the course's teachers, for an entry not yet saved;
        `bells` ({(bell schedule id, number): (start, end)}, see `bell_spans`) gives its times.
        """
        course = entry.course
        if teachers is None:
            teachers = [ct.teacher for ct in course.course_teachers.all()]
        times = (bells or {}).get((course.school_class.bell_schedule_id, entry.number))
        return cls(
            pk=entry.pk,
            course_id=course.pk,
            class_id=course.school_class_id,
            subgroup_id=course.subgroup_id,
            teacher_ids=frozenset(t.pk for t in teachers),
            room_id=entry.room_id,
            weekday=entry.weekday,
            number=entry.number,
            valid_from=entry.valid_from,
            valid_to=entry.valid_to,
            weeks=entry.weeks,
            label=course_label(course),
            class_name=course.school_class.name,
            room_name=entry.room.name if entry.room_id else "",
            teacher_names={t.pk: t.short_name for t in teachers},
            times=times,
        )


def bell_spans(schedule_ids) -> dict:
    """{(bell schedule id, number): (start, end)} of the given schedules: one query (or none)."""
    ids = {i for i in schedule_ids if i}
    if not ids:
        return {}
    return {
        (b.schedule_id, b.number): (b.start, b.end)
        for b in Bell.objects.filter(schedule_id__in=ids)
    }


def same_time(a_number, a_times, b_number, b_times) -> bool:
    """Two lessons of one weekday meet: their bell times overlap, or else their numbers match."""
    if a_times and b_times:
        return a_times[0] < b_times[1] and b_times[0] < a_times[1]
    return a_number == b_number


def times_label(times) -> str:
    return f"{times[0]:%H:%M}–{times[1]:%H:%M}"


def weeks_compatible(a: str, b: str) -> bool:
    return a == Weeks.EVERY or b == Weeks.EVERY or a == b


def runs_in_week(weeks: str, day: date) -> bool:
    if weeks == Weeks.EVERY:
        return True
    return (day.isocalendar().week % 2 == 1) == (weeks == Weeks.ODD)


def first_on_or_after(day: date, isoweekday: int) -> date:
    return day + timedelta(days=(isoweekday - day.isoweekday()) % 7)


def share_a_day(a: Slot, b: Slot) -> bool:
    """Both slots run on one and the same date, at the same time."""
    if a.weekday != b.weekday or not same_time(a.number, a.times, b.number, b.times):
        return False
    if not weeks_compatible(a.weeks, b.weeks):
        return False
    start, end = max(a.valid_from, b.valid_from), min(a.valid_to, b.valid_to)
    day = first_on_or_after(start, a.weekday)
    while day <= end:
        if runs_in_week(a.weeks, day) and runs_in_week(b.weeks, day):
            return True
        day += timedelta(days=7)
    return False


def classes_collide(a_class, a_subgroup, b_class, b_subgroup) -> bool:
    """One class in two places — unless these are two different subgroups of it."""
    if a_class != b_class:
        return False
    return not (a_subgroup and b_subgroup and a_subgroup != b_subgroup)


@dataclass
class Clash:
    kind: str  # "teacher", "room" or "class"
    message: str

    def __str__(self):
        return self.message


def _when(slot: Slot, candidate: Slot) -> str:
    when = f"{WEEKDAY_AT[slot.weekday]}, {lesson_number_label(slot.number)}"
    if slot.times and (slot.number != candidate.number or slot.times != candidate.times):
        when += f" ({times_label(slot.times)})"
    if slot.weeks != Weeks.EVERY:
        when += f" {WEEKS_AT[slot.weeks]}"
    if (slot.valid_from, slot.valid_to) != (candidate.valid_from, candidate.valid_to):
        when += " " + _("(с %(start)s по %(end)s)") % {
            "start": fmt(slot.valid_from),
            "end": fmt(slot.valid_to),
        }
    return when


def _in_room(room_name: str) -> str:
    return " " + _("(каб. %(room)s)") % {"room": room_name} if room_name else ""


def clashes(candidate: Slot, others) -> list[Clash]:
    """What stands in `candidate`'s way among `others` (pure: no database)."""
    found = []
    for other in others:
        if candidate.pk is not None and other.pk == candidate.pk:
            continue
        if not share_a_day(candidate, other):
            continue
        when = _when(other, candidate)
        for teacher_id in sorted(candidate.teacher_ids & other.teacher_ids):
            found.append(
                Clash(
                    "teacher",
                    _("Учитель %(teacher)s уже ведёт %(lesson)s %(when)s%(room)s.")
                    % {
                        "teacher": other.teacher_names.get(teacher_id, ""),
                        "lesson": other.label,
                        "when": when,
                        "room": _in_room(other.room_name),
                    },
                )
            )
        if candidate.room_id and candidate.room_id == other.room_id:
            teachers = ", ".join(sorted(other.teacher_names.values()))
            found.append(
                Clash(
                    "room",
                    _("Кабинет %(room)s уже занят: %(lesson)s %(when)s%(teachers)s.")
                    % {
                        "room": other.room_name,
                        "lesson": other.label,
                        "when": when,
                        "teachers": f" ({teachers})" if teachers else "",
                    },
                )
            )
        if classes_collide(
            candidate.class_id, candidate.subgroup_id, other.class_id, other.subgroup_id
        ):
            message = _("У класса %(cls)s уже стоит %(lesson)s %(when)s%(room)s.") % {
                "cls": other.class_name,
                "lesson": other.label,
                "when": when,
                "room": _in_room(other.room_name),
            }
            if candidate.subgroup_id and not other.subgroup_id:
                message += " " + _(
                    "Урок подгруппы может идти одновременно только с уроком другой подгруппы "
                    "этого класса."
                )
            found.append(Clash("class", message))
    return found


def entry_slot(entry, teachers=None, bells=None) -> Slot:
    if teachers is None:
        teachers = [
            ct.teacher
            for ct in CourseTeacher.objects.filter(course_id=entry.course_id).select_related(
                "teacher"
            )
        ]
    return Slot.of(entry, teachers=teachers, bells=bells)


def find_clashes(entry, *, teachers=None, ignore=()) -> list[Clash]:
    """Clashes of `entry` (saved or not) with the school's other entries.

    `ignore` names entry pks to leave out (entries about to be replaced). Rivals are the
    entries of the same weekday (their times decide, see `same_time`). Five queries.
    """
    rivals = TimetableEntry.objects.filter(
        school_id=entry.course.school_id,
        weekday=entry.weekday,
        valid_from__lte=entry.valid_to,
        valid_to__gte=entry.valid_from,
    )
    if entry.weeks != Weeks.EVERY:
        rivals = rivals.filter(weeks__in=[Weeks.EVERY, entry.weeks])
    if entry.pk:
        rivals = rivals.exclude(pk=entry.pk)
    if ignore:
        rivals = rivals.exclude(pk__in=list(ignore))
    if teachers is None:
        teachers = [
            ct.teacher
            for ct in CourseTeacher.objects.filter(course_id=entry.course_id).select_related(
                "teacher"
            )
        ]
    teacher_ids = {t.pk for t in teachers}
    # The class itself: same numbers, same bells — only its own number can meet.
    reach = Q(course__school_class_id=entry.course.school_class_id, number=entry.number)
    if entry.room_id:
        reach |= Q(room_id=entry.room_id)
    if teacher_ids:
        reach |= Q(
            course__in=CourseTeacher.objects.filter(teacher_id__in=teacher_ids).values("course_id")
        )
    found = list(entries_with_details(rivals.filter(reach)))
    own_shift = entry.course.school_class.bell_schedule_id
    bells = bell_spans([own_shift, *(e.course.school_class.bell_schedule_id for e in found)])
    candidate = entry_slot(entry, teachers, bells)
    return clashes(candidate, [Slot.of(e, bells=bells) for e in found])


def check_entry(entry, *, teachers=None) -> None:
    """Refuse an entry that is out of its year or clashes; the messages name the other lesson."""
    problems = entry_problems(entry)
    if not problems:
        problems = [c.message for c in find_clashes(entry, teachers=teachers)]
    if problems:
        raise ValidationError(problems)


def entry_problems(entry) -> list[str]:
    problems = []
    if not 1 <= entry.weekday <= 6:
        problems.append(_("День недели — с понедельника по субботу."))
    if entry.number is None or not 0 <= entry.number <= 12:
        problems.append(_("Номер урока — от 0 до 12."))
    if entry.valid_from and entry.valid_to:
        if entry.valid_to < entry.valid_from:
            problems.append(_("Дата окончания раньше даты начала."))
        year = entry.course.year
        if entry.valid_from < year.start or entry.valid_to > year.end:
            problems.append(
                _("Даты расписания выходят за границы учебного года %(year)s (%(start)s–%(end)s).")
                % {"year": year.name, "start": fmt(year.start), "end": fmt(year.end)}
            )
    return problems


@transaction.atomic
def save_entry(entry, *, teachers=None) -> TimetableEntry:
    """Save an entry after checking it; concurrent saves in one school wait for each other."""
    from accounts.models import School

    list(School.objects.select_for_update().filter(pk=entry.course.school_id).values("pk"))
    entry.school_id = entry.course.school_id
    check_entry(entry, teachers=teachers)
    entry.save()
    return entry


def delete_entry(entry) -> None:
    """Remove an entry; its lessons stay until lessons are rebuilt (materialise)."""
    entry.delete()


# Clashes of dated lessons: moving a lesson, assigning a substitute.


def lesson_teachers(lesson) -> list:
    """Who gives the lesson: the substitute, or else the course's teachers."""
    if lesson.substitute_id:
        return [lesson.substitute]
    return [ct.teacher for ct in lesson.course.course_teachers.all()]


def lesson_clashes(
    course, day: date, number: int, room, *, teachers, exclude_pk=None
) -> list[Clash]:
    """Planned lessons that a lesson of `course` on `day`/`number` would collide with.

    Lessons of other shifts meet by their bell times (`same_time`), as in the timetable.
    """
    teacher_ids = {t.pk for t in teachers}
    rivals = Lesson.objects.planned().filter(date=day)
    if exclude_pk:
        rivals = rivals.exclude(pk=exclude_pk)
    reach = Q(course__school_class_id=course.school_class_id, number=number)
    if room is not None:
        reach |= Q(room=room)
    if teacher_ids:
        reach |= Q(substitute_id__in=teacher_ids) | Q(
            course__in=CourseTeacher.objects.filter(teacher_id__in=teacher_ids).values("course_id")
        )
    rivals = with_teachers(
        rivals.filter(reach).select_related(
            "course__school_class", "course__subject", "course__subgroup", "room", "substitute"
        )
    )
    rivals = list(rivals)
    own_shift = course.school_class.bell_schedule_id
    bells = bell_spans([own_shift, *(r.course.school_class.bell_schedule_id for r in rivals)])
    own_times = bells.get((own_shift, number))
    found = []
    for other in rivals:
        other_times = bells.get((other.course.school_class.bell_schedule_id, other.number))
        if not same_time(number, own_times, other.number, other_times):
            continue
        when = f"{fmt(day)}, {lesson_number_label(other.number)}"
        if other_times and (other.number != number or other_times != own_times):
            when += f" ({times_label(other_times)})"
        others_teachers = {t.pk: t for t in lesson_teachers(other)}
        room_text = _in_room(other.room.name) if other.room_id else ""
        for teacher_id in sorted(teacher_ids & set(others_teachers)):
            found.append(
                Clash(
                    "teacher",
                    _("Учитель %(teacher)s уже ведёт %(lesson)s %(when)s%(room)s.")
                    % {
                        "teacher": others_teachers[teacher_id].short_name,
                        "lesson": course_label(other.course),
                        "when": when,
                        "room": room_text,
                    },
                )
            )
        if room is not None and other.room_id == room.pk:
            names = ", ".join(t.short_name for t in others_teachers.values())
            found.append(
                Clash(
                    "room",
                    _("Кабинет %(room)s уже занят: %(lesson)s %(when)s%(teachers)s.")
                    % {
                        "room": room.name,
                        "lesson": course_label(other.course),
                        "when": when,
                        "teachers": f" ({names})" if names else "",
                    },
                )
            )
        if classes_collide(
            course.school_class_id,
            course.subgroup_id,
            other.course.school_class_id,
            other.course.subgroup_id,
        ):
            found.append(
                Clash(
                    "class",
                    _("У класса %(cls)s уже стоит %(lesson)s %(when)s%(room)s.")
                    % {
                        "cls": other.course.school_class.name,
                        "lesson": course_label(other.course),
                        "when": when,
                        "room": room_text,
                    },
                )
            )
    return found


# Grids: weekday × lesson number, and dated weeks.


DEFAULT_NUMBERS = range(1, 8)


def lesson_numbers(used) -> list[int]:
    """Rows of a grid: 1–7, widened to any number in use (a zero lesson, an eighth)."""
    used = set(used)
    low = min([1, *used])
    high = max([DEFAULT_NUMBERS[-1], *used])
    return list(range(low, high + 1))


def weekdays_for(used) -> list[int]:
    """Monday to Friday, and Saturday when anything happens on it."""
    return [1, 2, 3, 4, 5, 6] if 6 in set(used) else [1, 2, 3, 4, 5]


@dataclass
class GridItem:
    entry: object
    label: str
    teachers: str
    room: str
    note: str  # parity, dates


def entry_note(entry, year=None) -> str:
    parts = []
    if entry.weeks != Weeks.EVERY:
        parts.append(str(WEEKS_SHORT[entry.weeks]))
    if year is None or (entry.valid_from, entry.valid_to) != (year.start, year.end):
        parts.append(f"{entry.valid_from:%d.%m}–{entry.valid_to:%d.%m}")
    return ", ".join(parts)


def entry_grid(entries, *, year=None, label=course_label, times=None) -> dict:
    """Pivot entries into rows of lesson numbers × weekday cells, in Python (no queries)."""
    entries = list(entries)
    numbers = lesson_numbers(e.number for e in entries)
    weekdays = weekdays_for(e.weekday for e in entries)
    cells = defaultdict(list)
    for entry in entries:
        cells[(entry.number, entry.weekday)].append(
            GridItem(
                entry=entry,
                label=label(entry.course),
                teachers=", ".join(
                    ct.teacher.short_name for ct in entry.course.course_teachers.all()
                ),
                room=entry.room.name if entry.room_id else "",
                note=entry_note(entry, year),
            )
        )
    times = times or {}
    rows = [
        {
            "number": n,
            "time": times.get(n, ""),
            "cells": [{"weekday": d, "items": cells[(n, d)]} for d in weekdays],
        }
        for n in numbers
    ]
    return {
        "weekdays": [{"number": d, "name": Weekday(d).label} for d in weekdays],
        "rows": rows,
    }


def monday_of(day: date) -> date:
    return day - timedelta(days=day.isoweekday() - 1)


def parse_week(value: str | None, default: date | None = None) -> date:
    """The Monday of the week holding `value` (YYYY-MM-DD), or of `default`/today."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        day = None
    return monday_of(day or default or timezone.localdate())


def bell_times(schedule_ids) -> dict:
    """{(bell schedule id, number): «08:30–09:10»} for the given schedules: one query."""
    ids = {i for i in schedule_ids if i}
    if not ids:
        return {}
    return {
        (b.schedule_id, b.number): f"{b.start:%H:%M}–{b.end:%H:%M}"
        for b in Bell.objects.filter(schedule_id__in=ids)
    }


def week_days(monday: date, lessons) -> list[dict]:
    """Days of a week (Monday–Friday, Saturday if used), each with its lessons in order."""
    lessons = list(lessons)
    times = bell_times(lesson.course.school_class.bell_schedule_id for lesson in lessons)
    by_day = defaultdict(list)
    for lesson in lessons:
        lesson.time = times.get((lesson.course.school_class.bell_schedule_id, lesson.number), "")
        by_day[lesson.date].append(lesson)
    count = 6 if any(d.isoweekday() == 6 for d in by_day) else 5
    today = timezone.localdate()
    days = []
    for offset in range(count):
        day = monday + timedelta(days=offset)
        days.append(
            {
                "date": day,
                "name": Weekday(day.isoweekday()).label,
                "today": day == today,
                "lessons": sorted(by_day[day], key=lambda item: (item.number, item.course_id)),
            }
        )
    return days


def week_lessons(queryset, monday: date):
    """The lessons of a week with everything a week page shows: a fixed number of queries."""
    return with_teachers(
        queryset.filter(date__gte=monday, date__lte=monday + timedelta(days=6)).select_related(
            "course__school_class",
            "course__subject",
            "course__subgroup",
            "room",
            "substitute",
            "moved_to",
        )
    ).order_by("date", "number", "course_id")


def week_navigation(monday: date) -> dict:
    return {
        "monday": monday,
        "sunday": monday + timedelta(days=6),
        "previous": (monday - timedelta(days=7)).isoformat(),
        "next": (monday + timedelta(days=7)).isoformat(),
        "this": monday_of(timezone.localdate()).isoformat(),
        "parity": _("нечётная неделя") if monday.isocalendar().week % 2 else _("чётная неделя"),
    }


# Import of the timetable from CSV and XLSX: read → check every row → save all or the good.


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple = ()
    required: bool = False


IMPORT_COLUMNS = [
    Column("class", gettext_lazy("Класс"), ("класс", "группа"), True),
    Column("subject", gettext_lazy("Предмет"), ("предмет", "дисциплина"), True),
    Column("subgroup", gettext_lazy("Подгруппа"), ("подгруппа", "группа предмета")),
    Column("weekday", gettext_lazy("День"), ("день", "день недели"), True),
    Column("number", gettext_lazy("Урок"), ("урок", "номер урока", "№ урока", "№"), True),
    Column("room", gettext_lazy("Кабинет"), ("кабинет", "каб.", "аудитория")),
    Column("teacher", gettext_lazy("Учитель"), ("учитель", "преподаватель")),
    Column("weeks", gettext_lazy("Недели"), ("недели", "неделя", "чередование")),
    Column("valid_from", gettext_lazy("С"), ("с", "действует с", "начало")),
    Column("valid_to", gettext_lazy("По"), ("по", "действует по", "окончание")),
]
IMPORT_SAMPLE = [
    ["Класс", "Предмет", "Подгруппа", "День", "Урок", "Кабинет", "Учитель", "Недели"],
    ["5А", "Математика", "", "пн", "1", "12", "Иванова М. П.", ""],
    ["5А", "Английский язык", "Группа 1", "вт", "3", "21", "", "нечётные"],
]
MAX_IMPORT_ROWS = 3000

WEEKDAY_WORDS = {
    "1": 1, "пн": 1, "пон": 1, "понедельник": 1,
    "2": 2, "вт": 2, "вто": 2, "вторник": 2,
    "3": 3, "ср": 3, "сре": 3, "среда": 3,
    "4": 4, "чт": 4, "чет": 4, "четверг": 4,
    "5": 5, "пт": 5, "пят": 5, "пятница": 5,
    "6": 6, "сб": 6, "суб": 6, "суббота": 6,
}  # fmt: skip
WEEKS_WORDS = {
    "": Weeks.EVERY, "каждую": Weeks.EVERY, "все": Weeks.EVERY, "каждая": Weeks.EVERY,
    "нечетные": Weeks.ODD, "нечетная": Weeks.ODD, "нечет": Weeks.ODD, "нечет.": Weeks.ODD,
    "четные": Weeks.EVEN, "четная": Weeks.EVEN, "чет": Weeks.EVEN, "чет.": Weeks.EVEN,
}  # fmt: skip
DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d")


def norm(text) -> str:
    return " ".join(str(text or "").lower().replace("ё", "е").split())


def parse_day(text: str):
    from datetime import datetime

    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def read_import(filename: str, raw: bytes) -> list[dict]:
    """Rows as [{"line": n, "values": {column key: text}}]; a file-level problem raises."""
    table = [row for row in read_cells(filename, raw) if any(cell_text(c) for c in row)]
    if not table:
        raise ValidationError(_("Файл пуст."))
    by_alias = {norm(a): c for c in IMPORT_COLUMNS for a in (str(c.label), *c.aliases)}
    header = [by_alias.get(norm(h).rstrip(":*")) for h in table[0]]
    present = {c.key for c in header if c}
    missing = [str(c.label) for c in IMPORT_COLUMNS if c.required and c.key not in present]
    if missing:
        raise ValidationError(
            _("В файле нет столбцов: %(columns)s. Первая строка должна содержать заголовки.")
            % {"columns": ", ".join(missing)}
        )
    if len(table) - 1 > MAX_IMPORT_ROWS:
        raise ValidationError(
            _("В файле больше %(n)s строк: разделите его.") % {"n": MAX_IMPORT_ROWS}
        )
    rows = []
    for line, cells in enumerate(table[1:], 2):  # the header is line 1, as the user sees it
        values = {
            column.key: cell_text(cell)
            for column, cell in zip(header, cells, strict=False)
            if column is not None
        }
        rows.append({"line": line, "values": values})
    return rows


@dataclass
class ImportRow:
    line: int
    values: dict
    errors: list = field(default_factory=list)
    entry: object = None  # an unsaved TimetableEntry when the row is good


class ImportContext:
    """Everything a check of the rows needs, loaded once: a fixed number of queries."""

    def __init__(self, school, year):
        from accounts.models import Membership, Role, User

        from ..models import Course, Room, SchoolClass, Subject

        self.school, self.year = school, year
        self.classes = {}
        for school_class in SchoolClass.objects.filter(year=year):
            self.classes.setdefault(norm(school_class.name).replace(" ", ""), school_class)
        self.subjects = {}
        for subject in Subject.objects.all():
            self.subjects.setdefault(norm(subject.name), subject)
            self.subjects.setdefault(norm(subject.short_name), subject)
        self.courses = defaultdict(list)  # (class id, subject id) -> [course]
        courses = with_teachers(
            Course.objects.filter(year=year).select_related(
                "school_class", "subject", "subgroup", "year"
            ),
            prefix="",
        )
        for course in courses:
            self.courses[(course.school_class_id, course.subject_id)].append(course)
        self.rooms = {norm(room.name): room for room in Room.objects.all()}
        members = Membership.objects.active().filter(
            school=school, role__in=[Role.TEACHER, Role.CLASS_TEACHER]
        )
        self.teachers = list(User.objects.filter(pk__in=members.values("user_id")))
        existing = entries_with_details(
            TimetableEntry.objects.filter(valid_from__lte=year.end, valid_to__gte=year.start)
        )
        existing = list(existing)
        self.bells = bell_spans(
            [c.bell_schedule_id for c in self.classes.values()]
            + [e.course.school_class.bell_schedule_id for e in existing]
        )
        self.existing = [(Slot.of(e, bells=self.bells), e.course.school_class_id) for e in existing]

    def find_teacher(self, text):
        wanted = norm(text)
        found = [
            t
            for t in self.teachers
            if wanted
            in (
                norm(t.username),
                norm(t.full_name),
                norm(t.short_name),
                norm(t.short_name).replace(". ", "."),
                norm(f"{t.last_name} {t.first_name}"),
            )
        ]
        if len(found) == 1:
            return found[0], None
        if found:
            return None, _("Несколько учителей «%(v)s»: укажите логин.") % {"v": text}
        return None, _("Неизвестный учитель «%(v)s».") % {"v": text}


def _row_entry(ctx: ImportContext, values: dict) -> tuple[object, list[str]]:
    errors = []
    class_text = values.get("class", "")
    school_class = ctx.classes.get(norm(class_text).replace(" ", "").replace("-", ""))
    if school_class is None:
        school_class = ctx.classes.get(norm(class_text).replace(" ", ""))
    if not class_text:
        errors.append(_("Не указан класс."))
    elif school_class is None:
        errors.append(
            _("Неизвестный класс «%(v)s» в учебном году %(year)s.")
            % {"v": class_text, "year": ctx.year.name}
        )
    subject_text = values.get("subject", "")
    subject = ctx.subjects.get(norm(subject_text))
    if not subject_text:
        errors.append(_("Не указан предмет."))
    elif subject is None:
        errors.append(_("Неизвестный предмет «%(v)s».") % {"v": subject_text})
    weekday = WEEKDAY_WORDS.get(norm(values.get("weekday", "")).rstrip("."))
    if weekday is None:
        errors.append(
            _(
                "Неверный день недели «%(v)s»: нужен день с понедельника по субботу "
                "(пн … сб или 1–6)."
            )
            % {"v": values.get("weekday", "")}
        )
    number_text = values.get("number", "").strip()
    number = int(number_text) if number_text.isdigit() else None
    if number is None or number > 12:
        errors.append(
            _("Неверный номер урока «%(v)s»: нужно число от 0 до 12.") % {"v": number_text}
        )
    room = None
    room_text = values.get("room", "")
    if room_text:
        room = ctx.rooms.get(norm(room_text))
        if room is None:
            errors.append(_("Неизвестный кабинет «%(v)s».") % {"v": room_text})
    teacher = None
    if values.get("teacher"):
        teacher, problem = ctx.find_teacher(values["teacher"])
        if problem:
            errors.append(problem)
    weeks = WEEKS_WORDS.get(norm(values.get("weeks", "")))
    if weeks is None:
        errors.append(
            _("Неверное значение «%(v)s» в столбце «Недели»: каждую, нечётные или чётные.")
            % {"v": values.get("weeks", "")}
        )
    valid = {}
    for key, default in (("valid_from", ctx.year.start), ("valid_to", ctx.year.end)):
        text = values.get(key, "")
        valid[key] = parse_day(text) if text else default
        if valid[key] is None:
            errors.append(_("Неверная дата «%(v)s»: нужна дата ДД.ММ.ГГГГ.") % {"v": text})

    course = None
    if school_class is not None and subject is not None:
        candidates = ctx.courses.get((school_class.pk, subject.pk), [])
        subgroup_text = norm(values.get("subgroup", ""))
        if subgroup_text:
            candidates = [
                c for c in candidates if c.subgroup_id and norm(c.subgroup.name) == subgroup_text
            ]
        if teacher is not None and len(candidates) > 1:
            candidates = [
                c
                for c in candidates
                if any(ct.teacher_id == teacher.pk for ct in c.course_teachers.all())
            ]
        if not candidates:
            if subgroup_text:
                errors.append(
                    _("У класса %(cls)s нет курса «%(subject)s» для подгруппы «%(g)s».")
                    % {"cls": school_class.name, "subject": subject.name, "g": values["subgroup"]}
                )
            else:
                errors.append(
                    _("У класса %(cls)s нет курса «%(subject)s».")
                    % {"cls": school_class.name, "subject": subject.name}
                )
        elif len(candidates) > 1:
            errors.append(
                _("У класса %(cls)s несколько курсов «%(subject)s»: укажите подгруппу.")
                % {"cls": school_class.name, "subject": subject.name}
            )
        else:
            course = candidates[0]
            if teacher is not None and not any(
                ct.teacher_id == teacher.pk for ct in course.course_teachers.all()
            ):
                errors.append(
                    _("%(teacher)s не ведёт курс %(course)s.")
                    % {"teacher": teacher.short_name, "course": course_label(course)}
                )
    if errors:
        return None, errors
    entry = TimetableEntry(
        school_id=ctx.school.pk,
        course=course,
        weekday=weekday,
        number=number,
        room=room,
        valid_from=valid["valid_from"],
        valid_to=valid["valid_to"],
        weeks=weeks,
    )
    return entry, entry_problems(entry)


def check_import(school, year, rows, *, replace=False) -> list[ImportRow]:
    """Check each row in Russian: unknown names, bad values, and clashes — with the school's
    timetable and with the rows above it. With `replace`, the present entries of the classes
    named in the file do not count (they are about to go)."""
    ctx = ImportContext(school, year)
    results = []
    for row in rows:
        result = ImportRow(line=row["line"], values=row["values"])
        result.entry, result.errors = _row_entry(ctx, row["values"])
        results.append(result)
    replaced = {r.entry.course.school_class_id for r in results if r.entry} if replace else set()
    others = [slot for slot, class_id in ctx.existing if class_id not in replaced]
    for result in results:
        if result.errors:
            result.entry = None
            continue
        slot = Slot.of(result.entry, bells=ctx.bells)
        found = clashes(slot, others)
        if found:
            result.errors = [c.message for c in found]
            result.entry = None
        else:
            others.append(slot)
    return results


@dataclass
class ImportSaved:
    created: int
    removed: int


class ImportHasErrors(ValidationError):
    pass


@transaction.atomic
def save_import(school, year, rows, *, replace=False, only_good=False) -> ImportSaved:
    """Check the rows again and save them: all, or — when asked — only the good ones."""
    from accounts.models import School

    list(School.objects.select_for_update().filter(pk=school.pk).values("pk"))
    results = check_import(school, year, rows, replace=replace)
    bad = [r for r in results if r.errors]
    if bad and not only_good:
        raise ImportHasErrors(
            _("В файле есть строки с ошибками (%(n)s): ничего не сохранено.") % {"n": len(bad)}
        )
    good = [r.entry for r in results if r.entry is not None]
    removed = 0
    if replace and good:
        classes = {e.course.school_class_id for e in good}
        removed, _detail = TimetableEntry.objects.filter(
            course__year=year, course__school_class_id__in=classes
        ).delete()
    TimetableEntry.objects.bulk_create(good)
    return ImportSaved(created=len(good), removed=removed)


def sample_csv() -> bytes:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(IMPORT_SAMPLE)
    return out.getvalue().encode("utf-8-sig")
