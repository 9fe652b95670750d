"""Выполнение программы, Выдача часов, Замены и отмены against lessons worked out by hand.

5А mathematics (Математикова), a plan (КТП) of 10 hours:
  01.10, 02.10       held                       (the first quarter: before the span)
  10.11, 11.11, 12.11 held
  13.11              cancelled («болезнь учителя»)
  14.11              held by Инглишева in substitution
  17.11              moved to 18.11; 18.11 held
  19.11              held
  24.11              ahead of the day the report is taken on (19.11)
Russian (Словесникова), no plan: 10.11 held, 11.11 held.

The second quarter up to 19.11: by the timetable 7 (held or cancelled; the moved one counts
where it moved to), held 6, cancelled 1; the plan due = min(10, 2 + 7) − min(10, 2) = 7, so
a lag of 1 hour (the cancelled lesson): 6 / 7 = 85,7 %.
"""

from datetime import date
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from journal.models import PlanTopic
from journal.services.plan.fact import due_hours, plan_fact
from reports.params import month_span, period_span, year_span
from reports.services.hours import hours_report, substitutions_report
from reports.services.programme import programme, programme_report
from reports.services.scope import Selection
from schedule.models import Lesson
from tests.factories import make_member

from .counting import queries_of
from .hand_school import build, grow, lesson

pytestmark = pytest.mark.django_db
TODAY = date(2025, 11, 19)


@pytest.fixture
def hand():
    hand = build()
    math = "math"
    for day in (date(2025, 10, 1), date(2025, 10, 2)):
        lesson(hand, math, day, 1)
    for day in (date(2025, 11, 10), date(2025, 11, 11), date(2025, 11, 12)):
        lesson(hand, math, day, 1)
    lesson(
        hand,
        math,
        date(2025, 11, 13),
        1,
        status=Lesson.Status.CANCELLED,
        status_reason="болезнь учителя",
    )
    substitute = hand.teachers["english"]
    lesson(hand, math, date(2025, 11, 14), 1, substitute=substitute, held_by=substitute)
    moved_to = lesson(hand, math, date(2025, 11, 18), 2)
    lesson(hand, math, date(2025, 11, 17), 1, status=Lesson.Status.MOVED, moved_to=moved_to)
    lesson(hand, math, date(2025, 11, 19), 1)
    lesson(hand, math, date(2025, 11, 24), 1)
    for day in (date(2025, 11, 10), date(2025, 11, 11)):
        lesson(hand, "russian", day, 2)
    with scopes_disabled():
        PlanTopic.objects.bulk_create(
            PlanTopic(
                school=hand.school,
                course=hand.courses["math"],
                position=n,
                title=f"Тема {n}",
                hours=2,
                created_by=hand.teachers["math"],
            )
            for n in range(1, 6)
        )
    return hand


def courses_of(hand, span, today=TODAY):
    with scopes_disabled():
        found = programme(Selection(hand.school, hand.year), span.start, span.end, today)
    return {c.course_id: c for c in found}


def test_the_plan_due_in_a_span_is_the_plan_laid_over_the_lessons():
    assert due_hours(10, 2, 7) == 7
    assert due_hours(10, 8, 7) == 2  # the plan runs out
    assert due_hours(10, 12, 3) == 0
    assert due_hours(0, 0, 5) == 0


def test_plan_versus_fact_of_a_course_in_the_quarter(hand):
    found = courses_of(hand, period_span(hand.q2))
    maths = found[hand.courses["math"].pk].hours
    assert (maths.curriculum, maths.plan_total, maths.scheduled) == (0, 10, 7)
    assert (maths.plan, maths.held, maths.cancelled, maths.lag) == (7, 6, 1, 1)
    assert maths.done == Decimal("85.7")
    russian = found[hand.courses["russian"].pk].hours
    # No plan: the timetable is the plan.
    assert (russian.plan_total, russian.plan, russian.held, russian.lag) == (0, 2, 2, 0)
    assert russian.without_plan == 1


def test_the_year_to_date_agrees_with_the_courses_plan_page(hand):
    with scopes_disabled():
        course = hand.courses["math"]
        page = plan_fact(course, today=TODAY)
    year = courses_of(hand, year_span(hand.year))[course.pk].hours
    assert (year.plan, year.held) == (page.planned, page.held) == (9, 8)


def test_the_programme_report_totals_classes_and_lists_the_courses_behind(hand):
    with scopes_disabled():
        report = programme_report(Selection(hand.school, hand.year), period_span(hand.q2), TODAY)
    rows = {(r.values["name"], r.values.get("subject")): r.values for r in report.rows}
    total = rows[("Итого 5А", None)]
    # Математика 7/6 and Русский 2/2; PE and English have no lessons.
    assert (total["plan"], total["held"], total["lag"]) == (9, 8, 1)
    behind = report.parts[0]
    assert behind.title == "Курсы с отставанием"
    assert [(r.values["name"], r.values["subject"], r.values["lag"]) for r in behind.rows] == [
        ("5А", "Математика", 1)
    ]
    assert report.notices == ["Курсов с отставанием: 1, всего на 1 ч."]
    teachers = {r.values["teacher"]: r.values for r in report.parts[1].rows}
    assert teachers["Математикова А. О."]["held"] == 6


def test_hours_given_per_teacher_for_a_month_by_course(hand):
    with scopes_disabled():
        report = hours_report(
            Selection(hand.school, hand.year), month_span(date(2025, 11, 1)), date(2025, 11, 30)
        )
    rows = [
        (
            r.kind,
            r.values["name"],
            r.values.get("given"),
            r.values.get("substituting"),
            r.values.get("substituted"),
            r.values.get("cancelled"),
        )
        for r in report.rows
    ]
    assert ("group", "Математикова А. О.", None, None, None, None) in rows
    # Own lessons held by herself: 10, 11, 12, 18, 19, 24.11 (the report is taken on 30.11).
    assert ("data", "5А Математика", 6, 0, 1, 1) in rows
    assert ("data", "замещение: 5А Математика", 0, 1, 0, 0) in rows
    total = next(r.values for r in report.rows if r.values["name"] == "Итого: Инглишева М. О.")
    assert (total["given"], total["substituting"], total["total"]) == (0, 1, 1)
    assert report.rows[-1].values["name"] == "Итого"
    assert report.rows[-1].values["total"] == 6 + 1 + 2


def test_hours_over_a_period_go_by_month(hand):
    with scopes_disabled():
        report = hours_report(
            Selection(hand.school, hand.year, "teacher", hand.teachers["math"].pk),
            year_span(hand.year),
            TODAY,
        )
    assert [(r.values["name"], r.values.get("given")) for r in report.rows] == [
        ("Математикова А. О.", None),
        ("октябрь 2025", 2),
        ("ноябрь 2025", 5),  # up to 19.11
        ("Итого: Математикова А. О.", 7),
    ]


def test_substitutions_and_cancellations_by_subject_and_teacher(hand):
    with scopes_disabled():
        report = substitutions_report(
            Selection(hand.school, hand.year), month_span(date(2025, 11, 1)), TODAY
        )
    assert [
        (r.kind, r.values["name"], r.values.get("cancelled"), r.values.get("substituted"))
        for r in report.rows
    ] == [
        ("group", "Математика", None, None),
        ("data", "Математикова А. О.", 1, 1),
        ("total", "Итого", 1, 1),
    ]
    listed = [
        (r.values["date"], r.values["what"], r.values["substitute"], r.values["reason"])
        for r in report.parts[0].rows
    ]
    assert listed == [
        (date(2025, 11, 13), "отменён", "", "болезнь учителя"),
        (date(2025, 11, 14), "замена", "Инглишева М. О.", ""),
    ]


def test_lesson_reports_cost_the_same_queries_at_two_sizes(client, hand):
    deputy = make_member(hand.school, Role.DEPUTY)
    client.force_login(deputy)

    def count(name, **query):
        return queries_of(client, school_reverse(hand.school, f"reports:{name}"), query)

    pages = [
        ("programme", {"span": f"period:{hand.q2.pk}", "scope": "school"}),
        ("hours", {"span": "month:2025-11", "scope": "school"}),
        ("hours", {"span": "year", "scope": "school"}),
        ("substitutions", {"span": "month:2025-11", "scope": "school"}),
    ]
    for name, query in pages:
        count(name, year=hand.year.pk, **query)
    before = [count(name, year=hand.year.pk, **query) for name, query in pages]
    grow(hand, 3)
    with scopes_disabled():
        for course in hand.fifth.courses.all():
            lesson(hand, course, date(2025, 11, 20), 5, status=Lesson.Status.CANCELLED)
    assert [count(name, year=hand.year.pk, **query) for name, query in pages] == before
