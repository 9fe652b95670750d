"""Who is in a course (its class or subgroup) on which dates: the rows of a journal page."""

from dataclasses import dataclass, field
from datetime import date

from schedule.models import (
    Enrolment,
    SubgroupMembership,
)

# --- Pupils -------------------------------------------------------------------------------------


@dataclass
class PupilRow:
    pupil: object
    spans: list = field(default_factory=list)  # [(start, end or None)] in the class/subgroup

    def covers(self, start: date, end: date) -> bool:
        """In the course for the whole of a span (the usual case: no cell is outside)."""
        return any(s <= start and (e is None or end <= e) for s, e in self.spans)

    def active_on(self, day: date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in self.spans)


def course_stays(course):
    """The rows that put a pupil in the course: subgroup places, or class enrolments."""
    if course.subgroup_id:
        return SubgroupMembership.objects.filter(subgroup_id=course.subgroup_id)
    return Enrolment.objects.filter(school_class_id=course.school_class_id)


@dataclass(frozen=True)
class GridPupil:
    """The little of a pupil the journal page shows."""

    pk: int
    last_name: str
    first_name: str
    patronymic: str

    @property
    def short_name(self) -> str:
        return f"{self.last_name} {self.first_name}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


def pupil_rows(course, start: date, end: date) -> list[PupilRow]:
    """Everyone in the course at some time in the period, with their spans (one query)."""
    return stay_rows(course_stays(course), start, end)


def stay_rows(stays, start: date, end: date) -> list[PupilRow]:
    """Everyone with a stay (enrolments of a class, places in a subgroup) between two days,
    with their spans, in the journal's order (one query)."""
    rows: dict[int, PupilRow] = {}
    stays = stays.overlapping(start, end).values_list(
        "pupil_id",
        "start",
        "end",
        "pupil__last_name",
        "pupil__first_name",
        "pupil__patronymic",
    )
    for pupil_id, stay_start, stay_end, last_name, first_name, patronymic in stays:
        row = rows.get(pupil_id)
        if row is None:
            row = rows[pupil_id] = PupilRow(GridPupil(pupil_id, last_name, first_name, patronymic))
        row.spans.append((stay_start, stay_end))
    return sorted(
        rows.values(),
        key=lambda r: (r.pupil.last_name, r.pupil.first_name, r.pupil.patronymic, r.pupil.pk),
    )
