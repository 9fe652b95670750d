"""The printed weekly report for parents without electronic access (regulation 001 §4.6.5:
«информирование о результатах обучения не реже, чем один раз в неделю с использованием
распечатки»). The class teacher prints the whole class as one PDF, a page per pupil.

Data for the whole class comes in a fixed number of queries (marks, absences, averages in
SQL, final marks), whatever the class size. The PDF keeps WeasyPrint's boxes few: each pupil
is a heading and one preformatted block of aligned lines — no tables (DESIGN, «PDF cost»).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.models import Pupil
from grading.models import FinalMark, Mark
from grading.services.averages import sums
from journal.models import Attendance
from journal.services.forecast import forecast_totals
from lib import pdf
from schedule.models import Enrolment, Lesson, StudyPeriod
from schedule.services.periods import choose_period

SUBJECT_WIDTH = 22


@dataclass
class PupilWeek:
    pupil: Pupil
    marks: dict = field(default_factory=lambda: defaultdict(list))  # subject → [«5 (к/р)»]
    absences: list = field(default_factory=list)  # «12.09 Математика: н»
    averages: list = field(default_factory=list)  # (subject, average, forecast or final)
    comments: list = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [_("Отметки за неделю:")]
        if self.marks:
            for subject in sorted(self.marks):
                out.append(
                    f"  {subject[:SUBJECT_WIDTH]:<{SUBJECT_WIDTH}} "
                    + ", ".join(self.marks[subject])
                )
        else:
            out.append("  " + _("отметок нет"))
        for comment in self.comments:
            out.append("  " + comment)
        out.append("")
        out.append(_("Пропуски и опоздания:"))
        out.extend("  " + a for a in self.absences)
        if not self.absences:
            out.append("  " + _("нет"))
        if self.averages:
            out.append("")
            out.append(_("Средний балл за период (прогноз или итог):"))
            for subject, average, outcome in self.averages:
                out.append(f"  {subject[:SUBJECT_WIDTH]:<{SUBJECT_WIDTH}} {average:>5}  {outcome}")
        return out


def class_pupils(school_class, monday: date, sunday: date, paper_only=False) -> list[Pupil]:
    enrolled = (
        Enrolment.objects.filter(school_class=school_class)
        .overlapping(monday, sunday)
        .values("pupil_id")
    )
    pupils = Pupil.objects.filter(pk__in=enrolled)
    if paper_only:
        # 001 §4.6.5: printed for the families who asked for paper (Pupil.paper_diary).
        pupils = pupils.filter(paper_diary=True)
    return list(pupils.order_by("last_name", "first_name", "pk"))


def class_week(school_class, monday: date, paper_only=False) -> tuple[list[PupilWeek], object]:
    """Every pupil of the class (or those whose families asked for paper) with the week's
    marks, absences and the period's averages. Six queries for the whole class."""
    sunday = monday + timedelta(days=6)
    pupils = class_pupils(school_class, monday, sunday, paper_only)
    weeks = {p.pk: PupilWeek(pupil=p) for p in pupils}
    in_class = {
        "pupil_id__in": list(weeks),
        "lesson__course__school_class": school_class,
    }
    marks = (
        Mark.objects.filter(
            **in_class,
            deleted_at__isnull=True,
            lesson__date__gte=monday,
            lesson__date__lte=sunday,
        )
        .select_related("lesson__course__subject", "work_type")
        .order_by("lesson__date", "lesson__number")
    )
    for mark in marks:
        item = weeks[mark.pupil_id]
        subject = mark.lesson.course.subject.name
        heavy = mark.work_type.weight > 1
        item.marks[subject].append(
            f"{mark.short} ({mark.work_type.short_name})" if heavy else mark.short
        )
        if mark.comment:
            item.comments.append(
                f"{mark.lesson.date:%d.%m} {subject}, {mark.short}: {mark.comment}"
            )
    absences = (
        Attendance.objects.filter(
            **in_class,
            deleted_at__isnull=True,
            lesson__date__gte=monday,
            lesson__date__lte=sunday,
        )
        .select_related("lesson__course__subject")
        .order_by("lesson__date", "lesson__number")
    )
    for record in absences:
        weeks[record.pupil_id].absences.append(
            _("%(date)s %(number)s-й урок, %(subject)s: %(token)s (%(label)s)")
            % {
                "date": f"{record.lesson.date:%d.%m}",
                "number": record.lesson.number,
                "subject": record.lesson.course.subject.name,
                "token": record.token,
                "label": record.get_code_display(),
            }
        )
    periods = list(
        StudyPeriod.objects.filter(year_id=school_class.year_id)
        .for_grade(school_class.grade)
        .order_by("start")
    )
    period = choose_period(periods, today=min(sunday, school_class.school.today()))
    if period is not None and not school_class.no_marks:
        rules = school_class.school.regulation
        threshold = rules.threshold
        finals = {
            (f.pupil_id, f.course_id): f.get_value_display()
            for f in FinalMark.objects.filter(
                pupil_id__in=list(weeks), period=period, kind=FinalMark.Kind.PERIOD
            )
        }
        totals = (
            Mark.objects.filter(
                **in_class,
                deleted_at__isnull=True,
                points__isnull=False,  # the forecast is of five-point courses
                lesson__status=Lesson.Status.PLANNED,
                lesson__date__gte=period.start,
                lesson__date__lte=period.end,
            )
            .values("pupil_id", "lesson__course_id", "lesson__course__subject__name")
            .annotate(**sums())
            .order_by("lesson__course__subject__name")
        )
        for row in totals:
            outlook = forecast_totals(
                row["total"],
                row["weights"],
                row["count"],
                threshold=threshold,
                min_marks=rules.min_marks_for_period,
            )
            final = finals.get((row["pupil_id"], row["lesson__course_id"]))
            outcome = (
                _("итог: %(v)s") % {"v": final}
                if final
                else (_("прогноз: %(v)s") % {"v": outlook.outlook} if outlook.outlook else "")
            )
            weeks[row["pupil_id"]].averages.append(
                (row["lesson__course__subject__name"], outlook.average_display, outcome)
            )
    return list(weeks.values()), period


def render_html(school, school_class, monday: date, paper_only=False) -> str:
    items, period = class_week(school_class, monday, paper_only)
    return render_to_string(
        "reports/weekly_pdf.html",
        {
            "school": school,
            "school_class": school_class,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "period": period,
            "items": [(item.pupil, "\n".join(item.lines())) for item in items],
            "printed": school.today(),
        },
    )


def render_document(school, school_class, monday: date):
    """The laid-out document (WeasyPrint): `.pages`, `.write_pdf()`."""
    return pdf.render_document(render_html(school, school_class, monday))


def render_pdf(school, school_class, monday: date, paper_only=False) -> bytes:
    return pdf.render_pdf(render_html(school, school_class, monday, paper_only))
