"""One weighted average: the SQL form and the Python form give the same figure, the page's
row shows it after a save, and every page writes it the same way («4,50»)."""

import json
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from django_scopes import scopes_disabled

from grading.models import Mark, WorkType
from grading.services.averages import Average, format_average, score
from grading.services.marks import period_averages
from tests.journal.grid_builders import build_journal

pytestmark = pytest.mark.django_db


def test_sql_and_python_give_the_same_average_on_the_same_marks():
    journal = build_journal(4, 12, recent=True)
    rng = random.Random(7)
    with scopes_disabled():
        types = list(WorkType.objects.filter(school=journal.school))
        expected = {}
        for pupil in journal.pupils:
            average = Average()
            for lesson in journal.lessons:
                if rng.random() < 0.3:
                    continue
                work_type = rng.choice(types)
                value = rng.choice(["2", "3", "4", "5"])
                Mark.objects.create(
                    school=journal.school,
                    lesson=lesson,
                    pupil=pupil,
                    work_type=work_type,
                    value=value,
                    points=int(value),
                    author=journal.teacher,
                )
                average.add(value, int(value), work_type.weight)
            expected[pupil.pk] = average
        start, end = journal.lessons[0].date, journal.lessons[-1].date
        found = period_averages(journal.course, start, end)
    for pupil_id, average in expected.items():
        sql_average, count = found[pupil_id]
        assert count == average.count
        assert sql_average == average.decimal
        assert format_average(sql_average) == average.text()


def test_an_average_is_exact_and_read_with_a_decimal_comma():
    average = Average()
    average.add("5", 5, Decimal("1"))
    average.add("4", 4, Decimal("2"))
    assert average.value == Fraction(13, 3)
    assert average.text() == "4,33"
    average.remove("4", 4, Decimal("2"))
    assert (average.value, average.count, average.text()) == (5, 1, "5,00")
    passes = Average()
    for value in ("pass", "pass", "fail"):
        passes.add(value, None, 1)
    assert passes.text(pass_fail=True) == "2/3"
    assert format_average(Decimal("4.495")) == "4,50"  # as a teacher sees it
    assert Average().text() == ""


def test_a_saved_cell_answers_the_rows_new_average_and_the_queries_stay_at_six(
    django_assert_max_num_queries,
):
    journal = build_journal(1, 3, recent=True)
    pupil, (first, second, third) = journal.pupils[0], journal.lessons
    client = journal.client_for(journal.teacher)
    span = {"from": first.date.isoformat(), "to": third.date.isoformat()}

    def save(lesson, value):
        response = client.post(
            journal.cell_url(lesson, pupil),
            {"value": value, "column": journal.main_type(lesson).id, **span},
        )
        return json.loads(response.content)

    assert save(first, "5")["average"] == "5,00"
    assert save(second, "4")["average"] == "4,50"
    with django_assert_max_num_queries(6):
        assert save(second, "2")["average"] == "3,50"  # the 4 gives way to the 2
    assert save(third, "н")["average"] is None  # attendance alone: the average stays
    assert save(first, "")["average"] == "2,00"


def test_marks_counted_by_work_type_give_the_same_average_as_added_one_at_a_time():
    rng = random.Random(16)
    weights = [Decimal("1"), Decimal("1.5"), Decimal("0.75"), Decimal("2.00"), 3]
    for _pupil in range(40):
        one_at_a_time, tallies = Average(), {}
        for _mark in range(rng.randint(1, 30)):
            weight = rng.choice(weights)
            value = rng.choice(["2", "3", "4", "5", "pass", "fail"])
            points = int(value) if value.isdigit() else None
            one_at_a_time.add(value, points, weight)
            count, scores = tallies.get(weight, (0, 0))
            tallies[weight] = (count + 1, scores + score(value, points))
        summed = Average.summed((w, count, scores) for w, (count, scores) in tallies.items())
        assert summed == one_at_a_time
        assert (summed.text(), summed.text(pass_fail=True)) == (
            one_at_a_time.text(),
            one_at_a_time.text(pass_fail=True),
        )
    assert Average.summed([]).text() == ""
