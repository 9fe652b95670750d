"""A week in numbers, as plain data: what the digest and the printed weekly report tell."""

from datetime import date, datetime, timedelta

from schedule.services.periods import choose_period

from .subjects import subjects, year_periods
from .week import week


def week_summary(pupil, monday: date, sunday: date | None = None) -> dict:
    """What a parent is told about a week, as plain data (JSON-safe): the week's marks with
    work types and comments, absences, homework, and per subject the average and forecast of
    the current period. Used by the digest and the printable report."""
    sunday = sunday or monday + timedelta(days=6)
    days = week(pupil, monday)
    marks, absences, homework = [], [], []
    for day in days:
        for item in day["lessons"]:
            lesson = item.lesson
            subject = lesson.course.subject.name
            for mark in item.marks:
                marks.append(
                    {
                        "date": lesson.date.isoformat(),
                        "subject": subject,
                        "value": mark.short,
                        "work_type": mark.work_type,
                        "comment": mark.comment,
                    }
                )
            if item.attendance:
                absences.append(
                    {
                        "date": lesson.date.isoformat(),
                        "subject": subject,
                        "token": item.attendance,
                        "label": str(item.attendance_label),
                    }
                )
            hw = item.homework
            if hw is not None and hw.text:
                homework.append(
                    {
                        "date": lesson.date.isoformat(),
                        "due": hw.due_date.isoformat() if hw.due_date else "",
                        "subject": subject,
                        "text": hw.text,
                    }
                )
    periods = year_periods(pupil)
    period = choose_period(periods, today=min(sunday, pupil.school.today()))
    averages = []
    for item in subjects(pupil, period):
        if not item.marks and not item.period_final:
            continue
        averages.append(
            {
                "subject": item.subject + (f" ({item.subgroup})" if item.subgroup else ""),
                "average": item.average,
                "forecast": item.forecast.outlook if item.forecast else "",
                "hint": item.forecast.text if item.forecast else "",
                "final": item.period_final[1] if item.period_final else "",
            }
        )
    return {
        "pupil_id": pupil.pk,
        "pupil": pupil.full_name,
        "class": pupil.school_class.name if pupil.school_class else "",
        "period": str(period) if period else "",
        "marks": marks,
        "absences": absences,
        "homework": homework,
        "averages": averages,
    }


def as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
