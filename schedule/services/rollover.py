"""From a closed year into the next: the plan (a preview of every change) and its run.

- The next year: its dates, periods and holidays from the school's usual pattern
  (year.standard_calendar).
- Each class moves up (5А → 6А); the graduating grades (9th, 11th) leave with «окончание
  обучения». A college's group moves from course to course («переводы с курса на курс»,
  002 §1.7) keeping its name and speciality (ТМ-21 of the 2nd course → ТМ-21 of the 3rd);
  the last course of its speciality graduates (SchoolClass.graduates). A pupil the deputy
  marks «оставлен на повторное обучение» goes to the class of the same grade and letter;
  «переведён условно» moves up with that reason. New enrolments carry the reason and the
  order number.
- Subgroups are copied empty; courses are proposed from last year with their teachers.

Running it twice changes nothing: every row it would write is looked for first (the next
year by name, a class by grade and letter, an enrolment by pupil and class, a course by
class, subject and subgroup).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import (
    Course,
    CourseTeacher,
    Enrolment,
    Holiday,
    SchoolClass,
    SchoolYear,
    StudyPeriod,
    Subgroup,
)
from .year import standard_calendar

PROMOTED, CONDITIONAL, REPEAT = "promoted", "conditional", "repeat"
OUTCOMES = {
    PROMOTED: _("переведён"),
    CONDITIONAL: _("переведён условно"),
    REPEAT: _("оставлен на повторное обучение"),
}


@dataclass
class Move:
    pupil: object
    from_class: object
    to: tuple | None  # (grade, letter) in the next year, None: graduates
    outcome: str

    @property
    def label(self) -> str:
        if self.to is None:
            return _("окончание обучения")
        return OUTCOMES[self.outcome]


@dataclass
class Plan:
    year: object
    name: str
    start: object
    end: object
    periods: list
    holidays: list
    classes: list  # [(grade, letter, class teacher, from class)]
    moves: list  # [Move]
    courses: list  # [(grade, letter, subject, subgroup name, [teachers], hours)]
    exists: bool = False
    problems: list = field(default_factory=list)


def _class_name(grade, letter) -> str:
    return f"{grade}{letter}" if len(letter) <= 2 else letter


def plan_rollover(year, outcomes=None) -> Plan:
    """What the rollover would write; `outcomes` = {pupil id: CONDITIONAL or REPEAT}."""
    outcomes = outcomes or {}
    school = year.school
    first = year.start.year + 1
    start, end = SchoolYear.default_bounds(first)
    name = SchoolYear.default_name(first)
    problems = []
    if year.closed_at is None:
        problems.append(_("Учебный год %(year)s не закрыт.") % {"year": year.name})
    draft = SchoolYear(school=school, name=name, start=start, end=end)
    college = school.kind == school.Kind.COLLEGE
    periods, holidays = standard_calendar(draft, "semesters" if college else "quarters_semesters")
    classes = list(
        SchoolClass.objects.filter(year=year)
        .select_related("class_teacher", "speciality")
        .order_by("grade", "letter")
    )
    new_classes = {}
    leaving = {c.pk for c in classes if c.graduates(school.kind)}
    for c in classes:
        if c.pk not in leaving:
            new_classes[(c.grade + 1, c.letter)] = (c.grade + 1, c.letter, c.class_teacher, c)
    moves = []
    for enrolment in (
        Enrolment.objects.filter(school_class__year=year)
        .filter(models_open_at(year.end))
        .select_related("pupil", "school_class")
        .order_by("school_class__grade", "school_class__letter", "pupil__last_name")
    ):
        c = enrolment.school_class
        outcome = outcomes.get(enrolment.pupil_id, PROMOTED)
        if outcome == REPEAT:
            to = (c.grade, c.letter)
            new_classes.setdefault(to, (c.grade, c.letter, None, c))
        elif c.pk in leaving:
            to = None
        else:
            to = (c.grade + 1, c.letter)
        moves.append(Move(enrolment.pupil, c, to, outcome))
    courses = []
    teachers: dict = {}
    for course_id, teacher in (
        CourseTeacher.objects.filter(course__year=year)
        .select_related("teacher")
        .values_list("course_id", "teacher")
    ):
        teachers.setdefault(course_id, []).append(teacher)

    people = {
        u.pk: u for u in User.objects.filter(pk__in={t for ts in teachers.values() for t in ts})
    }
    for course in (
        Course.objects.filter(year=year)
        .select_related("school_class", "subject", "subgroup")
        .order_by("school_class__grade", "school_class__letter", "subject__name")
    ):
        c = course.school_class
        if c.pk in leaving:
            continue
        courses.append(
            (
                c.grade + 1,
                c.letter,
                course.subject,
                course.subgroup.name if course.subgroup_id else "",
                [people[t] for t in teachers.get(course.pk, [])],
                course.hours_per_week,
            )
        )
    exists = SchoolYear.objects.filter(school=school, name=name).exists()
    return Plan(
        year, name, start, end, periods, holidays,
        sorted(new_classes.values(), key=lambda x: (x[0], x[1])), moves, courses, exists, problems,
    )  # fmt: skip


def models_open_at(day):
    from django.db.models import Q

    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


@transaction.atomic
def do_rollover(year, outcomes=None, *, order_number="", user=None) -> dict:
    """Write the plan; what exists already is left as it is. Returns counts of what it wrote."""
    year = SchoolYear.objects.select_for_update().select_related("school").get(pk=year.pk)
    plan = plan_rollover(year, outcomes)
    if plan.problems:
        raise ValidationError(plan.problems)
    school = year.school
    made = {"year": 0, "periods": 0, "classes": 0, "enrolments": 0, "left": 0, "courses": 0}
    nxt, created = SchoolYear.objects.get_or_create(
        school=school, name=plan.name, defaults={"start": plan.start, "end": plan.end}
    )
    made["year"] = int(created)
    if created:
        for p in plan.periods:
            p.year, p.school_id = nxt, school.pk
        StudyPeriod.objects.bulk_create(plan.periods)
        for h in plan.holidays:
            h.year, h.school_id = nxt, school.pk
        Holiday.objects.bulk_create(plan.holidays)
        made["periods"] = len(plan.periods)
    by_name = {}
    for grade, letter, teacher, source in plan.classes:
        new, created = SchoolClass.objects.get_or_create(
            school=school, year=nxt, grade=grade, letter=letter,
            defaults={"class_teacher": teacher, "bell_schedule": source.bell_schedule,
                      "speciality_id": source.speciality_id,
                      "no_marks": SchoolClass.default_no_marks(school, grade)},
        )  # fmt: skip
        made["classes"] += created
        by_name[(grade, letter)] = new
        if created:
            for group in Subgroup.objects.filter(school_class=source):
                Subgroup.objects.create(
                    school=school, school_class=new, subject_id=group.subject_id, name=group.name
                )  # empty: its pupils are placed anew
    for move in plan.moves:
        enrolment = Enrolment.objects.filter(
            pupil=move.pupil, school_class=move.from_class, end__isnull=True
        ).first()
        if enrolment is not None:
            enrolment.end = year.end
            enrolment.end_reason = (
                Enrolment.EndReason.GRADUATED if move.to is None else Enrolment.EndReason.YEAR_END
            )
            enrolment.end_order_number = order_number
            enrolment.save()
            made["left"] += move.to is None
        if move.to is None:
            continue
        target = by_name[move.to]
        if Enrolment.objects.filter(pupil=move.pupil, school_class=target).exists():
            continue
        reason = {
            CONDITIONAL: Enrolment.Reason.CONDITIONAL,
            REPEAT: Enrolment.Reason.REPEAT,
        }.get(move.outcome, Enrolment.Reason.START)
        Enrolment.objects.create(
            school=school, pupil=move.pupil, school_class=target, start=nxt.start,
            reason=reason, order_number=order_number,
            note=_("из класса %(cls)s") % {"cls": move.from_class.name},
        )  # fmt: skip
        made["enrolments"] += 1
    for grade, letter, subject, group_name, people, hours in plan.courses:
        target = by_name.get((grade, letter))
        if target is None:
            continue
        subgroup = (
            Subgroup.objects.filter(school_class=target, subject=subject, name=group_name).first()
            if group_name
            else None
        )
        course, created = Course.objects.get_or_create(
            school=school, year=nxt, school_class=target, subject=subject, subgroup=subgroup,
            defaults={"hours_per_week": hours},
        )  # fmt: skip
        if created:
            made["courses"] += 1
            for teacher in people:
                CourseTeacher.objects.create(school=school, course=course, teacher=teacher)
    return made


def class_name(grade, letter) -> str:
    return _class_name(grade, letter)
