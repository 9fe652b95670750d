"""The final-marks pages cost a fixed number of queries, whatever the number of pupils."""

from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from accounts.navigation import school_reverse
from grading.models import FinalMark

from .finals_builders import course_with_pupils, give, open_period, period, work_type

pytestmark = pytest.mark.django_db

FINALS_QUERIES = 8
FINALS_EDIT_QUERIES = 9


def filled_course(school, size):
    teacher, course, pupils = course_with_pupils(school, size)
    first = period(course, 1, course.year.start, course.year.start + timedelta(days=50))
    second = open_period(course, 2)
    answer = work_type(school, "Ответ на уроке", "1")
    with scopes_disabled():
        for pupil in pupils:
            give(course, pupil, ["5", "4", "4"], answer, teacher, second.start)
            FinalMark.objects.create(
                school=school,
                pupil=pupil,
                course=course,
                period=first,
                kind=FinalMark.Kind.PERIOD,
                value="4",
                set_by=teacher,
            )
    return teacher, course, second


@pytest.mark.parametrize("size", [3, 30])
def test_the_final_marks_page_costs_a_fixed_number_of_queries(
    client, school, django_assert_num_queries, size
):
    teacher, course, _second = filled_course(school, size)
    client.force_login(teacher)
    url = school_reverse(school, "grading:finals", pk=course.pk)
    client.get(url)

    with django_assert_num_queries(FINALS_QUERIES):
        response = client.get(url)
    assert response.text.count("Ученик") == size


@pytest.mark.parametrize("size", [3, 30])
def test_setting_a_column_shows_proposals_in_a_fixed_number_of_queries(
    client, school, django_assert_num_queries, size
):
    teacher, course, second = filled_course(school, size)
    client.force_login(teacher)
    url = school_reverse(school, "grading:finals_edit", pk=course.pk)
    query = {"kind": "period", "period": second.pk}
    client.get(url, query)

    with django_assert_num_queries(FINALS_EDIT_QUERIES):
        response = client.get(url, query)
    assert response.text.count("4,33") + response.text.count("4.33") == size
