"""The school year's part of the permission world: periods, holidays, bells, subjects,
subgroups, courses, enrolments and an uploaded file — own, other and foreign.

Called from tests/world.py with the objects built so far; adds to `objects`.
"""

from django_scopes import scopes_disabled

from schedule.models import (
    BellSchedule,
    Enrolment,
    ImportBatch,
    Subgroup,
)
from schedule.services.year import standard_bells, standard_calendar

from ..factories import make_course, make_subject


def add_calendar(year):
    periods, holidays = standard_calendar(year)
    for item in (*periods, *holidays):
        item.save()
    return holidays[0]


def add_bells(school):
    schedule = BellSchedule.objects.create(school=school, name="1 смена")
    for bell in standard_bells(schedule, lessons=3):
        bell.save()
    return schedule


def build(school, other_school, users, objects):
    with scopes_disabled():
        own_class, other_class = objects["own_class"], objects["other_class"]
        foreign_class = objects["foreign_class"]
        year, foreign_year = own_class.year, foreign_class.year
        maths = make_subject(school, "Математика", "Мат.")
        english = make_subject(school, "Английский язык", "Англ.")
        foreign_subject = make_subject(other_school, "Математика", "Мат.")
        own_subgroup = Subgroup.objects.create(
            school=school, school_class=own_class, subject=english, name="1 группа"
        )
        foreign_subgroup = Subgroup.objects.create(
            school=other_school, school_class=foreign_class, subject=foreign_subject, name="1"
        )
        objects.update(
            year=year,
            foreign_year=foreign_year,
            holiday=add_calendar(year),
            foreign_holiday=add_calendar(foreign_year),
            bells=add_bells(school),
            foreign_bells=add_bells(other_school),
            subject=maths,
            english=english,
            foreign_subject=foreign_subject,
            own_subgroup=own_subgroup,
            foreign_subgroup=foreign_subgroup,
            # The world's «teacher» teaches mathematics in the class the «class_teacher» leads.
            own_course=make_course(own_class, maths, teachers=[users["teacher"]]),
            other_course=make_course(other_class, maths, teachers=[other_class.class_teacher]),
            foreign_course=make_course(foreign_class, foreign_subject),
            own_enrolment=Enrolment.objects.get(pupil=objects["own_pupil"]),
            other_enrolment=Enrolment.objects.get(pupil=objects["other_pupil"]),
            foreign_enrolment=Enrolment.objects.get(pupil=objects["foreign_pupil"]),
            own_batch=ImportBatch.objects.create(
                school=school,
                kind=ImportBatch.Kind.PUPILS,
                year=year,
                filename="pupils.csv",
                created_by=users["admin"],
                rows=[
                    {
                        "line": 2,
                        "values": {"last_name": "Новикова", "first_name": "Ольга", "class": "5А"},
                    }
                ],
            ),
            foreign_batch=ImportBatch.objects.create(
                school=other_school,
                kind=ImportBatch.Kind.PUPILS,
                year=foreign_year,
                filename="pupils.csv",
                created_by=users["foreign_admin"],
                rows=[],
            ),
        )
