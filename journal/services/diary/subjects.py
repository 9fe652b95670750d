"""A pupil's marks by subject for a period, with averages, final marks and forecasts."""

from dataclasses import dataclass, field
from datetime import date

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from grading.models import FinalMark, Mark
from schedule.models import (
    Course,
    Lesson,
    StudyPeriod,
    SubgroupMembership,
)

from ..forecast import forecast
from .pupils import grading_rule
from .queries import as_text, overlapping, typed_null, union_part
from .week import DiaryMark


@dataclass
class SubjectMarks:
    course_id: int
    subject: str
    subgroup: str = ""
    scale: str = Course.Scale.FIVE
    marks: list = field(default_factory=list)  # (date, DiaryMark)
    final: dict = field(default_factory=dict)  # FinalMark.Kind → (value, label)
    average: str = ""
    forecast: object = None

    @property
    def period_final(self):
        return self.final.get(FinalMark.Kind.PERIOD)

    @property
    def year_final(self):
        return self.final.get(FinalMark.Kind.YEAR)

    @property
    def other_finals(self) -> list[tuple[str, str, str]]:
        """Exam, credit and final («итоговая») marks: (kind label, value, value label)."""
        shown = (FinalMark.Kind.PERIOD, FinalMark.Kind.YEAR)
        return [
            (str(FinalMark.Kind(kind).label), value, label)
            for kind, (value, label) in self.final.items()
            if kind not in shown and kind in FinalMark.Kind.values
        ]


def year_periods(pupil) -> list[StudyPeriod]:
    """The study periods of the pupil's class (its year and grade), in order: one query."""
    school_class = pupil.school_class
    if school_class is None:
        return []
    return list(
        StudyPeriod.objects.filter(year_id=school_class.year_id)
        .for_grade(school_class.grade)
        .order_by("start")
    )


def _subject_rows(pupil, period):
    """The pupil's courses, marks of the period and final marks of the year: one UNION query.

    Row: (kind, course id, date, subject, a, b, c, number) — kind «c» (course: scale,
    subgroup), «m» (mark: value, comment, work type, weight) or «f» (final: value, kind,
    period id as text).
    """
    school_class = pupil.school_class
    decimal = models.DecimalField(max_digits=12, decimal_places=2)
    member = Exists(
        overlapping(
            SubgroupMembership.objects.filter(pupil_id=pupil.pk, subgroup=OuterRef("subgroup")),
            period.start,
            period.end,
        )
    )
    courses = union_part(
        Course.objects.filter(school_class_id=school_class.pk).filter(
            Q(subgroup__isnull=True) | member
        ),
        "c",
        cid=F("pk"),
        d=typed_null(models.DateField()),
        s=as_text("subject__name"),
        a=as_text("scale"),
        b=as_text("subgroup__name"),
        c=typed_null(models.TextField()),
        n=typed_null(decimal),
    )
    marks = union_part(
        Mark.objects.filter(
            pupil_id=pupil.pk,
            deleted_at__isnull=True,
            # As the journal's averages count: marks of lessons held (not cancelled or moved).
            lesson__status=Lesson.Status.PLANNED,
            lesson__date__gte=period.start,
            lesson__date__lte=period.end,
        ),
        "m",
        cid=F("lesson__course_id"),
        d=F("lesson__date"),
        s=as_text("lesson__course__subject__name"),
        a=as_text("value"),
        b=as_text("comment"),
        c=as_text("work_type__name"),
        n=Cast("work_type__weight", decimal),
    )
    finals = union_part(
        FinalMark.objects.filter(pupil_id=pupil.pk, course__year_id=school_class.year_id).filter(
            Q(period_id=period.pk) | Q(period__isnull=True)
        ),
        "f",
        cid=F("course_id"),
        d=typed_null(models.DateField()),
        s=as_text("course__subject__name"),
        a=as_text("value"),
        b=as_text("kind"),
        c=as_text("period_id"),
        n=typed_null(decimal),
    )
    return courses.union(marks, finals, all=True).order_by("cid", "d", "k")


def subjects(pupil, period) -> list[SubjectMarks]:
    """Every subject of the pupil in the period: marks in date order, the weighted average,
    final marks when set and the forecast of the period mark. One query."""
    if period is None or pupil.school_class is None:
        return []
    threshold, min_marks = grading_rule(pupil)
    found: dict[int, SubjectMarks] = {}

    def subject(course_id, name):
        if course_id not in found:
            found[course_id] = SubjectMarks(course_id=course_id, subject=name)
        return found[course_id]

    for kind, course_id, day, name, a, b, c, number in _subject_rows(pupil, period):
        item = subject(course_id, name)
        if kind == "c":
            item.scale = a
            item.subgroup = b or ""
        elif kind == "m":
            if isinstance(day, str):
                day = date.fromisoformat(day[:10])
            item.marks.append(
                (
                    day,
                    DiaryMark(
                        value=a,
                        short=Mark.SHORT.get(a, a),
                        work_type=c or "",
                        comment=b or "",
                        weight=number,
                    ),
                )
            )
        else:
            item.final[b] = (a, str(FinalMark.Value(a).label) if a in FinalMark.Value.values else a)
    no_marks = pupil.school_class.no_marks
    for item in found.values():
        item.marks.sort(key=lambda pair: pair[0])
        five_point = [
            (Mark.POINTS[m.value], m.weight or 1) for _d, m in item.marks if m.value in Mark.POINTS
        ]
        if item.scale == Course.Scale.FIVE and not no_marks:
            item.forecast = forecast(five_point, threshold=threshold, min_marks=min_marks)
            item.average = item.forecast.average_display
        elif item.marks:
            passed = [1 if m.value == Mark.Value.PASS else 0 for _d, m in item.marks]
            item.average = _("зачтено %(n)s из %(total)s") % {
                "n": sum(passed),
                "total": len(passed),
            }
    return sorted(found.values(), key=lambda s: (s.subject, s.subgroup, s.course_id))
