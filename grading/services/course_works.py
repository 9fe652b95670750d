"""The register of course works: one rule for what a record may say, and the lists of the
works a user may see (regulation 002 §1.7: «реестр курсовых работ»)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Membership
from lib.dates import fmt
from schedule.models import SUPERVISOR_ROLES, Enrolment

from ..models import CourseWork
from ..models.course_works import MARK_HIGH, MARK_LOW


def course_work_problems(work: CourseWork) -> list[str]:
    """Why the record cannot be saved (Russian), or nothing."""
    problems = []
    course = work.course
    year = course.year
    if year.closed_at is not None:
        problems.append(_("Учебный год %(year)s закрыт.") % {"year": year.name})
    for day, label in ((work.handed_in, _("сдачи")), (work.defended, _("защиты"))):
        if day is not None and not year.contains(day):
            problems.append(
                _("Дата %(what)s %(day)s вне учебного года %(year)s.")
                % {"what": label, "day": fmt(day), "year": year.name}
            )
    if work.defended is not None and work.handed_in is None:
        problems.append(_("Работа не может быть защищена, пока она не сдана: укажите дату сдачи."))
    elif work.defended is not None and work.defended < work.handed_in:
        problems.append(
            _("Дата защиты %(defended)s раньше даты сдачи %(handed)s.")
            % {"defended": fmt(work.defended), "handed": fmt(work.handed_in)}
        )
    if work.mark is not None:
        if not MARK_LOW <= work.mark <= MARK_HIGH:
            problems.append(
                _("Оценка за курсовую работу — от %(low)s до %(high)s.")
                % {"low": MARK_LOW, "high": MARK_HIGH}
            )
        if work.defended is None:
            problems.append(_("Оценка ставится по итогам защиты: укажите дату защиты."))
    in_group = Enrolment.objects.filter(
        pupil_id=work.pupil_id, school_class_id=course.school_class_id
    ).exists()
    if not in_group:
        problems.append(
            _("Студент не учится в группе %(group)s.") % {"group": course.school_class.name}
        )
    is_teacher = (
        Membership.objects.active()
        .filter(school_id=course.school_id, user_id=work.supervisor_id, role__in=SUPERVISOR_ROLES)
        .exists()
    )
    if not is_teacher:
        problems.append(_("Руководитель курсовой работы должен быть преподавателем техникума."))
    taken = (
        CourseWork.objects.filter(course_id=course.pk, pupil_id=work.pupil_id)
        .exclude(pk=work.pk)
        .exists()
    )
    if taken:
        problems.append(_("У этого студента курсовая работа по этой дисциплине уже есть."))
    return problems


@transaction.atomic
def do_save_course_work(work: CourseWork, *, by=None) -> CourseWork:
    problems = course_work_problems(work)
    if problems:
        raise ValidationError(problems)
    work.school_id = work.course.school_id
    if by is not None:
        work._history_user = by
    work.save()
    return work
