"""Demo plans (КТП), lesson topics, homework and the final marks of the periods over.

Runs after schedule's demo (courses, timetable, lessons) and grading's (marks). Each course
gets a plan as long as its curriculum hours, entered before the deadline — except a few left
without a plan, one entered late and one short of hours, so that the deputy's check has
something to show. Held lessons take their topics from the plan; most get homework.
"""

from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from schedule.models import Course, Lesson

from .models import Homework, HomeworkAttachment, PlanTopic
from .services.plan.lessons import fill_topics_from_plan

# Sections of a subject's programme; topics are «section: lesson n».
SECTIONS = {
    "Математика": ["Натуральные числа", "Дроби", "Десятичные дроби", "Проценты", "Уравнения"],
    "Алгебра": ["Алгебраические выражения", "Уравнения", "Функции", "Неравенства", "Степени"],
    "Геометрия": ["Треугольники", "Параллельные прямые", "Окружность", "Площади"],
    "Русский язык": ["Фонетика", "Морфология", "Синтаксис", "Пунктуация", "Орфография"],
    "Литература": ["Устное народное творчество", "Басни", "Повести", "Лирика", "Роман"],
    "Английский язык": ["My Family", "School Life", "Travelling", "Sport", "Holidays"],
    "История": ["Древний мир", "Средние века", "Новое время", "История России"],
    "Физика": ["Механика", "Тепловые явления", "Электричество", "Оптика"],
    "Химия": ["Вещества", "Реакции", "Растворы", "Металлы"],
    "Биология": ["Клетка", "Растения", "Животные", "Человек"],
    "География": ["Литосфера", "Атмосфера", "Гидросфера", "Материки"],
}
HOMEWORK = [
    "§ {p}, вопросы 1–3",
    "№ {n}, {m}",
    "Упражнение {n}",
    "§ {p}, пересказ",
    "Выучить правило § {p}; № {n}",
    "Подготовить сообщение по теме урока",
]
# Subjects whose control works are named for the lesson type.
LAB_SUBJECTS = ("Физика", "Химия", "Биология")
DICTATION_SUBJECTS = ("Русский язык",)


def plan_rows(course, rng):
    """(title, hours, kind) topics adding up to the course's curriculum hours."""
    subject = course.subject.name
    sections = SECTIONS.get(subject) or [f"{subject}: раздел {i}" for i in range(1, 6)]
    total, rows, n = course.hours_per_year, [], 0
    per_section = max(1, total // len(sections))
    while sum(h for _t, h, _k in rows) < total:
        section = sections[min(n // per_section, len(sections) - 1)]
        n += 1
        left = total - sum(h for _t, h, _k in rows)
        if n % per_section == 0:
            if subject in DICTATION_SUBJECTS and rng.random() < 0.5:
                rows.append((f"Контрольный диктант по теме «{section}»", 1, Lesson.Kind.DICTATION))
            else:
                rows.append((f"Контрольная работа по теме «{section}»", 1, Lesson.Kind.TEST))
            continue
        if subject in LAB_SUBJECTS and n % 7 == 3:
            rows.append((f"Лабораторная работа № {n // 7 + 1}: {section}", 1, Lesson.Kind.LAB))
            continue
        hours = 2 if left >= 2 and rng.random() < 0.25 else 1
        kind = Lesson.Kind.INDEPENDENT if rng.random() < 0.08 else Lesson.Kind.LESSON
        rows.append((f"{section}. Урок {n}", hours, kind))
    return rows


def teacher_of(course):
    teachers = [ct.teacher for ct in course.course_teachers.all()]
    return teachers[0] if teachers else None


def build_plans(ctx, school, courses):
    rng = ctx.rng
    planned = []
    # Leave two courses without a plan and make one late and one short of hours.
    skipped = {c.pk for c in courses[3:5]}
    late = courses[6].pk if len(courses) > 6 else None
    short = courses[7].pk if len(courses) > 7 else None
    for course in courses:
        teacher = teacher_of(course)
        if course.pk in skipped or teacher is None or not course.hours_per_year:
            continue
        rows = plan_rows(course, rng)
        if course.pk == short:
            rows = rows[:-2]
        topics = [
            PlanTopic(
                school=school,
                course=course,
                position=i,
                title=title,
                hours=hours,
                kind=kind,
                created_by=teacher,
            )
            for i, (title, hours, kind) in enumerate(rows, start=1)
        ]
        bulk_create_with_history(topics, PlanTopic, default_user=teacher, batch_size=500)
        deadline = course.school.regulation.plan_deadline(course.year.start)
        entered = (
            deadline + timedelta(days=3) if course.pk == late else deadline - timedelta(days=7)
        )
        PlanTopic.objects.filter(course=course).update(
            created_at=timezone.make_aware(datetime.combine(entered, time(15, 0)))
        )
        planned.append((course, teacher))
    return planned


def build_homework(ctx, school, course, teacher):
    """Homework on most held lessons, due at the next lesson."""
    if not course.gives_marks:
        return
    rng = ctx.rng
    lessons = list(
        Lesson.objects.filter(course=course, status=Lesson.Status.PLANNED).order_by(
            "date", "number"
        )
    )
    homework = []
    for lesson, following in zip(lessons, lessons[1:], strict=False):
        if lesson.date > ctx.today:
            break
        if following.date <= lesson.date or rng.random() > 0.7:
            continue
        text = rng.choice(HOMEWORK).format(
            p=rng.randint(1, 40), n=rng.randint(1, 600), m=rng.randint(1, 600)
        )
        homework.append(
            Homework(
                school=school,
                lesson=lesson,
                course=course,
                text=text,
                due_date=following.date,
                created_by=teacher,
            )
        )
    bulk_create_with_history(homework, Homework, default_user=teacher, batch_size=500)


def attach_sample(school, teacher):
    """One file on the demo teacher's latest homework, through the storage API."""
    homework = (
        Homework.objects.filter(school=school, created_by=teacher).order_by("-lesson__date").first()
    )
    if homework is None:
        return
    text = "Карточка к уроку\n1) 3/4 + 1/8 =\n2) 2,5 · 0,4 =\n"
    attachment = HomeworkAttachment(
        school=school,
        homework=homework,
        name="Карточка.txt",
        size=len(text.encode()),
        uploaded_by=teacher,
    )
    attachment.file.save("Карточка.txt", ContentFile(text.encode()), save=False)
    attachment.save()


def build_final_marks(ctx, school, courses):
    """Final marks of the periods already over, set from the journal's proposals (after the
    marks have moved to their columns, so that the averages are the journal's). A pupil of
    one class in three is exempt from physical education («осв.»), as on a doctor's note."""
    from grading.models import FinalMark
    from grading.services.finals import Kind, column_for, course_periods, proposals

    exempt = {}
    pe = [c for c in courses if c.subject.name == "Физическая культура" and c.gives_marks]
    for n, course in enumerate(pe):
        if n % 3 == 0:
            exempt[course.pk] = None
    for course in courses:
        teacher = teacher_of(course)
        if not course.gives_marks or teacher is None:
            continue
        marks = []
        for period in course_periods(course):
            if period.end >= ctx.today:
                continue
            column = column_for(course, Kind.PERIOD, period.pk)
            rows = proposals(course, column, marks=[])
            if not any(row.count for row in rows):
                continue  # no marks in the journal (grading's demo did not run): no finals
            if course.pk in exempt and exempt[course.pk] is None and len(rows) > 3:
                exempt[course.pk] = rows[3].pupil.pk
            for row in rows:
                value = row.proposed
                if row.pupil.pk == exempt.get(course.pk):
                    value = FinalMark.Value.EXEMPT
                if value is None:
                    continue
                marks.append(
                    FinalMark(
                        school=school,
                        pupil=row.pupil,
                        course=course,
                        period=period,
                        kind=Kind.PERIOD,
                        value=value,
                        average=row.average,
                        marks_count=row.count,
                        set_by=teacher,
                    )
                )
        if marks:
            bulk_create_with_history(marks, FinalMark, default_user=teacher, batch_size=500)


def courses_of(school) -> list:
    return list(
        Course.objects.filter(school=school)
        .select_related("school_class", "subject", "year", "school")
        .prefetch_related("course_teachers__teacher")
        .order_by("school_class__grade", "school_class__letter", "subject__name", "pk")
    )


def build(ctx) -> None:
    for school in ctx.schools:
        courses = courses_of(school)
        planned = build_plans(ctx, school, courses)
        for course, teacher in planned:
            fill_topics_from_plan(course, until=ctx.today, user=teacher, on_the_day=True)
            build_homework(ctx, school, course, teacher)
        teacher = ctx.named.get("teacher")
        if teacher is not None and school == ctx.schools[0]:
            attach_sample(school, teacher)
    # Attendance planned with grading's marks, and marks moved to their lessons' columns.
    from .demo_attendance import build as build_attendance

    build_attendance(ctx)
    for school in ctx.schools:
        build_final_marks(ctx, school, courses_of(school))
    # The demo college's make-up of a missed topic (journal/demo_college.py).
    from .demo_college import build as build_college

    build_college(ctx)
