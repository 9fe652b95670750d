"""A small school whose report figures are worked out by hand (tests/reports/test_progress*).

Year 2025/2026 with its own periods: quarters for grades 1–9, semesters for 10–11. Class 5А,
its second quarter (05.11–26.12.2025), period marks in Математика, Русский язык, Физическая
культура and, for its English group (Аня, Вера), Английский язык:

  pupil     мат рус физ англ   category
  Аня        5   5   5   5     отличница
  Борис      5   4   5         хорошист, one «4»
  Вера       4   4   5   4     хорошистка
  Глеб       3   4   5         one «3»
  Дина       3   3   4         with «3»
  Егор       2   3   4         one «2»
  Жанна      2   2   3         two «2»
  Зоя        2   2   2         three «2»
  Иван      н/а  2   4         не аттестован (the «н/а» decides, not the «2»)
  Кирилл    осв осв осв        освобождён (out of N)
  Лена       5   5  осв        отличница (exempt from PE only)
  Нина       4   5   5         хорошистка, one «4» — arrived 17.11.2025 (not at the start)
  Максим     —   —   —         left 28.11.2025 to «МБОУ СОШ № 3» (at the start, not the end)

At the end: 12 pupils; N = 12 − 1 освобождённый = 11. Отличники 2, хорошисты 3 (one «4»: 2),
с «3» 2 (one «3»: 1), неуспевающие 1 + 1 + 1, не аттестованы 1 → аттестованы 10.
Успеваемость 7/11 = 63,6 %; качество 5/11 = 45,5 %;
СОУ = (100·2 + 64·3 + 36·2 + 16·3 + 7·1) / 11 = 519 / 11 = 47,2;
средний балл = 125 / 33 = 3,79 (five-point marks of the counted pupils).

The first quarter: the 12 pupils then (Максим in, Нина not yet), «4» in Математика and
Русский язык, «5» in PE (Кирилл: «осв.» in all, Лена in PE), «5» in English: 11 хорошисты,
N = 11, качество 100 %, СОУ 64,0.

Also 1А (1st grade, no marks, 3 pupils) and 10А (semesters, 2 pupils, marks not set yet).
"""

from dataclasses import dataclass, field
from datetime import date

from django_scopes import scopes_disabled

from accounts.models import Role
from grading.models import FinalMark
from schedule.models import (
    Enrolment,
    Lesson,
    SchoolYear,
    StudyPeriod,
    Subgroup,
    SubgroupMembership,
)
from schedule.services.people import depart, enrol

from ..factories import make_class, make_course, make_member, make_pupil, make_school, make_subject

Q = StudyPeriod.Kind.QUARTER
S = StudyPeriod.Kind.SEMESTER
PERIODS = [
    (Q, 1, 1, 9, date(2025, 9, 1), date(2025, 10, 24)),
    (Q, 2, 1, 9, date(2025, 11, 5), date(2025, 12, 26)),
    (Q, 3, 1, 9, date(2026, 1, 12), date(2026, 3, 20)),
    (Q, 4, 1, 9, date(2026, 3, 30), date(2026, 5, 26)),
    (S, 1, 10, 11, date(2025, 9, 1), date(2025, 12, 26)),
    (S, 2, 10, 11, date(2026, 1, 12), date(2026, 5, 26)),
]
# name → (мат, рус, физ, англ or None) in the second quarter
SECOND = {
    "Аня": ("5", "5", "5", "5"),
    "Борис": ("5", "4", "5", None),
    "Вера": ("4", "4", "5", "4"),
    "Глеб": ("3", "4", "5", None),
    "Дина": ("3", "3", "4", None),
    "Егор": ("2", "3", "4", None),
    "Жанна": ("2", "2", "3", None),
    "Зоя": ("2", "2", "2", None),
    "Иван": ("na", "2", "4", None),
    "Кирилл": ("ex", "ex", "ex", None),
    "Лена": ("5", "5", "ex", None),
    "Нина": ("4", "5", "5", None),
}
LEFT_ON = date(2025, 11, 29)  # the departure's day: the last day in the class is 28.11
ARRIVED_ON = date(2025, 11, 17)


@dataclass
class HandSchool:
    school: object
    year: object
    periods: dict  # (kind, number) → StudyPeriod
    fifth: object  # 5А
    first: object  # 1А
    tenth: object  # 10А
    pupils: dict  # name → Pupil
    courses: dict  # "math", "russian", "pe", "english" → Course of 5А
    teachers: dict  # "math", "russian" (also PE), "english", "class" → User
    english: object  # the subgroup
    extra: dict = field(default_factory=dict)

    @property
    def q1(self):
        return self.periods[(Q, 1)]

    @property
    def q2(self):
        return self.periods[(Q, 2)]

    @property
    def s1(self):
        return self.periods[(S, 1)]


def build(school=None) -> HandSchool:
    school = school or make_school()
    with scopes_disabled():
        year = SchoolYear.objects.create(
            school=school, name="2025/2026", start=date(2025, 9, 1), end=date(2026, 8, 31)
        )
        periods = {}
        for kind, number, low, high, start, end in PERIODS:
            periods[(kind, number)] = StudyPeriod.objects.create(
                school=school,
                year=year,
                kind=kind,
                number=number,
                grade_from=low,
                grade_to=high,
                start=start,
                end=end,
            )
    teachers = {
        "math": make_member(school, Role.TEACHER, last_name="Математикова", first_name="Анна"),
        "russian": make_member(school, Role.TEACHER, last_name="Словесникова", first_name="Ольга"),
        "english": make_member(school, Role.TEACHER, last_name="Инглишева", first_name="Мэри"),
        "class": make_member(school, Role.TEACHER, last_name="Классова", first_name="Ирина"),
    }
    fifth = make_class(school, 5, "А", class_teacher=teachers["class"], year=year)
    first = make_class(school, 1, "А", year=year, no_marks=True)
    tenth = make_class(school, 10, "А", year=year)
    maths = make_subject(school, "Математика", "Мат.")
    russian = make_subject(school, "Русский язык", "Рус.")
    pe = make_subject(school, "Физическая культура", "Физ-ра")
    english = make_subject(school, "Английский язык", "Англ.")
    pupils = {}
    for name in [*SECOND, "Максим"]:
        if name == "Нина":
            continue
        pupils[name] = make_pupil(
            school, fifth, start=year.start, last_name=name + "ва", first_name=name
        )
    with scopes_disabled():
        nina = make_pupil(school, None, last_name="Нинова", first_name="Нина")
        enrol(nina, fifth, ARRIVED_ON, order_number="47-у", note="из гимназии № 2")
        pupils["Нина"] = nina
        depart(
            Enrolment.objects.get(pupil=pupils["Максим"]),
            LEFT_ON,
            order_number="45-у",
            note="в МБОУ СОШ № 3",
        )
        group = Subgroup.objects.create(
            school=school, school_class=fifth, subject=english, name="1 группа"
        )
        for name in ("Аня", "Вера"):
            SubgroupMembership.objects.create(
                school=school, subgroup=group, pupil=pupils[name], start=year.start
            )
    courses = {
        "math": make_course(fifth, maths, teachers=[teachers["math"]]),
        "russian": make_course(fifth, russian, teachers=[teachers["russian"]]),
        "pe": make_course(fifth, pe, teachers=[teachers["russian"]]),
        "english": make_course(fifth, teachers=[teachers["english"]], subgroup=group),
    }
    first_pupils = [
        make_pupil(school, first, start=year.start, last_name=f"Первоклассник{i}") for i in range(3)
    ]
    make_course(first, maths, teachers=[teachers["math"]])
    tenth_pupils = [
        make_pupil(school, tenth, start=year.start, last_name=f"Старшеклассник{i}")
        for i in range(2)
    ]
    make_course(tenth, maths, teachers=[teachers["math"]])
    hand = HandSchool(
        school=school,
        year=year,
        periods=periods,
        fifth=fifth,
        first=first,
        tenth=tenth,
        pupils=pupils,
        courses=courses,
        teachers=teachers,
        english=group,
        extra={"first_pupils": first_pupils, "tenth_pupils": tenth_pupils},
    )
    give_final_marks(hand)
    return hand


def final(hand, name, course_key, period, value, kind=FinalMark.Kind.PERIOD):
    course = hand.courses[course_key]
    with scopes_disabled():
        return FinalMark.objects.create(
            school=hand.school,
            pupil=hand.pupils[name],
            course=course,
            period=period,
            kind=kind,
            value=value,
            set_by=course.teachers.first(),
        )


def give_final_marks(hand) -> None:
    keys = ("math", "russian", "pe", "english")
    for name, values in SECOND.items():
        for key, value in zip(keys, values, strict=True):
            if value is not None:
                final(hand, name, key, hand.q2, value)
    # The first quarter: Максим in, Нина not yet.
    for name in [n for n in SECOND if n != "Нина"] + ["Максим"]:
        exempt = name == "Кирилл"
        final(hand, name, "math", hand.q1, "ex" if exempt else "4")
        final(hand, name, "russian", hand.q1, "ex" if exempt else "4")
        final(hand, name, "pe", hand.q1, "ex" if name in ("Кирилл", "Лена") else "5")
        if name in ("Аня", "Вера"):
            final(hand, name, "english", hand.q1, "5")
    # Максим's second-quarter mark in mathematics, set before he left: not counted (he is not
    # in the class at the period's end).
    final(hand, "Максим", "math", hand.q2, "2")


def lesson(hand, course_key, day, number, **fields):
    course = hand.courses[course_key] if isinstance(course_key, str) else course_key
    with scopes_disabled():
        return Lesson.objects.create(
            school=hand.school, course=course, date=day, number=number, **fields
        )


def grow(hand, classes: int, pupils: int = 6) -> None:
    """More classes of the 6th grade like 5А (three courses, both quarters' marks): for
    counting queries at two sizes."""
    from accounts.models import Pupil

    maths = hand.courses["math"].subject
    russian = hand.courses["russian"].subject
    with scopes_disabled():
        for n in range(classes):
            school_class = make_class(hand.school, 6, f"Г{n}", year=hand.year)
            people = Pupil.objects.bulk_create(
                Pupil(school=hand.school, last_name=f"Рост{n}-{i}", first_name="Пётр")
                for i in range(pupils)
            )
            Enrolment.objects.bulk_create(
                Enrolment(
                    school=hand.school, pupil=p, school_class=school_class, start=hand.year.start
                )
                for p in people
            )
            courses = [
                make_course(school_class, maths, teachers=[hand.teachers["math"]]),
                make_course(school_class, russian, teachers=[hand.teachers["russian"]]),
            ]
            FinalMark.objects.bulk_create(
                FinalMark(
                    school=hand.school,
                    pupil=p,
                    course=course,
                    period=period,
                    kind=FinalMark.Kind.PERIOD,
                    value="5432"[(i + c) % 4],
                    set_by=hand.teachers["math"],
                )
                for period in (hand.q1, hand.q2)
                for c, course in enumerate(courses)
                for i, p in enumerate(people)
            )
