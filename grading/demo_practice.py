"""Demo course works and practice for the college (issue 18).

The demo college and its branches are built by schedule's college demo (slugs
`college-kasli`, `college-ufaley`). Where they are absent, a minimal college is made here —
one group of one speciality with two disciplines — so that the register and the practice
have something to show either way. A few course works per group, one practice period with
its place, supervisors and marks. Kept small: a handful of rows, no lessons.
"""

from datetime import timedelta

from accounts.models import Role, School
from accounts.services import grant_role
from schedule.models import (
    Course,
    CourseTeacher,
    Enrolment,
    PracticePeriod,
    PracticePlace,
    SchoolClass,
    SchoolYear,
    Subject,
)

from .models import CourseWork, PracticeMark

COLLEGE_SLUGS = ("college-kasli", "college-ufaley")
TOPICS = [
    "Разработка технологического процесса изготовления вала",
    "Расчёт и проектирование зубчатой передачи",
    "Организация участка механической обработки",
    "Проектирование приспособления для фрезерной операции",
    "Экономическое обоснование выбора заготовки",
]


def build(ctx) -> None:
    colleges = list(School.objects.filter(slug__in=COLLEGE_SLUGS).order_by("slug"))
    if not colleges:
        colleges = [minimal_college(ctx)]
    for college in colleges:
        build_college(ctx, college)


def minimal_college(ctx) -> School:
    """A college of one group, when the college demo has not made one."""
    from schedule.demo import make_year

    school = School.objects.create(
        name="ГБПОУ «Каслинский промышленно-гуманитарный техникум»",
        short_name="КПГТ",
        slug="college-kasli",
    )
    year = make_year(ctx, school, max_grade=11)
    teachers = []
    for _n in range(2):
        user = ctx.make_user()
        grant_role(school, user, Role.TEACHER)
        teachers.append(user)
    group = SchoolClass.objects.create(school=school, year=year, grade=2, letter="ТМ-21")
    pupils = [ctx.make_pupil(school) for _n in range(8)]
    for pupil in pupils:
        pupil.save()
    Enrolment.objects.bulk_create(
        Enrolment(school=school, pupil=p, school_class=group, start=year.start) for p in pupils
    )
    for teacher, name, short in zip(
        teachers,
        ("Технология машиностроения", "Техническая механика"),
        ("ТМ", "Техмех"),
        strict=True,
    ):
        subject = Subject.objects.create(school=school, name=name, short_name=short)
        course = Course.objects.create(
            school=school, year=year, school_class=group, subject=subject, hours_per_year=72
        )
        CourseTeacher.objects.create(school=school, course=course, teacher=teacher)
    return school


def build_college(ctx, school) -> None:
    rng, today = ctx.rng, ctx.today
    year = SchoolYear.objects.filter(school=school).current(today)
    if year is None:
        return
    groups = list(SchoolClass.objects.filter(year=year).order_by("grade", "letter")[:2])
    start = year.start
    elapsed = max(1, (min(today, year.end) - start).days)
    for group in groups:
        course = (
            Course.objects.filter(school_class=group, course_teachers__isnull=False)
            .order_by("subject__name")
            .first()
        )
        if course is None:
            continue
        supervisor = course.course_teachers.order_by("pk").first().teacher
        students = list(
            Enrolment.objects.filter(school_class=group, end__isnull=True)
            .select_related("pupil")
            .order_by("pupil__last_name")[:4]
        )
        works = []
        for n, stay in enumerate(students):
            offset = rng.randint(elapsed // 3, elapsed - 1) if elapsed > 3 else 0
            handed = start + timedelta(days=offset)
            defended = handed + timedelta(days=rng.randint(1, 7))
            done = n < 3 and defended < today
            works.append(
                CourseWork(
                    school=school,
                    course=course,
                    pupil=stay.pupil,
                    topic=TOPICS[n % len(TOPICS)],
                    supervisor=supervisor,
                    handed_in=handed if n < 3 else None,
                    defended=defended if done else None,
                    mark=rng.choice((3, 4, 4, 5, 5)) if done else None,
                )
            )
        CourseWork.objects.bulk_create(works)
    if groups:
        build_practice(ctx, school, year, groups[0])


def build_practice(ctx, school, year, group) -> None:
    """One practice of the first group: distributed (beside the lessons, which the demo's
    timetable has made already), over the weeks before today, marked."""
    today = ctx.today
    teacher = (
        CourseTeacher.objects.filter(course__school_class=group).order_by("pk").first().teacher
    )
    place = PracticePlace.objects.create(
        school=school,
        name="АО «Каслинский завод архитектурно-художественного литья»",
        address="Челябинская обл., г. Касли, ул. Лобашова, 134",
        contract_number="17/П",
        contract_date=year.start,
    )
    end = max(year.start + timedelta(days=13), min(today - timedelta(days=1), year.end))
    period = PracticePeriod.objects.create(
        school=school,
        year=year,
        school_class=group,
        kind=PracticePeriod.Kind.EDUCATIONAL,
        name="УП.01 Слесарная практика",
        start=end - timedelta(days=13),
        end=end,
        hours=72,
        concentrated=False,
        place=place,
        supervisor=teacher,
        place_supervisor="Сафронов Игорь Петрович, мастер цеха",
    )
    if end < today:
        pupils = Enrolment.objects.filter(school_class=group, end__isnull=True).values_list(
            "pupil_id", flat=True
        )
        PracticeMark.objects.bulk_create(
            PracticeMark(
                school=school,
                period=period,
                pupil_id=pupil_id,
                mark=ctx.rng.choice((3, 4, 4, 5, 5)),
                set_by=teacher,
            )
            for pupil_id in pupils
        )
