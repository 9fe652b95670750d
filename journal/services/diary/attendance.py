"""A pupil's attendance between two dates, by subject, with the list of absences."""

from dataclasses import dataclass
from datetime import date

from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext as _

from schedule.models import (
    Lesson,
)

from ...models import Attendance
from .week import pupil_lessons


@dataclass
class AttendanceLine:
    subject: str
    lessons: int = 0
    absent: int = 0
    ill: int = 0
    excused: int = 0
    late: int = 0

    @property
    def missed(self) -> int:
        return self.absent + self.ill + self.excused


def attendance(pupil, start: date, end: date, today: date | None = None):
    """Lessons held for the pupil between two dates (up to today) and their absences, by
    subject, with the list of absences: one query."""
    today = today or pupil.school.today()
    code = Attendance.objects.filter(
        lesson=OuterRef("pk"), pupil_id=pupil.pk, deleted_at__isnull=True
    )
    lessons = (
        pupil_lessons(pupil, start, min(end, today))
        .filter(status=Lesson.Status.PLANNED)
        .annotate(
            code=Subquery(code.values("code")[:1]),
            minutes=Subquery(code.values("minutes_late")[:1]),
            subject_name=F("course__subject__name"),
        )
        .values_list("date", "number", "subject_name", "code", "minutes")
        .order_by("date", "number")
    )
    lines: dict[str, AttendanceLine] = {}
    total = AttendanceLine(subject=_("Всего"))
    records = []
    for day, number, subject_name, code_value, minutes in lessons:
        line = lines.setdefault(subject_name, AttendanceLine(subject=subject_name))
        for target in (line, total):
            target.lessons += 1
            if code_value:
                setattr(target, code_value, getattr(target, code_value) + 1)
        if code_value:
            if isinstance(day, str):
                day = date.fromisoformat(day[:10])
            records.append(
                {
                    "date": day,
                    "number": number,
                    "subject": subject_name,
                    "token": Attendance.LETTER[code_value]
                    + (str(minutes) if code_value == "late" and minutes else ""),
                    "label": Attendance.Code(code_value).label,
                }
            )
    return sorted(lines.values(), key=lambda line: line.subject), total, records
