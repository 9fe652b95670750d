"""Demo classes with their pupils and parents."""

from datetime import date

from accounts.models import ParentLink, Pupil, Role
from accounts.services import grant_role

from .models import Enrolment, SchoolClass

LETTERS = "АБВГ"


def school_year_start(today: date) -> date:
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def make_class(ctx, school, grade, letter, class_teacher, pupils_count):
    school_class = SchoolClass.objects.create(
        school=school, grade=grade, letter=letter, class_teacher=class_teacher
    )
    pupils = Pupil.objects.bulk_create(ctx.make_pupil(school) for _ in range(pupils_count))
    start = school_year_start(ctx.today)
    Enrolment.objects.bulk_create(
        Enrolment(school=school, pupil=p, school_class=school_class, start=start) for p in pupils
    )
    for pupil in pupils:
        ctx.add_parent(school, pupil)
        if ctx.rng.random() < 0.35:
            ctx.add_parent(school, pupil)
    ctx.pupils.setdefault(school.slug, []).extend(pupils)
    return school_class, pupils


def build(ctx) -> None:
    first, second = ctx.schools
    # The demo «teacher» leads no class; «classteacher» leads 5А (or the first class).
    named_lead = ctx.named["classteacher"]
    teachers = iter(t for t in ctx.teachers[first.slug][1:] if t != named_lead)
    names = [(g, letter) for g in ctx.grades for letter in LETTERS[: ctx.classes_per_grade]]
    lead_of = (5, "А") if (5, "А") in names else names[0]
    classes = {}
    for grade, letter in names:
        class_teacher = named_lead if (grade, letter) == lead_of else next(teachers, None)
        classes[f"{grade}{letter}"] = make_class(
            ctx, first, grade, letter, class_teacher, ctx.pupils_per_class
        )
    small_class, small_pupils = make_class(
        ctx, second, 3, "А", ctx.teachers[second.slug][0], max(5, ctx.pupils_per_class // 2)
    )

    # The named demo accounts: a parent in 5А, a parent with children in 9Б and in school 2,
    # a pupil of 5А with an account, and a parent in school 2.
    fifth = classes.get("5А") or next(iter(classes.values()))
    other = classes.get("9Б") or list(classes.values())[-1]
    ctx.named["parent"] = ctx.add_parent(first, fifth[1][0], username="parent")
    ctx.named["parent2"] = ctx.add_parent(first, other[1][1], username="parent2")
    grant_role(second, ctx.named["parent2"], Role.PARENT)
    ParentLink.objects.create(school=second, parent=ctx.named["parent2"], pupil=small_pupils[1])
    ctx.named["parent3"] = ctx.add_parent(second, small_pupils[0], username="parent3")
    pupil_record = fifth[1][0]
    pupil_user = ctx.make_user(
        "pupil", names=(pupil_record.last_name, pupil_record.first_name, pupil_record.patronymic)
    )
    pupil_record.user = pupil_user
    pupil_record.save()
    grant_role(first, pupil_user, Role.PUPIL)
    ctx.named["pupil"] = pupil_user
    ctx.classes = classes
    ctx.small_class = small_class
