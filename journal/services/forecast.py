"""The forecast of a period mark from the marks so far — pure functions, no database.

`forecast(marks, threshold=…, min_marks=…)` takes (value, weight) pairs and tells the mark
the weighted average rounds to now, how many more fives (of a given weight) lift it to the
next mark («для пятёрки нужно ещё две пятёрки»), and whether one more two would lower it.

Rounding is the school's rule, the one of its regulation (accounts.regulation.round_mark):
the average as shown (two places), its whole part, plus one when the fraction reaches the
threshold (0.5 by default, 0.6, 0.7, or any fraction «в пользу обучающегося»), kept between 2
and 5. Arithmetic is exact (fractions), so 4.5 with a 0.5 threshold is a five, 4.49 a four.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from accounts.regulation import SHOWN_HALF_STEP, round_mark
from grading.services.averages import Average, format_average

MAX_SHOWN = 10  # beyond this many fives the page says «больше десяти»
FEW_MARKS = pgettext_lazy("прогноз отметки за период", "н/а — мало отметок")

# Genitive of a mark, «для пятёрки», and the forms of «пятёрка» after a number.
GENITIVE = "отметка в родительном падеже"
TARGET = {
    5: pgettext_lazy(GENITIVE, "пятёрки"),
    4: pgettext_lazy(GENITIVE, "четвёрки"),
    3: pgettext_lazy(GENITIVE, "тройки"),
}
LOWER = {
    4: pgettext_lazy(GENITIVE, "четвёрки"),
    3: pgettext_lazy(GENITIVE, "тройки"),
    2: pgettext_lazy(GENITIVE, "двойки"),
}
COUNTED = "число отметок (женский род)"
NUMBER_WORDS = {
    1: pgettext_lazy(COUNTED, "одна"),
    2: pgettext_lazy(COUNTED, "две"),
    3: pgettext_lazy(COUNTED, "три"),
    4: pgettext_lazy(COUNTED, "четыре"),
}


def _fraction(value) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(Decimal(str(value)))
    return Fraction(value)


def weighted_average(marks: Iterable[tuple]) -> Fraction | None:
    """Σ value·weight / Σ weight, exactly; None without marks (or with zero total weight)."""
    average = Average()
    for value, weight in marks:
        average.add("", value, weight)
    return average.value


def fives_needed(total, weight_sum, target: int, threshold, weight=1) -> int:
    """How many more fives of `weight` bring the average to round to `target`.

    The average must reach T = target − 1 + threshold as shown (to two places, so exactly
    T − 1/200): (S + 5·w·n) / (W + w·n) ≥ T  ⇔  n ≥ (T·W − S) / (w·(5 − T)).
    """
    goal = target - 1 + _fraction(threshold) - SHOWN_HALF_STEP
    weight = _fraction(weight)
    if weight_sum and total / weight_sum >= goal:
        return 0
    if goal >= 5:
        raise ValueError("unreachable")
    return max(0, math.ceil((goal * weight_sum - total) / (weight * (5 - goal))))


def twos_to_lower(total, weight_sum, mark: int, threshold, weight=1) -> int | None:
    """How many twos of `weight` would make the average round below `mark` (None at 2)."""
    if mark <= 2 or not weight_sum:
        return None
    # The least average still giving `mark` (as shown, to two places).
    floor_goal = mark - 1 + _fraction(threshold) - SHOWN_HALF_STEP
    weight = _fraction(weight)
    # (S + 2·w·n) / (W + w·n) < G  ⇔  n > (S − G·W) / (w·(G − 2))
    bound = (total - floor_goal * weight_sum) / (weight * (floor_goal - 2))
    return math.floor(bound) + 1


def _count_phrase(n: int, forms: tuple[str, str, str]) -> str:
    word = NUMBER_WORDS.get(n, str(n))
    if n % 10 == 1 and n % 100 != 11:
        return f"{word} {forms[0]}"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{word} {forms[1]}"
    return f"{word} {forms[2]}"


# The forms after 1, after 2–4 and after 5 or more.
AFTER_NUMBER = "форма после числа: 1, 2–4, 5+"
FIVES = tuple(pgettext_lazy(AFTER_NUMBER, w) for w in ("пятёрка", "пятёрки", "пятёрок"))
MARKS = tuple(pgettext_lazy(AFTER_NUMBER, w) for w in ("отметка", "отметки", "отметок"))
TWOS = tuple(pgettext_lazy(AFTER_NUMBER, w) for w in ("двойка", "двойки", "двоек"))


@dataclass(frozen=True)
class Forecast:
    average: Fraction | None
    mark: int | None  # what the average rounds to now
    count: int  # marks so far
    missing: int  # marks lacking for the period mark (the school's minimum)
    next_mark: int | None  # the mark above, None at five
    fives: int | None  # fives (of the given weight) to reach next_mark
    twos: int | None  # twos that would lower the mark

    @property
    def outlook(self) -> str:
        """The period mark the marks point to, as every page and printout shows it: the
        rounded mark, or «н/а — мало отметок» below the regulation's minimum (as the
        final-marks page proposes «н/а» then)."""
        if self.mark is None:
            return ""
        if self.missing:
            return str(FEW_MARKS)
        return str(self.mark)

    @property
    def average_display(self) -> str:
        if self.average is None:
            return ""
        return format_average(self.average)

    @property
    def text(self) -> str:
        """One line for parents: what is needed for the next mark, or for any mark."""
        parts = []
        if self.missing:
            n = self.missing
            verb = _("нужна ещё") if n % 10 == 1 and n % 100 != 11 else _("нужно ещё")
            parts.append(
                _("для отметки за период %(verb)s %(count)s")
                % {"verb": verb, "count": _count_phrase(n, MARKS)}
            )
        if self.next_mark and self.fives:
            target = TARGET[self.next_mark]
            if self.fives > MAX_SHOWN:
                parts.append(_("для %(target)s нужно больше десяти пятёрок") % {"target": target})
            else:
                n = self.fives
                verb = _("нужна ещё") if n % 10 == 1 and n % 100 != 11 else _("нужно ещё")
                parts.append(
                    _("для %(target)s %(verb)s %(count)s")
                    % {"target": target, "verb": verb, "count": _count_phrase(n, FIVES)}
                )
        if self.twos == 1 and self.mark and self.mark > 2:
            parts.append(
                _("одна двойка снизит отметку до %(lower)s") % {"lower": LOWER[self.mark - 1]}
            )
        return "; ".join(parts)


def forecast(marks: Iterable[tuple], *, threshold="0.5", min_marks: int = 3, weight=1):
    """The forecast for (value, weight) marks of a five-point course (see module docs)."""
    average = Average()
    for value, mark_weight in marks:
        average.add("", value, mark_weight)
    return forecast_totals(
        average.total,
        average.weights,
        average.count,
        threshold=threshold,
        min_marks=min_marks,
        weight=weight,
    )


def forecast_totals(total, weight_sum, count: int, *, threshold="0.5", min_marks=3, weight=1):
    """The same from Σ value·weight, Σ weight and the number of marks (SQL aggregates)."""
    total, weight_sum = _fraction(total or 0), _fraction(weight_sum or 0)
    average = total / weight_sum if weight_sum else None
    mark = round_mark(average, threshold)
    next_mark = (mark + 1 if mark < 5 else None) if mark is not None else None
    fives = None
    if next_mark is not None:
        fives = fives_needed(total, weight_sum, next_mark, threshold, weight)
    return Forecast(
        average=average,
        mark=mark,
        count=count,
        missing=max(0, min_marks - count),
        next_mark=next_mark,
        fives=fives,
        twos=twos_to_lower(total, weight_sum, mark, threshold, weight) if mark else None,
    )
