"""The demo college's session: the semester holding today (or the last begun) has its session;
each group sits an exam, a differentiated credit and a credit before commissions appointed by
the director's order; the ledgers' marks are set through the final-marks service; one student
failed the exam and retakes it through every step (application → signature → referral →
protocol → mark); another, ill on the day, has an application waiting for the deputy."""

from datetime import timedelta

from schedule.models import StudyPeriod

from .models import FinalMark
from .services import retake_flow, sessions

Kind = FinalMark.Kind
FORMS = (Kind.DIFF_CREDIT, Kind.EXAM, Kind.CREDIT)  # by the order of the group's disciplines


def semester_of(year, today):
    periods = list(StudyPeriod.objects.filter(year=year).order_by("start"))
    begun = [p for p in periods if p.start <= today]
    return (begun or periods)[-1]


def build_school(ctx, school, college, deputy) -> None:
    today, rng = ctx.today, ctx.rng
    year = college["year"][school.slug]
    semester = semester_of(year, today)
    semester.year = year
    deadline = school.regulation.final_marks_deadline(semester.end)
    anchor = max(semester.start, min(today, deadline))
    start = max(semester.start, anchor - timedelta(days=12))
    session = sessions.do_create_session(
        semester, start=start, end=min(deadline, anchor + timedelta(days=7)), user=deputy
    )
    teachers = college["teachers"][school.slug]
    by_group: dict = {}
    for course in college["courses"][school.slug]:
        by_group.setdefault(course.school_class_id, []).append(course)
    for number, courses in enumerate(by_group.values(), 1):
        for index, (course, form) in enumerate(zip(courses, FORMS, strict=False)):
            held_on = max(start, anchor - timedelta(days=2 + 2 * index))
            teacher = course.teachers.first()
            others = [t for t in teachers if t.pk != teacher.pk]
            assessment = sessions.do_add_assessment(
                session, course, form=form, held_on=held_on,
                order_number=f"01-03/{300 + number}уч", order_date=start,
                chair=others[number % len(others)], members=[teacher], user=deputy,
            )  # fmt: skip
            values = sessions.finals.allowed_values(course, form)[:4]
            entries = {}
            for pupil in sessions.finals.course_pupils(course):
                entries[pupil.pk] = (rng.choice(values[:3] if len(values) >= 3 else values), False)
            if course == college.get("exam_course"):
                student, ill = college["exam_group"][1][:2]
                entries[student.pk] = ("2", False)
                entries[ill.pk] = (FinalMark.Value.NOT_CERTIFIED, False)
                college["exam"] = assessment
            errors = sessions.set_ledger_marks(assessment, entries, user=teacher, today=held_on)
            assert not errors, errors


def build(ctx) -> None:
    college = ctx.college
    deputy = ctx.named["c_deputy"]
    for school, branch_deputy in zip(
        college["schools"], (deputy, ctx.named["c_deputy2"]), strict=True
    ):
        build_school(ctx, school, college, branch_deputy)
    # The retake of the failed exam, through every step.
    assessment = college["exam"]
    student, ill = college["exam_group"][1][:2]
    marks = {
        m.pupil_id: m
        for m in FinalMark.objects.filter(
            course=assessment.course, kind=assessment.form, pupil__in=[student, ill]
        )
    }
    application = retake_flow.do_apply(
        marks[student.pk], reason="по болезни (справка № 112)", by=ctx.named["c_student"]
    )
    retake_flow.do_decide(application, approve=True, by=deputy)
    retake_flow.do_refer(
        application, number="5", issued_on=ctx.today, sitting_on=ctx.today, by=deputy
    )
    retake_flow.do_protocol(
        application, protocol_number="14", result="4", by=ctx.named["c_teacher"], today=ctx.today
    )
    # Another student was ill on the day: the curator filed the application, it waits.
    retake_flow.do_apply(marks[ill.pk], reason="по болезни", by=ctx.named["c_curator"])
