"""«Контроль ведения журнала»: the control figures as a report — per teacher and per class for
a school or a parallel, per course for a class or a teacher (with the shortfalls behind them),
and the trend against the span before.

Colours read at a glance (a cell's class: good, warn, bad) beside the figure itself, which the
table states in words and numbers for screen readers and the printed copies."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.words import words_for
from lib.export import DECIMAL, INTEGER, PERCENT, TEXT, Column, Report, Row

from ..models import Shortfall
from .control_figures import Figures, courses_of, figures_of
from .control_links import Linker

GOOD, WARN = Decimal(95), Decimal(80)
LISTED = 500  # shortfalls listed under a class's or teacher's figures


def rate_class(value) -> str:
    if value is None:
        return ""
    return "good" if value >= GOOD else "warn" if value >= WARN else "bad"


def count_class(value) -> str:
    return "good" if not value else "bad"


def columns(name_title: str, extra=()) -> list[Column]:
    return [
        Column("name", name_title),
        *extra,
        Column("held", _("Уроков"), INTEGER),
        Column("topic", _("Тема в срок"), PERCENT, places=1),
        Column("attendance", _("Посещаемость в срок"), PERCENT, places=1),
        Column("homework", _("ДЗ в срок"), PERCENT, places=1),
        Column("accumulation", _("Отметок на ученика в неделю"), DECIMAL),
        Column("no_marks", _("Без отметок"), INTEGER),
        Column("one_mark", _("С одной отметкой"), INTEGER),
        Column("written", _("Письменные не проверены"), INTEGER),
        Column("plan", _("По плану, ч"), INTEGER),
        Column("fact", _("Дано, ч"), INTEGER),
        Column("finals", _("Итоговых не выставлено"), INTEGER),
        Column("on_time", _("В срок, всего"), PERCENT, places=1),
        Column("before", _("Было"), PERCENT, places=1, secondary=True),
        Column("trend", _("Изменение, п. п."), DECIMAL, places=1),
    ]


def values(f: Figures, previous: Figures | None) -> dict:
    before = previous.on_time if previous is not None else None
    now = f.on_time
    return {
        "held": f.held,
        "topic": f.topic_on_time,
        "attendance": f.attendance_on_time,
        "homework": f.homework_on_time,
        "accumulation": f.accumulation,
        "no_marks": f.no_marks,
        "one_mark": f.one_mark,
        "written": f.written_late,
        "plan": f.plan,
        "fact": f.plan_held,
        "finals": f.finals_missing,
        "on_time": now,
        "before": before,
        "trend": (now - before) if now is not None and before is not None else None,
    }


def classes_of(f: Figures, norm: Decimal) -> dict:
    accumulation = f.accumulation
    return {
        "topic": rate_class(f.topic_on_time),
        "attendance": rate_class(f.attendance_on_time),
        "homework": rate_class(f.homework_on_time),
        "on_time": rate_class(f.on_time),
        "accumulation": ""
        if accumulation is None or not norm
        else ("good" if accumulation >= norm else "bad"),
        "no_marks": count_class(f.no_marks),
        "one_mark": count_class(f.one_mark),
        "written": count_class(f.written_late),
        "finals": count_class(f.finals_missing),
        "fact": "" if f.lag <= 0 else "bad",
    }


def control_report(selection, span, previous, today: date, link_scope) -> Report:
    """The report of `selection` over `span` (and `previous`, a Span or None, for the trend).
    `link_scope(token)` is the address of this page for another scope (the drill-down)."""
    school = selection.school
    words = words_for(school)
    norm = school.regulation.marks_per_pupil_week
    courses = courses_of(selection)
    figures = figures_of(selection, courses, span.start, span.end, today)
    before = None
    if previous is not None:
        from .control_figures import lesson_figures

        before = lesson_figures(courses, previous.start, previous.end, today, school.regulation)
    by_course = selection.kind in ("class", "teacher")
    if by_course:
        rows = course_rows(courses, figures, before, norm, school)
        report = Report(
            title=_("Контроль ведения журнала"),
            columns=columns(
                words.Class,
                [Column("subject", words.Subject), Column("teacher", words.Teacher)],
            ),
            rows=rows,
            key_columns=2,
            slug="control",
            parts=[shortfall_list(courses, school)],
        )
    else:
        teachers = rollup(courses, figures, before, lambda c: (c.teacher, c.teacher_id))
        classes = rollup(courses, figures, before, lambda c: (c.class_name, c.class_id))
        report = Report(
            title=_("Контроль ведения журнала"),
            columns=columns(words.Teacher),
            rows=group_rows(teachers, norm, lambda pk: link_scope(f"teacher:{pk}")),
            slug="control",
            parts=[
                Report(
                    title=_("По классам") if not words.college else _("По группам"),
                    columns=columns(words.Class),
                    rows=group_rows(classes, norm, lambda pk: link_scope(f"class:{pk}")),
                )
            ],
        )
    report.footnotes.append(
        _(
            "Тема и посещаемость в срок — доля уроков, по которым ежедневная проверка не нашла "
            "недочёта (%(days)s после урока по положению); ДЗ — внесённые в срок; накопляемость "
            "— отметок на обучающегося в неделю при норме %(norm)s; «было» — за предыдущий "
            "такой же срок."
        )
        % {
            "days": _("в день урока")
            if not school.regulation.records_days
            else _("дней: %(n)s") % {"n": school.regulation.records_days},
            "norm": str(norm).replace(".", ","),
        }
    )
    return report


def rollup(courses, figures, before, key_of) -> list:
    """[(name, pk, Figures, previous Figures or None)] per teacher or class, in order."""
    groups: dict = {}
    for course in courses:
        name, pk = key_of(course)
        if pk is None:
            name = _("учитель не назначен")
        entry = groups.setdefault(pk, [name, pk, Figures(), Figures() if before else None])
        entry[2].merge(figures[course.pk])
        if before is not None:
            entry[3].merge(before[course.pk])
    found = list(groups.values())
    return found


def group_rows(groups, norm, link) -> list[Row]:
    """`norm`: the school's marks per pupil a week, or a function of a group's pk giving it
    (an organisation's roll-up: each school its own)."""
    norm_of = norm if callable(norm) else (lambda pk: norm)
    rows = []
    total, total_before = Figures(), None
    for name, pk, f, previous in sorted(groups, key=lambda g: (g[0] == "", str(g[0]))):
        total.merge(f)
        if previous is not None:
            total_before = total_before or Figures()
            total_before.merge(previous)
        address = link(pk) if pk is not None else None
        links = dict.fromkeys(("name", "topic", "attendance", "homework", "on_time"), address)
        rows.append(
            Row(
                {"name": name, **values(f, previous)},
                links=links if address else {},
                classes=classes_of(f, norm_of(pk)),
            )
        )
    if len(rows) > 1:
        rows.append(
            Row(
                {"name": _("Итого"), **values(total, total_before)},
                kind=Row.TOTAL,
                classes=classes_of(total, norm_of(None)),
            )
        )
    return rows


def course_rows(courses, figures, before, norm, school) -> list[Row]:
    link = Linker(school)
    rows = []
    total, total_before = Figures(), Figures() if before else None
    for course in courses:
        f = figures[course.pk]
        previous = before[course.pk] if before else None
        total.merge(f)
        if previous is not None:
            total_before.merge(previous)
        grid = link.grid_on(course.pk, link.today)
        rows.append(
            Row(
                {
                    "name": course.class_name,
                    "subject": course.subject,
                    "teacher": course.teacher,
                    **values(f, previous),
                },
                links={
                    "subject": grid,
                    "no_marks": grid,
                    "one_mark": grid,
                    "plan": link.fact.replace("/0/", f"/{course.pk}/"),
                    "fact": link.fact.replace("/0/", f"/{course.pk}/"),
                    "finals": link.finals.replace("/0/", f"/{course.pk}/"),
                },
                classes=classes_of(f, norm),
            )
        )
    if len(rows) > 1:
        rows.append(
            Row(
                {"name": _("Итого"), **values(total, total_before)},
                kind=Row.TOTAL,
                classes=classes_of(total, norm),
            )
        )
    return rows


def shortfall_list(courses, school) -> Report:
    """The open shortfalls of these courses, each a link to what fixes it (one query). Pupils'
    rows are counted per course in the table above, not named here."""
    names = {c.pk: (c.class_name, c.subject, c.teacher) for c in courses}
    link = Linker(school)
    rows = []
    for row in (
        Shortfall.objects.filter(course_id__in=list(names), fixed_at__isnull=True)
        .exclude(kind__in=(Shortfall.Kind.NO_MARKS, Shortfall.Kind.ONE_MARK))
        .exclude(kind__in=(Shortfall.Kind.FEW_MARKS, Shortfall.Kind.FINAL_MARK))
        .select_related("lesson")
        .order_by("deadline", "pk")[:LISTED]
    ):
        class_name, subject, teacher = names[row.course_id]
        when = row.lesson.date if row.lesson_id else None
        rows.append(
            Row(
                {
                    "name": class_name,
                    "subject": subject,
                    "teacher": teacher,
                    "kind": row.get_kind_display(),
                    "lesson": when,
                    "deadline": row.deadline,
                    "detail": row.detail,
                },
                links={"kind": link(row, when)},
            )
        )
    return Report(
        title=_("Недочёты (открытые)"),
        columns=[
            Column("name", words_for(school).Class),
            Column("subject", words_for(school).Subject),
            Column("teacher", words_for(school).Teacher),
            Column("kind", _("Недочёт")),
            Column("lesson", _("Урок"), "date"),
            Column("deadline", _("Срок"), "date"),
            Column("detail", _("Подробности"), TEXT),
        ],
        rows=rows,
        key_columns=2,
    )
