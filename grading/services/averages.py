"""The weighted average of marks: one definition, in its two forms.

A mark scores its points (2–5), or 1 for зачёт and 0 for незачёт; the average is
Σ score·weight / Σ weight, the weight being the work type's. In SQL (`sums`, for reports and
per-pupil figures aggregated by the database) and in Python (`Average`, for pages that pivot
rows they already fetched: the journal grid, the cell just saved, the diary, the forecast).
tests/grading/test_averages.py proves both give the same figure on the same marks. Shown as
people read it: two places, a decimal comma («4,50»); rounded to a mark by the school's rule
(accounts.regulation.round_mark).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Sum,
    When,
)
from django.db.models import Value as V

SCORES = {"pass": 1, "fail": 0}
TWO_PLACES = Decimal("0.01")


def score(value: str, points: int | None) -> int:
    return SCORES.get(value, points) or 0


@dataclass
class Average:
    """Marks summed one at a time (exact: weights are decimals, scores whole numbers)."""

    total: Decimal = Decimal(0)  # Σ score · weight
    weights: Decimal = Decimal(0)  # Σ weight
    count: int = 0
    scores: int = 0  # Σ score (зачёт: how many passed)

    def add(self, value: str, points: int | None, weight) -> None:
        self._change(value, points, weight, 1)

    def remove(self, value: str, points: int | None, weight) -> None:
        self._change(value, points, weight, -1)

    def _change(self, value, points, weight, sign: int) -> None:
        weight = Decimal(str(weight))
        mark = score(value, points)
        self.total += sign * mark * weight
        self.weights += sign * weight
        self.count += sign
        self.scores += sign * mark

    @classmethod
    def summed(cls, groups) -> "Average":
        """From marks counted by work type: (weight, how many, Σ score) each — the same
        figures as adding them one at a time, for a page of hundreds of marks (one decimal
        product per pupil and work type, not per mark)."""
        average = cls()
        for weight, count, scores in groups:
            weight = Decimal(str(weight))
            average.total += scores * weight
            average.weights += count * weight
            average.count += count
            average.scores += scores
        return average

    @classmethod
    def of(cls, row: dict | None) -> "Average":
        """From the figures `sums` aggregates (None: no marks)."""
        if not row or not row.get("count"):
            return cls()
        return cls(
            Decimal(str(row["total"] or 0)),
            Decimal(str(row["weights"] or 0)),
            row["count"],
            row["scores"] or 0,
        )

    @property
    def value(self) -> Fraction | None:
        """The exact average (13/3, not 4.333…), for rounding and forecasts."""
        return Fraction(self.total) / Fraction(self.weights) if self.weights else None

    @property
    def decimal(self) -> Decimal | None:
        """The average as a decimal, for storing beside a final mark and for showing."""
        return self.total / self.weights if self.weights else None

    def text(self, pass_fail: bool = False) -> str:
        """«4,50»; for зачёт/незачёт «3/4» (passed of all)."""
        if not self.count:
            return ""
        return f"{self.scores}/{self.count}" if pass_fail else format_average(self.decimal)


def format_average(average) -> str:
    """An average as every page and document shows it: «4,50»."""
    if average is None:
        return ""
    if isinstance(average, Fraction):
        average = Decimal(average.numerator) / Decimal(average.denominator)
    shown = Decimal(str(average)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return f"{shown:.2f}".replace(".", ",")


def score_sql(mark: str) -> str:
    """`score` in hand-written SQL, over the Mark aliased `mark` (for a query compiled once,
    journal.services.cells.load_cell)."""
    cases = " ".join(f"WHEN {mark}.value = '{value}' THEN {n}" for value, n in SCORES.items())
    return f"CASE {cases} ELSE {mark}.points END"


def score_expression(prefix: str = ""):
    """`score` in SQL, over a Mark (or over `prefix`__ a Mark)."""
    return Case(
        When(**{f"{prefix}value": "pass"}, then=V(1)),
        When(**{f"{prefix}value": "fail"}, then=V(0)),
        default=F(f"{prefix}points"),
        output_field=IntegerField(),
    )


def weighted_score(prefix: str = ""):
    return ExpressionWrapper(
        score_expression(prefix) * F(f"{prefix}work_type__weight"),
        output_field=DecimalField(max_digits=8, decimal_places=2),
    )


def sums(prefix: str = "") -> dict:
    """Aggregates for .annotate()/.aggregate(): the figures `Average.of` reads."""
    return {
        "total": Sum(weighted_score(prefix)),
        "weights": Sum(f"{prefix}work_type__weight"),
        "count": Count(f"{prefix}id" if prefix else "id"),
        "scores": Sum(score_expression(prefix)),
    }
