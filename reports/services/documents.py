"""What every report document carries besides its table: the school, the parameters, and the
school's regulation («Положение об ЭЖ, приказ № … от …») it is kept under."""

from django.utils.translation import gettext as _

from lib.export import Report


def stamp(report: Report, school, parameters=()) -> Report:
    """The school's name and the parameters above the table, the regulation below it."""
    report.school = school.name
    said = {label for label, _value in parameters}
    report.parameters = list(parameters) + [p for p in report.parameters if p[0] not in said]
    regulation = school.regulation
    line = regulation.title
    if regulation.order_label:
        line = f"{line}, {regulation.order_label}"
    if line:
        report.footnotes.append(_("Ведётся по документу: %(doc)s.") % {"doc": line})
    return report


def class_label(school_class) -> str:
    return _("класс %(name)s") % {"name": school_class.name}


def parallel_label(grade: int) -> str:
    return _("%(grade)s-е классы") % {"grade": grade}


def teacher_names(course_ids) -> dict:
    """{course_id: ["Иванова М. П.", …]}: each course's teachers, short (two queries)."""
    from accounts.models import User
    from schedule.models import CourseTeacher

    pairs = list(
        CourseTeacher.objects.filter(course_id__in=list(course_ids)).values_list(
            "course_id", "teacher_id"
        )
    )
    names = {u.pk: u.short_name for u in User.objects.filter(pk__in={t for _c, t in pairs})}
    found: dict = {}
    for course_id, teacher_id in pairs:
        found.setdefault(course_id, []).append(names[teacher_id])
    return found
