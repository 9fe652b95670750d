"""The sessions' part of the permission world: a session in each school, an exam of the own,
the other and the foreign course with its commission, failing exam marks, and retake
applications at each step (filed, signed, referred) — own, other and foreign.

Called from tests/world.py after the plan's part (own_course of the «teacher» in the class the
«class_teacher» leads; other_course of another teacher; foreign_course of the other school).
"""

from django_scopes import scopes_disabled

from grading.models import Assessment, FinalMark, RetakeApplication, Session
from schedule.models import StudyPeriod


def last_period(school_class):
    """The class's last study period: its deadline lies after today all year round."""
    return (
        StudyPeriod.objects.filter(
            year_id=school_class.year_id,
            grade_from__lte=school_class.grade,
            grade_to__gte=school_class.grade,
        )
        .order_by("-end")
        .first()
    )


def build(school, other_school, users, objects):
    with scopes_disabled():
        today = school.today()
        sessions = {}
        for prefix, course, pupil, chair, filer in (
            ("own", objects["own_course"], objects["own_pupil"], users["deputy"],
             users["class_teacher"]),
            ("other", objects["other_course"], objects["other_pupil"], users["deputy"],
             users["class_teacher"]),
            ("foreign", objects["foreign_course"], objects["foreign_pupil"],
             objects["foreign_admin_user"], objects["foreign_admin_user"]),
        ):  # fmt: skip
            period = last_period(course.school_class)
            session = sessions.get(period.pk)
            if session is None:
                session = sessions[period.pk] = Session.objects.create(
                    school=course.school, period=period, start=period.start, end=period.end
                )
            assessment = Assessment.objects.create(
                school=course.school, session=session, course=course, form="exam",
                held_on=period.start, order_number="12", order_date=period.start, chair=chair,
            )  # fmt: skip
            assessment.members.set([chair])
            mark = FinalMark.objects.create(
                school=course.school, pupil=pupil, course=course, period=period, kind="exam",
                value="2", set_by=chair,
            )  # fmt: skip

            def application(assessment=assessment, mark=mark, filer=filer, **extra):
                return RetakeApplication.objects.create(
                    school=mark.school, final_mark=mark, assessment=assessment,
                    reason="по болезни", requested_by=filer, **extra,
                )  # fmt: skip

            objects[f"{prefix}_session"] = session
            objects[f"{prefix}_assessment"] = assessment
            objects[f"{prefix}_exam_mark"] = mark
            objects[f"{prefix}_application"] = application()
            objects[f"{prefix}_signed_application"] = application(
                status="approved", decided_by=users["director"] if prefix != "foreign" else filer
            )
            objects[f"{prefix}_referred_application"] = application(
                status="approved",
                decided_by=users["director"] if prefix != "foreign" else filer,
                referral_number="1",
                referral_issued_on=today,
                sitting_on=today,
            )
