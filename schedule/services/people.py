"""Classes and the people in them: enrolment movement, subgroups, courses and their teachers.

Movement («движение контингента») never deletes: an enrolment closes with an end date and a
reason, and a transfer closes one and opens another in one transaction. `end` is the last
day in the class; a movement dated D takes effect on D (the pupil is elsewhere from D on).
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext as _

from accounts.models import TEACHING_ROLES, Membership, Role, User

from ..models import (
    Course,
    CourseTeacher,
    Enrolment,
    SchoolClass,
    StudyPeriod,
    Subgroup,
    SubgroupMembership,
)
from .year import fmt, span

DAY = timedelta(days=1)


# Classes.


def class_problems(school_class) -> list[str]:
    problems = []
    if school_class.grade is not None and not 1 <= school_class.grade <= 12:
        problems.append(_("Параллель — число от 1 до 12."))
    twin = (
        SchoolClass.objects.filter(
            school_id=school_class.school_id,
            year_id=school_class.year_id,
            grade=school_class.grade,
            letter=school_class.letter,
        )
        .exclude(pk=school_class.pk)
        .exists()
    )
    if twin:
        problems.append(
            _("Класс %(name)s в этом учебном году уже есть.") % {"name": school_class.name}
        )
    return problems


@transaction.atomic
def save_class(school_class, *, no_marks=None) -> SchoolClass:
    """Create or change a class. A new 1st grade gets no marks unless told otherwise.

    Changing the class teacher moves the class-teacher permission (schedule.signals).
    """
    school_class.letter = (school_class.letter or "").strip()
    if no_marks is not None:
        school_class.no_marks = no_marks
    elif school_class.pk is None:
        school_class.no_marks = SchoolClass.default_no_marks(
            school_class.school, school_class.grade
        )
    problems = class_problems(school_class)
    if problems:
        raise ValidationError(problems)
    school_class.save()
    return school_class


# Enrolment movement.


def _check_in_year(school_class, day: date, what: str) -> None:
    year = school_class.year
    if not year.start <= day <= year.end:
        raise ValidationError(
            _("%(what)s %(day)s вне учебного года %(year)s (%(dates)s).")
            % {
                "what": what,
                "day": fmt(day),
                "year": year.name,
                "dates": span(year.start, year.end),
            }
        )


def open_enrolment(pupil):
    return (
        Enrolment.objects.filter(pupil=pupil, end__isnull=True)
        .select_related("school_class")
        .first()
    )


@transaction.atomic
def enrol(pupil, school_class, day: date, *, order_number="", reason=None, note="") -> Enrolment:
    """Arrival: the pupil joins a class on `day`."""
    if pupil.school_id != school_class.school_id:
        raise ValidationError(_("Обучающийся из другой школы."))
    _check_in_year(school_class, day, _("Дата зачисления"))
    current = open_enrolment(pupil)
    if current is not None:
        raise ValidationError(
            _("%(pupil)s уже числится в классе %(cls)s с %(start)s: оформите перевод или выбытие.")
            % {
                "pupil": pupil.full_name,
                "cls": current.school_class.name,
                "start": fmt(current.start),
            }
        )
    later = Enrolment.objects.filter(pupil=pupil, end__gte=day).order_by("-end").first()
    if later is not None:
        raise ValidationError(
            _("%(pupil)s числился в классе %(cls)s по %(end)s: зачислить можно не раньше %(next)s.")
            % {
                "pupil": pupil.full_name,
                "cls": later.school_class.name,
                "end": fmt(later.end),
                "next": fmt(later.end + DAY),
            }
        )
    if reason is None:
        reason = (
            Enrolment.Reason.START if day <= school_class.year.start else Enrolment.Reason.ARRIVAL
        )
    return Enrolment.objects.create(
        school_id=school_class.school_id,
        pupil=pupil,
        school_class=school_class,
        start=day,
        reason=reason,
        order_number=order_number,
        note=note,
    )


def _close(enrolment, day: date, end_reason, order_number, note, what) -> None:
    if enrolment.end is not None:
        raise ValidationError(
            _("%(pupil)s уже выбыл из класса %(cls)s (%(end)s).")
            % {
                "pupil": enrolment.pupil.full_name,
                "cls": enrolment.school_class.name,
                "end": fmt(enrolment.end),
            }
        )
    if day <= enrolment.start:
        raise ValidationError(
            _("%(what)s должна быть позже даты зачисления в класс %(cls)s (%(start)s).")
            % {"what": what, "cls": enrolment.school_class.name, "start": fmt(enrolment.start)}
        )
    enrolment.end = day - DAY
    enrolment.end_reason = end_reason
    enrolment.end_order_number = order_number
    enrolment.end_note = note
    enrolment.save(update_fields=["end", "end_reason", "end_order_number", "end_note"])
    # Places in that class's subgroups end with it (saved one by one: history keeps them).
    places = SubgroupMembership.objects.filter(
        pupil_id=enrolment.pupil_id, subgroup__school_class_id=enrolment.school_class_id
    ).filter(Q(end__isnull=True) | Q(end__gte=day))  # holding on `day` or after it
    for place in places:
        if place.start >= day:
            place.delete()
        else:
            place.end = day - DAY
            place.save(update_fields=["end"])


def _locked(enrolment) -> Enrolment:
    return (
        Enrolment.objects.select_for_update()
        .select_related("pupil", "school_class__year")
        .get(pk=enrolment.pk)
    )


@transaction.atomic
def depart(enrolment, day: date, *, order_number="", note="") -> Enrolment:
    """Departure: the pupil leaves the school on `day`; their records stay in the journal."""
    enrolment = _locked(enrolment)
    _check_in_year(enrolment.school_class, day, _("Дата выбытия"))
    _close(enrolment, day, Enrolment.EndReason.DEPARTURE, order_number, note, _("Дата выбытия"))
    return enrolment


@transaction.atomic
def transfer(enrolment, to_class, day: date, *, order_number="", note="") -> Enrolment:
    """Transfer to another class on `day`: one enrolment closes, the next opens."""
    enrolment = _locked(enrolment)
    if to_class.pk == enrolment.school_class_id:
        raise ValidationError(_("Обучающийся уже в этом классе."))
    if to_class.school_id != enrolment.school_id:
        raise ValidationError(_("Класс из другой школы."))
    _check_in_year(to_class, day, _("Дата перевода"))
    _close(enrolment, day, Enrolment.EndReason.TRANSFER, order_number, note, _("Дата перевода"))
    return Enrolment.objects.create(
        school_id=to_class.school_id,
        pupil_id=enrolment.pupil_id,
        school_class=to_class,
        start=day,
        reason=Enrolment.Reason.TRANSFER,
        order_number=order_number,
        note=_("из класса %(cls)s") % {"cls": enrolment.school_class.name},
    )


def pupils_on(school_class, day: date):
    """The pupils enrolled in the class on a day, in journal order."""
    from accounts.models import Pupil

    enrolled = Enrolment.objects.on(day).filter(school_class=school_class).values("pupil_id")
    return Pupil.objects.filter(pk__in=enrolled)


# Subgroups.


def period_starts(school_class):
    return sorted(
        StudyPeriod.objects.filter(year_id=school_class.year_id)
        .for_grade(school_class.grade)
        .values_list("start", flat=True)
    )


def subgroup_transfer_problem(school_class, day: date, parent_request="", request_date=None):
    """Why a move between subgroups on `day` is not allowed, or None.

    Regulation: moves only at a period boundary (the first day of a study period), or
    during a period on a parent's written request, recorded with its date.
    """
    starts = period_starts(school_class)
    if day in starts:
        return None
    if parent_request.strip() and request_date:
        if request_date > day:
            return _(
                "Заявление родителя (%(req)s) не может быть позже даты перевода (%(day)s)."
            ) % {
                "req": fmt(request_date),
                "day": fmt(day),
            }
        return None
    upcoming = next((s for s in starts if s > day), None)
    hint = (
        _("ближайшее начало периода — %(d)s") % {"d": fmt(upcoming)}
        if upcoming
        else _("периодов, начинающихся позже, в этом году нет")
    )
    return _(
        "Перевести из подгруппы в подгруппу %(day)s нельзя: переводы возможны только с первого "
        "дня учебного периода (%(hint)s) или по письменному заявлению родителя (законного "
        "представителя) — укажите его номер и дату."
    ) % {"day": fmt(day), "hint": hint}


def _current_membership(pupil, subject_id, school_class, day):
    return (
        SubgroupMembership.objects.select_for_update()
        .filter(
            pupil=pupil,
            subgroup__school_class=school_class,
            subgroup__subject_id=subject_id,
            start__lte=day,
        )
        .exclude(end__lt=day)
        .select_related("subgroup")
        .first()
    )


@transaction.atomic
def transfer_between_subgroups(
    pupil, to_subgroup, day: date, *, parent_request="", parent_request_date=None
) -> SubgroupMembership:
    """Put a pupil into a subgroup from `day`, closing their place in a sibling subgroup.

    A first placement is always allowed; a move obeys `subgroup_transfer_problem`.
    """
    school_class = to_subgroup.school_class
    if not Enrolment.objects.on(day).filter(pupil=pupil, school_class=school_class).exists():
        raise ValidationError(
            _("%(pupil)s не числится в классе %(cls)s на %(day)s.")
            % {"pupil": pupil.full_name, "cls": school_class.name, "day": fmt(day)}
        )
    current = _current_membership(pupil, to_subgroup.subject_id, school_class, day)
    if current is not None and current.subgroup_id == to_subgroup.pk:
        return current
    if current is not None:
        problem = (
            subgroup_transfer_problem(school_class, day, parent_request, parent_request_date)
            if current.start < day
            else None
        )
        if problem:
            raise ValidationError(problem)
        if current.start >= day:
            # Placed the same day by mistake: correct it (history keeps the old value).
            current.subgroup = to_subgroup
            current.parent_request = parent_request
            current.parent_request_date = parent_request_date
            current.save()
            return current
        current.end = day - DAY
        current.save(update_fields=["end"])
    return SubgroupMembership.objects.create(
        school_id=school_class.school_id,
        subgroup=to_subgroup,
        pupil=pupil,
        start=day,
        parent_request=parent_request.strip(),
        parent_request_date=parent_request_date if parent_request.strip() else None,
    )


@transaction.atomic
def split_class(school_class, subject, assignment: dict, day: date, names=None) -> int:
    """Divide a class into subgroups for a subject in one go.

    `assignment` maps a pupil to a subgroup name («1 группа»); subgroups are created as
    needed. Pupils placed for the first time are simply placed; pupils who change group are
    transfers and obey the period-boundary rule. Returns how many places changed.
    """
    existing = {
        g.name: g for g in Subgroup.objects.filter(school_class=school_class, subject=subject)
    }
    for name in names or sorted(set(assignment.values())):
        if name not in existing:
            existing[name] = Subgroup.objects.create(
                school_id=school_class.school_id,
                school_class=school_class,
                subject=subject,
                name=name,
            )
    problems, changed = [], 0
    for pupil, name in assignment.items():
        if not name:
            continue
        group = existing[name]
        current = _current_membership(pupil, subject.pk, school_class, day)
        if current is not None and current.subgroup_id == group.pk:
            continue
        try:
            with transaction.atomic():
                transfer_between_subgroups(pupil, group, day)
            changed += 1
        except ValidationError as error:
            problems.append(f"{pupil.full_name}: {' '.join(error.messages)}")
    if problems:
        raise ValidationError(problems)
    return changed


def subgroup_members_on(subgroups, day: date) -> dict[int, list]:
    """Subgroup id → its pupils on a day, in one query."""
    members = {g.pk: [] for g in subgroups}
    for m in (
        SubgroupMembership.objects.on(day)
        .filter(subgroup__in=list(members))
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name")
    ):
        members[m.subgroup_id].append(m.pupil)
    return members


# Courses.


def study_weeks(grade: int) -> int:
    """Weeks of study a year by the federal curriculum: 33 in the 1st grade, 34 later."""
    return 33 if grade == 1 else 34


def curriculum_hours(courses) -> int:
    """Yearly hours a pupil of the class studies by its courses («учебный план» of the class).

    Whole-class courses add up; a subject taught in subgroups counts once, by its largest
    subgroup course (each pupil is in one group of it), not once per group.
    """
    total, by_subject = 0, {}
    for course in courses:
        if course.subgroup_id:
            hours = by_subject.get(course.subject_id, 0)
            by_subject[course.subject_id] = max(hours, course.hours_per_year)
        else:
            total += course.hours_per_year
    return total + sum(by_subject.values())


def teachers_of(school):
    """Users who hold a teacher role in the school, for choosing a course's teachers."""
    members = Membership.objects.active().filter(
        school=school, role__in=[*TEACHING_ROLES, Role.CLASS_TEACHER]
    )
    return User.objects.filter(pk__in=members.values("user_id")).order_by(
        "last_name", "first_name", "patronymic"
    )


def course_problems(course) -> list[str]:
    problems = []
    school_class = course.school_class
    if course.year_id != school_class.year_id:
        problems.append(_("Класс %(cls)s — другого учебного года.") % {"cls": school_class.name})
    if course.subgroup_id:
        subgroup = course.subgroup
        if subgroup.school_class_id != school_class.pk:
            problems.append(
                _("Подгруппа «%(g)s» не из класса %(cls)s.")
                % {"g": subgroup.name, "cls": school_class.name}
            )
        if subgroup.subject_id != course.subject_id:
            problems.append(
                _("Подгруппа «%(g)s» создана для другого предмета.") % {"g": subgroup.name}
            )
        twin = Course.objects.filter(subgroup_id=course.subgroup_id)
        if twin.exclude(pk=course.pk).exists():
            problems.append(_("У подгруппы «%(g)s» курс уже есть.") % {"g": subgroup.name})
    else:
        twin = Course.objects.filter(
            school_class=school_class, subject_id=course.subject_id, subgroup__isnull=True
        )
        if twin.exclude(pk=course.pk).exists():
            problems.append(
                _("У класса %(cls)s курс «%(subject)s» уже есть.")
                % {"cls": school_class.name, "subject": course.subject}
            )
    return problems


@transaction.atomic
def save_course(course, teachers=None) -> Course:
    """Create or change a course; `teachers` (if given) become exactly its teachers.

    Yearly hours follow the weekly ones when left at zero (34 weeks; 33 in the 1st grade).
    """
    course.year_id = course.school_class.year_id
    course.school_id = course.school_class.school_id
    problems = course_problems(course)
    if problems:
        raise ValidationError(problems)
    if not course.hours_per_year and course.hours_per_week:
        weekly = Decimal(course.hours_per_week)
        yearly = weekly * study_weeks(course.school_class.grade)
        course.hours_per_year = int(yearly.to_integral_value(rounding=ROUND_HALF_UP))
    try:
        with transaction.atomic():
            course.save()
    except IntegrityError as error:
        raise ValidationError(_("Такой курс уже есть.")) from error
    if teachers is not None:
        set_course_teachers(course, teachers)
    return course


@transaction.atomic
def set_course_teachers(course, teachers) -> None:
    """Assign and remove one by one, so that the teach_course permission follows (signals)."""
    wanted = {t.pk: t for t in teachers}
    for assignment in CourseTeacher.objects.filter(course=course).exclude(teacher_id__in=wanted):
        assignment.delete()
    present = set(CourseTeacher.objects.filter(course=course).values_list("teacher_id", flat=True))
    for pk, teacher in wanted.items():
        if pk not in present:
            CourseTeacher.objects.create(school_id=course.school_id, course=course, teacher=teacher)


@transaction.atomic
def delete_course(course) -> None:
    """Only a course with no lessons and no timetable may go; its journal is never deleted."""
    if course.lessons.exists():
        raise ValidationError(_("По курсу уже есть уроки: его нельзя удалить."))
    if course.timetable_entries.exists():
        raise ValidationError(_("Курс стоит в расписании: сначала уберите его из расписания."))
    for assignment in CourseTeacher.objects.filter(course=course):
        assignment.delete()
    try:
        with transaction.atomic():
            course.delete()
    except ProtectedError as error:
        raise ValidationError(_("По курсу уже есть записи журнала: его нельзя удалить.")) from error
