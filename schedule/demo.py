"""Demo school year: the year, its periods, holidays and bells; classes with their pupils and
parents; subjects, English subgroups, and courses with teachers and curriculum hours.

What later demo builders may use (set on `ctx`):
- ctx.years[slug] — the current SchoolYear of each school;
- ctx.bell_schedules[slug] — [BellSchedule] («1 смена», «2 смена»);
- ctx.subjects[slug] — {subject name: Subject};
- ctx.classes — {"5А": (SchoolClass, [Pupil])} of the first school; ctx.small_class;
- ctx.courses[slug] — [Course], each with `hours_per_week` set (the timetable's load).

Some pupils move during the year, as in any school, so that «Движение обучающихся» has
something to show: one leaves for another school, one moves to a parallel class, one arrives
(with the orders and where from or to). The named demo accounts' children stay put.

The timetable, lessons and substitutions come from schedule/demo_timetable.py, when present,
called at the very end of `build`.
"""

from datetime import date, timedelta
from decimal import Decimal
from importlib.util import find_spec

from accounts.models import ParentLink, Pupil, Role
from accounts.services import grant_role

from .models import (
    Bell,
    BellSchedule,
    Course,
    CourseTeacher,
    Enrolment,
    Holiday,
    SchoolClass,
    SchoolYear,
    StudyPeriod,
    Subgroup,
    SubgroupMembership,
    Subject,
)
from .services.people import depart, enrol, study_weeks, transfer
from .services.year import standard_bells, standard_calendar

LETTERS = "АБВГ"

SUBJECTS = [
    ("Русский язык", "Рус. яз."),
    ("Литературное чтение", "Лит. чт."),
    ("Литература", "Лит."),
    ("Математика", "Мат."),
    ("Алгебра", "Алг."),
    ("Геометрия", "Геом."),
    ("Вероятность и статистика", "Вер. и стат."),
    ("Информатика", "Инф."),
    ("Английский язык", "Англ. яз."),
    ("Окружающий мир", "Окр. мир"),
    ("История", "Ист."),
    ("Обществознание", "Общ."),
    ("География", "Геогр."),
    ("Биология", "Биол."),
    ("Физика", "Физ."),
    ("Химия", "Хим."),
    ("Музыка", "Муз."),
    ("Изобразительное искусство", "ИЗО"),
    ("Труд (технология)", "Труд"),
    ("Физическая культура", "Физ-ра"),
    ("Основы безопасности и защиты Родины", "ОБЗР"),
    ("Индивидуальный проект", "Инд. проект"),
]

# Weekly hours by grade band (the federal curriculum, simplified). English is taught in two
# subgroups from the 2nd grade; the individual project is graded «зачёт».
CURRICULUM = {
    "primary": {
        "Русский язык": 5,
        "Литературное чтение": 4,
        "Математика": 4,
        "Окружающий мир": 2,
        "Английский язык": 2,
        "Музыка": 1,
        "Изобразительное искусство": 1,
        "Труд (технология)": 1,
        "Физическая культура": 2,
    },
    "middle": {
        "Русский язык": 5,
        "Литература": 3,
        "Математика": 5,
        "Английский язык": 3,
        "История": 2,
        "География": 1,
        "Биология": 1,
        "Музыка": 1,
        "Изобразительное искусство": 1,
        "Труд (технология)": 2,
        "Физическая культура": 2,
    },
    "upper_middle": {
        "Русский язык": 3,
        "Литература": 3,
        "Алгебра": 3,
        "Геометрия": 2,
        "Вероятность и статистика": 1,
        "Информатика": 1,
        "Английский язык": 3,
        "История": 2,
        "Обществознание": 1,
        "География": 2,
        "Биология": 2,
        "Физика": 3,
        "Химия": 2,
        "Физическая культура": 2,
        "Основы безопасности и защиты Родины": 1,
    },
    "senior": {
        "Русский язык": 2,
        "Литература": 3,
        "Алгебра": 3,
        "Геометрия": 2,
        "Информатика": 1,
        "Английский язык": 3,
        "История": 2,
        "Обществознание": 2,
        "География": 1,
        "Биология": 1,
        "Физика": 2,
        "Химия": 1,
        "Физическая культура": 2,
        "Основы безопасности и защиты Родины": 1,
        "Индивидуальный проект": 1,
    },
}
PASS_FAIL = {"Индивидуальный проект"}
# In a primary class the class teacher teaches these; specialists teach the rest.
PRIMARY_BY_CLASS_TEACHER = {
    "Русский язык",
    "Литературное чтение",
    "Математика",
    "Окружающий мир",
    "Изобразительное искусство",
    "Труд (технология)",
}
# Specialists of the first school, by their index in ctx.teachers (0 is «teacher», the
# mathematician; 1 is «classteacher», who teaches Russian and literature).
SPECIALISTS = {
    "Математика": [0, 10],
    "Алгебра": [0, 10],
    "Геометрия": [0, 10],
    "Вероятность и статистика": [10, 0],
    "Русский язык": [1, 11],
    "Литература": [1, 11],
    "Английский язык": [4, 5],
    "История": [6],
    "Обществознание": [6],
    "География": [7],
    "Биология": [7],
    "Химия": [7],
    "Физика": [8],
    "Информатика": [8],
    "Физическая культура": [9],
    "Основы безопасности и защиты Родины": [9],
    "Музыка": [11],
    "Изобразительное искусство": [11],
    "Труд (технология)": [11],
    "Индивидуальный проект": [6],
    "Окружающий мир": [7],
    "Литературное чтение": [11],
}
MAX_LOAD = 26  # weekly hours a demo teacher takes before the next one of the subject steps in


def school_year_start(today: date) -> date:
    return date(SchoolYear.first_year_for(today), 9, 1)


def band(grade: int) -> str:
    if grade <= 4:
        return "primary"
    if grade <= 6:
        return "middle"
    if grade <= 9:
        return "upper_middle"
    return "senior"


def make_year(ctx, school, max_grade=11):
    """The school year holding today, with the usual periods, holidays and two shifts."""
    first = SchoolYear.first_year_for(ctx.today)
    start, end = SchoolYear.default_bounds(first)
    year = SchoolYear.objects.create(
        school=school, name=SchoolYear.default_name(first), start=start, end=end
    )
    scheme = "quarters_semesters" if max_grade > 9 else "quarters"
    periods, holidays = standard_calendar(year, scheme, max_grade=max_grade)
    StudyPeriod.objects.bulk_create(periods)
    Holiday.objects.bulk_create(holidays)
    shifts = []
    for name, first_bell in (("1 смена", "08:30"), ("2 смена", "13:30")):
        shift = BellSchedule.objects.create(school=school, name=name)
        Bell.objects.bulk_create(
            standard_bells(shift, first=first_bell, lessons=7 if first_bell == "08:30" else 6)
        )
        shifts.append(shift)
    ctx.years = getattr(ctx, "years", {})
    ctx.years[school.slug] = year
    ctx.bell_schedules = getattr(ctx, "bell_schedules", {})
    ctx.bell_schedules[school.slug] = shifts
    return year


def make_class(ctx, school, grade, letter, class_teacher, pupils_count):
    year = ctx.years[school.slug]
    school_class = SchoolClass.objects.create(
        school=school,
        year=year,
        grade=grade,
        letter=letter,
        class_teacher=class_teacher,
        bell_schedule=ctx.bell_schedules[school.slug][0],
        no_marks=SchoolClass.default_no_marks(school, grade),
    )
    pupils = Pupil.objects.bulk_create(ctx.make_pupil(school) for _ in range(pupils_count))
    start = year.start
    Enrolment.objects.bulk_create(
        Enrolment(
            school=school,
            pupil=p,
            school_class=school_class,
            start=start,
            reason=Enrolment.Reason.START,
            order_number=f"{start.year}-{grade:02d}/о",
        )
        for p in pupils
    )
    for pupil in pupils:
        ctx.add_parent(school, pupil)
        if ctx.rng.random() < 0.35:
            ctx.add_parent(school, pupil)
    ctx.pupils.setdefault(school.slug, []).extend(pupils)
    return school_class, pupils


def make_subjects(ctx, school):
    subjects = Subject.objects.bulk_create(
        Subject(school=school, name=name, short_name=short) for name, short in SUBJECTS
    )
    ctx.subjects = getattr(ctx, "subjects", {})
    ctx.subjects[school.slug] = {s.name: s for s in subjects}
    return ctx.subjects[school.slug]


def split_english(school, school_class, pupils, english, start):
    """Two English groups, by the alphabet — the usual start-of-year division."""
    ordered = sorted(pupils, key=lambda p: (p.last_name, p.first_name))
    half = (len(ordered) + 1) // 2
    groups = []
    memberships = []
    for number, members in enumerate((ordered[:half], ordered[half:]), 1):
        group = Subgroup.objects.create(
            school=school, school_class=school_class, subject=english, name=f"{number} группа"
        )
        groups.append(group)
        memberships += [
            SubgroupMembership(school=school, subgroup=group, pupil=p, start=start) for p in members
        ]
    SubgroupMembership.objects.bulk_create(memberships)
    return groups


class Staffing:
    """Hands courses to teachers: the named specialists first, then whoever is least loaded."""

    def __init__(self, teachers, specialists):
        self.teachers = teachers
        self.specialists = specialists
        self.load = {t.pk: Decimal(0) for t in teachers}

    def pick(self, subject, hours, exclude=()):
        candidates = [
            self.teachers[i] for i in self.specialists.get(subject, []) if i < len(self.teachers)
        ]
        for teacher in candidates:
            if teacher.pk not in exclude and self.load[teacher.pk] + hours <= MAX_LOAD:
                return self.take(teacher, hours)
        pool = [t for t in self.teachers if t.pk not in exclude] or self.teachers
        return self.take(min(pool, key=lambda t: (self.load[t.pk], t.pk)), hours)

    def take(self, teacher, hours):
        self.load[teacher.pk] += hours
        return teacher


def make_courses(school, year, classes, subjects, staffing):
    """Courses of every class by its curriculum; returns them (teachers assigned)."""
    courses, assignments = [], []
    english = subjects["Английский язык"]
    for school_class, pupils in classes:
        grade = school_class.grade
        curriculum = CURRICULUM[band(grade)]
        english_groups = []
        if "Английский язык" in curriculum and grade >= 2:
            english_groups = split_english(school, school_class, pupils, english, year.start)
        for name, weekly in curriculum.items():
            if name == "Английский язык" and grade == 1:
                continue
            hours = Decimal(weekly)
            per_year = int(weekly * study_weeks(grade))
            scale = Course.Scale.PASS_FAIL if name in PASS_FAIL else Course.Scale.FIVE
            if name == "Английский язык":
                taken = set()
                for group in english_groups:
                    teacher = staffing.pick(name, hours, exclude=taken)
                    taken.add(teacher.pk)
                    course = Course(
                        school=school,
                        year=year,
                        school_class=school_class,
                        subgroup=group,
                        subject=english,
                        hours_per_week=hours,
                        hours_per_year=per_year,
                        scale=scale,
                    )
                    courses.append(course)
                    assignments.append((course, teacher))
                continue
            if grade <= 4 and name in PRIMARY_BY_CLASS_TEACHER and school_class.class_teacher:
                teacher = staffing.take(school_class.class_teacher, hours)
            else:
                teacher = staffing.pick(name, hours)
            course = Course(
                school=school,
                year=year,
                school_class=school_class,
                subject=subjects[name],
                hours_per_week=hours,
                hours_per_year=per_year,
                scale=scale,
            )
            courses.append(course)
            assignments.append((course, teacher))
    Course.objects.bulk_create(courses)
    # One by one, so that each teacher receives teach_course on the course (signals).
    for course, teacher in assignments:
        CourseTeacher.objects.create(school=school, course=course, teacher=teacher)
    return courses


def build(ctx) -> None:
    first, second = ctx.schools
    make_year(ctx, first, max_grade=11)
    make_year(ctx, second, max_grade=9)

    # Class teachers: «classteacher» leads 5А (or the first class); primary classes are led
    # by teachers who then teach most of their subjects; the demo «teacher» leads no class.
    named_lead = ctx.named["classteacher"]
    teachers = ctx.teachers[first.slug]
    names = [(g, letter) for g in ctx.grades for letter in LETTERS[: ctx.classes_per_grade]]
    lead_of = (5, "А") if (5, "А") in names else names[0]
    # Leads: primary classes take from the back of the list (2, 3, …), others from the rest;
    # the named «teacher» (index 0) stays free of a class.
    free = [t for t in teachers[2:] if t != named_lead]

    def lead_for(grade, letter):
        if (grade, letter) == lead_of:
            return named_lead
        return free.pop(0) if free else None

    classes = {}
    for grade, letter in names:
        classes[f"{grade}{letter}"] = make_class(
            ctx, first, grade, letter, lead_for(grade, letter), ctx.pupils_per_class
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

    # Subjects and courses. The demo «teacher» teaches mathematics in the 5th grade classes
    # (5А among them) and algebra and geometry higher up: at least two classes.
    ctx.courses = {}
    first_subjects = make_subjects(ctx, first)
    staffing = Staffing(teachers, SPECIALISTS)
    ordered = sorted(classes.values(), key=lambda c: (c[0].grade, c[0].letter))
    ctx.courses[first.slug] = make_courses(
        first, ctx.years[first.slug], ordered, first_subjects, staffing
    )
    second_teachers = ctx.teachers[second.slug]
    second_specialists = {"Английский язык": [1, 2], "Физическая культура": [2], "Музыка": [3]}
    ctx.courses[second.slug] = make_courses(
        second,
        ctx.years[second.slug],
        [(small_class, small_pupils)],
        make_subjects(ctx, second),
        Staffing(second_teachers, second_specialists),
    )

    build_movement(ctx, first, classes)

    # The timetable, lessons and a substitution: built by demo_timetable, when present.
    if find_spec("schedule.demo_timetable") is not None:
        from .demo_timetable import build as build_timetable

        build_timetable(ctx)

    # The demo college's year, specialities and groups (its branches are their own schools).
    from .demo_college import build as build_college

    build_college(ctx)


def build_movement(ctx, school, classes) -> None:
    """A departure, a transfer between parallel classes and an arrival, on days already past
    (each only if the year has reached it), by the services a class teacher uses."""
    year = ctx.years[school.slug]
    ordered = sorted(classes.values(), key=lambda c: (c[0].grade, c[0].letter))
    # Movers are the last pupils of their classes: the named accounts' children come first.
    big = [(c, pupils) for c, pupils in ordered if len(pupils) >= 4]
    if not big:
        return

    def day(offset):
        found = year.start + timedelta(days=offset)
        while found.weekday() >= 5:
            found += timedelta(days=1)
        return found if found < ctx.today else None

    leaving = day(45)
    last_class, last_pupils = big[-1]
    if leaving:
        stay = Enrolment.objects.get(pupil=last_pupils[-1], end__isnull=True)
        depart(stay, leaving, order_number="112-у", note="в МБОУ «СОШ № 3» (переезд семьи)")
    moving = day(60)
    pairs = [(a, b) for a, b in zip(big, big[1:], strict=False) if a[0].grade == b[0].grade]
    if moving and pairs:
        (source, source_pupils), (target, _target_pupils) = pairs[0]
        mover = source_pupils[-2]
        stay = Enrolment.objects.get(pupil=mover, end__isnull=True)
        transfer(stay, target, moving, order_number="118-у")
        _place(school, target, mover, moving)
    arriving = day(75)
    if arriving:
        school_class, pupils = big[0]
        newcomer = ctx.make_pupil(school)
        newcomer.save()
        ctx.add_parent(school, newcomer)
        enrol(newcomer, school_class, arriving, order_number="121-у", note="из гимназии № 2")
        _place(school, school_class, newcomer, arriving)
        pupils.append(newcomer)


def _place(school, school_class, pupil, day) -> None:
    """A newcomer joins the class's first language group."""
    group = Subgroup.objects.filter(school_class=school_class).order_by("name").first()
    if group is not None:
        SubgroupMembership.objects.create(school=school, subgroup=group, pupil=pupil, start=day)
