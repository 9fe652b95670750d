"""How the timetable reads in Russian: weekdays, lesson numbers, courses, entries with details."""

from datetime import date

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...models import (
    CourseTeacher,
    TimetableEntry,
)

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
