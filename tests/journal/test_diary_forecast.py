"""The forecast of a period mark: pure functions, no database."""

from decimal import Decimal
from fractions import Fraction

import pytest

from journal.services.forecast import (
    fives_needed,
    forecast,
    forecast_totals,
    round_mark,
    twos_to_lower,
    weighted_average,
)


def test_the_weighted_average_is_exact():
    assert weighted_average([(5, 1), (4, 2)]) == Fraction(13, 3)
    assert weighted_average([(5, Decimal("1.5")), (3, 1)]) == Fraction(21, 5)
    assert weighted_average([]) is None


@pytest.mark.parametrize(
    "average,threshold,mark",
    [
        (Fraction(9, 2), "0.5", 5),  # 4.5 rounds up at the default threshold
        (Fraction(449, 100), "0.5", 4),
        (Fraction(459, 100), "0.6", 4),
        (Fraction(46, 10), "0.6", 5),
        (Fraction(469, 100), "0.7", 4),
        (Fraction(401, 100), "0.01", 5),  # «в пользу обучающегося»
        (Fraction(4), "0.01", 4),
        (Fraction(2), "0.5", 2),
        (Fraction(5), "0.5", 5),
    ],
)
def test_it_rounds_by_the_schools_threshold(average, threshold, mark):
    assert round_mark(average, Decimal(threshold)) == mark


def test_two_more_fives_lift_four_to_five():
    # 4, 4, 4: average 4; (12 + 5n) / (3 + n) >= 4.5 ⇔ n >= 3
    result = forecast([(4, 1)] * 3)
    assert (result.mark, result.next_mark, result.fives) == (4, 5, 3)
    assert result.text == "для пятёрки нужно ещё три пятёрки"


def test_one_five_is_enough_sometimes():
    # 5, 4: average 4.5 → already a five; 4, 4, 5: 13/3 = 4.33 → one five gives 18/4 = 4.5
    assert forecast([(5, 1), (4, 1)]).mark == 5
    result = forecast([(4, 1), (4, 1), (5, 1)])
    assert (result.mark, result.fives) == (4, 1)
    assert result.text.startswith("для пятёрки нужна ещё одна пятёрка")


def test_the_text_agrees_in_number():
    # 3, 3, 3, 3: to reach 3.5 one needs n: (12 + 5n)/(4 + n) >= 3.5 ⇔ n >= 4/3 → 2
    assert "для четвёрки нужно ещё две пятёрки" in forecast([(3, 1)] * 4).text
    # twelve threes: (36 + 5n)/(12 + n) >= 3.5 ⇔ n >= 4 → «четыре пятёрки»
    assert "нужно ещё четыре пятёрки" in forecast([(3, 1)] * 12).text
    # fifteen threes: n >= 5 → «5 пятёрок»
    assert "нужно ещё 5 пятёрок" in forecast([(3, 1)] * 15).text


def test_a_heavy_mark_weighs_more():
    # A two for a test (weight 2) and a five: (4 + 5) / 3 = 3.0
    result = forecast([(2, 2), (5, 1)])
    assert result.average == 3
    assert result.mark == 3
    # For a five: (9 + 5n)/(3 + n) >= 4.5 needs nine answers at the lesson, but
    # (9 + 10n)/(3 + 2n) >= 4.5 only five tests (weight 2).
    assert fives_needed(Fraction(9), Fraction(3), 5, Decimal("0.5"), weight=1) == 9
    assert fives_needed(Fraction(9), Fraction(3), 5, Decimal("0.5"), weight=2) == 5


def test_exactly_at_the_threshold_no_five_is_needed():
    assert fives_needed(Fraction(9), Fraction(2), 5, Decimal("0.5")) == 0


def test_the_answer_is_the_least_number_that_works():
    for marks in ([(4, 1)] * 3, [(3, 1), (4, 1)], [(2, 1), (2, 1), (3, 2)], [(3, 1)] * 7):
        for target in (3, 4, 5):
            total = sum(Fraction(v) * w for v, w in marks)
            weight = sum(Fraction(w) for _v, w in marks)
            n = fives_needed(total, weight, target, Decimal("0.5"))
            assert round_mark((total + 5 * n) / (weight + n), Decimal("0.5")) >= target
            if n:
                fewer = (total + 5 * (n - 1)) / (weight + n - 1)
                assert round_mark(fewer, Decimal("0.5")) < target


def test_it_warns_when_one_two_lowers_the_mark():
    # 5, 5, 4: average 4.67; one more two: 16/4 = 4.0 → a four
    result = forecast([(5, 1), (5, 1), (4, 1)])
    assert result.twos == 1
    assert "одна двойка снизит отметку до четвёрки" in result.text
    # Many fives: one two does not change a five.
    assert forecast([(5, 1)] * 10).twos > 1
    assert twos_to_lower(Fraction(0), Fraction(0), 5, Decimal("0.5")) is None
    assert twos_to_lower(Fraction(4), Fraction(2), 2, Decimal("0.5")) is None


def test_too_few_marks_are_said_first():
    result = forecast([(5, 1)], min_marks=3)
    assert result.missing == 2
    assert result.text.startswith("для отметки за период нужно ещё две отметки")
    assert forecast([], min_marks=3).text == "для отметки за период нужно ещё три отметки"
    assert forecast([], min_marks=1).text == "для отметки за период нужна ещё одна отметка"


def test_nothing_is_needed_at_five():
    result = forecast([(5, 1)] * 10)
    assert result.next_mark is None and result.fives is None
    assert result.text == ""
    # Three fives: one two (17/4 = 4.25) would make it a four — that is said.
    assert forecast([(5, 1)] * 3).text == "одна двойка снизит отметку до четвёрки"


def test_a_hopeless_case_is_not_counted_out():
    # 200 twos: (400 + 5n)/(200 + n) >= 2.5 needs forty fives for a three.
    result = forecast([(2, 1)] * 200)
    assert result.fives == 40
    assert result.fives > 10
    assert "больше десяти пятёрок" in result.text


def test_totals_give_the_same_answer_as_marks():
    marks = [(5, Decimal("2")), (3, Decimal("1")), (4, Decimal("1.5"))]
    total = sum(Decimal(v) * w for v, w in marks)
    weight = sum(w for _v, w in marks)
    assert forecast(marks) == forecast_totals(total, weight, 3)
    assert forecast(marks).average_display == "4,22"


def test_the_outlook_follows_the_regulation_s_minimum_like_the_final_marks_page():
    assert forecast([(5, 1), (4, 1)], min_marks=3).outlook == "н/а — мало отметок"
    assert forecast([(5, 1), (4, 1), (5, 1)], min_marks=3).outlook == "5"
    assert forecast([], min_marks=3).outlook == ""
    assert forecast([(5, 1), (4, 1)], min_marks=3).average_display == "4,50"
