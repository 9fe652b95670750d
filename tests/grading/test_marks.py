"""Work types and weights, the scale, averages, and lessons that hold marks."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scopes_disabled

from accounts.navigation import school_reverse
from grading.models import Mark, WorkType
from grading.services.entry import set_mark
from grading.services.marks import (
    DEFAULT_WORK_TYPES,
    parse_mark,
    period_averages,
    work_types,
)
from journal.models import Attendance
from schedule.models import Course, Lesson
from tests.factories import make_member, make_school
from tests.journal.grid_builders import build_journal

pytestmark = pytest.mark.django_db


def test_a_new_school_gets_the_default_work_types_with_weights():
    school = make_school()
    with scopes_disabled():
        types = {w.name: w for w in WorkType.objects.filter(school=school)}
    assert len(types) == len(DEFAULT_WORK_TYPES)
    assert types["Ответ на уроке"].weight == 1
    assert types["Самостоятельная работа"].weight == Decimal("1.5")
    assert types["Контрольная работа"].weight == 2
    assert work_types(school).main_for(Lesson.Kind.TEST).name == "Контрольная работа"
    assert work_types(school).main_for(Lesson.Kind.EXCURSION).name == "Ответ на уроке"


def test_changing_a_weight_reaches_the_cache_and_the_averages():
    journal = build_journal(1, 2, recent=True)
    pupil = journal.pupils[0]
    first, second = journal.lessons
    with scopes_disabled():
        test_type = WorkType.objects.get(school=journal.school, lesson_kind="test")
    for lesson, value, wt in [(first, "5", journal.main_type().id), (second, "2", test_type.id)]:
        with scopes_disabled():
            lesson.school = journal.school
            set_mark(lesson, pupil.pk, wt, value, by=journal.teacher)
    with scopes_disabled():
        assert period_averages(journal.course, first.date, second.date)[pupil.pk] == (
            pytest.approx(Decimal(3)),
            2,
        )
        test_type.weight = Decimal("3")
        test_type.save()
        assert work_types(make_school_copy(journal.school)).get(test_type.pk).weight == 3
        average, count = period_averages(journal.course, first.date, second.date)[pupil.pk]
    assert average == pytest.approx(Decimal("2.75"))


def make_school_copy(school):
    """The same school, without the per-object memo: reads the cache."""
    copy = type(school)(pk=school.pk)
    return copy


@pytest.mark.parametrize(
    "typed,scale,value",
    [
        ("5", Course.Scale.FIVE, "5"),
        (" 2 ", Course.Scale.FIVE, "2"),
        ("", Course.Scale.FIVE, None),
        ("зачёт", Course.Scale.PASS_FAIL, "pass"),
        ("ЗЧ", Course.Scale.PASS_FAIL, "pass"),
        ("незачет", Course.Scale.PASS_FAIL, "fail"),
    ],
)
def test_the_scale(typed, scale, value):
    assert parse_mark(typed, Course(scale=scale)) == value


@pytest.mark.parametrize(
    "typed,scale",
    [
        ("1", Course.Scale.FIVE),
        ("6", Course.Scale.FIVE),
        ("5+", Course.Scale.FIVE),
        ("зч", Course.Scale.FIVE),
        ("5", Course.Scale.PASS_FAIL),
    ],
)
def test_values_off_the_scale_are_refused_in_russian(typed, scale):
    with pytest.raises(ValidationError) as error:
        parse_mark(typed, Course(scale=scale))
    assert "не отметка" in error.value.messages[0]


def test_a_pass_fail_average_counts_passes():
    journal = build_journal(1, 3, recent=True, scale=Course.Scale.PASS_FAIL)
    pupil = journal.pupils[0]
    with scopes_disabled():
        for lesson, value in zip(journal.lessons, ["pass", "pass", "fail"], strict=True):
            lesson.school = journal.school
            set_mark(lesson, pupil.pk, journal.main_type().id, value, by=journal.teacher)
        average, count = period_averages(
            journal.course, journal.lessons[0].date, journal.lessons[-1].date
        )[pupil.pk]
    assert count == 3
    assert average == pytest.approx(Decimal(2) / 3)
    html = journal.client_for(journal.teacher).get(journal.url()).content.decode()
    assert '<td class="avg">2/3</td>' in html


def test_lessons_holding_marks_or_attendance_count_as_filled():
    journal = build_journal(2, 3, recent=True)
    marked, seen, empty = journal.lessons
    with scopes_disabled():
        Mark.objects.create(
            school=journal.school,
            lesson=marked,
            pupil=journal.pupils[0],
            work_type_id=journal.main_type().id,
            value="4",
            points=4,
            author=journal.teacher,
            deleted_at="2020-01-01T00:00:00Z",  # even a cleared mark keeps its lesson
        )
        Attendance.objects.create(
            school=journal.school,
            lesson=seen,
            pupil=journal.pupils[1],
            code="absent",
            set_by=journal.teacher,
        )
        filled = set(Lesson.objects.filter(course=journal.course).filled())
    assert filled == {marked, seen}
    assert empty not in filled


def test_the_work_types_page_changes_weights():
    journal = build_journal(0, 0)
    from accounts.models import Role

    admin = make_member(journal.school, Role.ADMIN)
    url = school_reverse(journal.school, "grading:work_types")
    client = journal.client_for(admin)
    page = client.get(url)
    assert page.status_code == 200
    formset = page.context["formset"]
    data = {
        "form-TOTAL_FORMS": str(len(formset.forms)),
        "form-INITIAL_FORMS": str(len(formset.initial_forms)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for i, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if name == "active":
                if value:
                    data[f"form-{i}-{name}"] = "on"
                continue
            data[f"form-{i}-{name}"] = "" if value is None else getattr(value, "pk", value)
    for i, form in enumerate(formset.forms):
        if form.initial.get("name") == "Контрольная работа":
            data[f"form-{i}-weight"] = "2.5"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    with scopes_disabled():
        assert WorkType.objects.get(school=journal.school, lesson_kind="test").weight == Decimal(
            "2.5"
        )
    assert work_types(make_school_copy(journal.school)).by_kind["test"].weight == Decimal("2.5")
