"""Реестр курсовых работ (regulation 002 §1.7): the course works of a school, a group or a
supervisor in a year — student, discipline, topic, supervisor, handed in, defended, mark.
One query whatever the number of works."""

from django.db.models import Q
from django.utils.translation import gettext as _

from grading.models import CourseWork
from lib.export import DATE, INTEGER, Column, Report, Row

COLUMNS = [
    Column("group", _("Группа")),
    Column("pupil", _("Студент"), width=28),
    Column("discipline", _("Дисциплина"), width=24),
    Column("topic", _("Тема"), width=40),
    Column("supervisor", _("Руководитель")),
    Column("handed_in", _("Сдана"), DATE, width=10),
    Column("defended", _("Защищена"), DATE, width=10),
    Column("mark", _("Оценка"), INTEGER, width=6),
]


def works_of(selection):
    """The year's works in the selection: a group («class»), a supervisor («teacher»), or
    the school; a parallel is the groups of one course of study."""
    q = Q(course__year_id=selection.year.pk)
    if selection.kind == "class":
        q &= Q(course__school_class_id=selection.value)
    elif selection.kind == "parallel":
        q &= Q(course__school_class__grade=selection.value)
    elif selection.kind == "teacher":
        q &= Q(supervisor_id=selection.value)
    return CourseWork.objects.filter(q)


def course_works_register(selection, *, link=None) -> Report:
    """`link(work)` → the address of the work's form, or None (the page decides who edits)."""
    works = (
        works_of(selection)
        .select_related("course__school_class", "course__subject", "pupil", "supervisor")
        .order_by(
            "course__school_class__grade",
            "course__school_class__letter",
            "pupil__last_name",
            "pupil__first_name",
            "course__subject__name",
        )
    )
    rows = []
    defended = marked = 0
    for work in works:
        address = link(work) if link else None
        rows.append(
            Row(
                {
                    "group": work.course.school_class.name,
                    "pupil": work.pupil.full_name,
                    "discipline": work.course.subject.name,
                    "topic": work.topic,
                    "supervisor": work.supervisor.short_name,
                    "handed_in": work.handed_in,
                    "defended": work.defended,
                    "mark": work.mark,
                },
                links={"topic": address} if address else {},
            )
        )
        defended += work.defended is not None
        marked += work.mark is not None
    return Report(
        title=_("Реестр курсовых работ"),
        columns=COLUMNS,
        rows=rows,
        slug="course-works",
        key_columns=2,
        footnotes=[
            _("Работ: %(n)s, защищено: %(d)s, оценено: %(m)s.")
            % {"n": len(rows), "d": defended, "m": marked}
        ],
    )
