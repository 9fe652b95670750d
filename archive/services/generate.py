"""A generated year of a class's courses — lessons with topics and homework, marks, absences,
period and year marks — written in bulk. One generator for the demo's closed previous year
(archive.demo) and the archive's benchmark (bench/archive.py); what differs between them
(how often a pupil is absent or marked, which marks, how steady a pupil's final marks are) is
a `Habits`.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from grading.models import FinalMark, Mark
from grading.services.marks import work_types
from journal.models import Attendance, Homework
from schedule.models import Lesson
from schedule.versions import courses_changed


@dataclass(frozen=True)
class Habits:
    absent: float = 0.04  # the chance a pupil misses a lesson
    absent_codes: tuple = ("absent", "ill", "excused")  # drawn evenly: repeat one to weigh it
    marked: float = 0.32  # the chance a pupil who is there gets a mark
    marks: str = "55544443332"  # drawn evenly, as absent_codes
    finals: str = "5443"
    steady: bool = False  # a pupil's period marks and year mark all the same
    due_in_days: int = 0  # homework due so many days after its lesson


@dataclass
class YearRows:
    """Rows gathered course by course, then written at once (`save`)."""

    school: object
    teacher: object
    rng: object
    habits: Habits = field(default_factory=Habits)
    lessons: list = field(default_factory=list)
    marks: list = field(default_factory=list)
    absences: list = field(default_factory=list)
    homework: list = field(default_factory=list)
    finals: list = field(default_factory=list)
    course_ids: list = field(default_factory=list)

    def add_course(self, course, days, pupils, periods, *, topic, homework, number=1) -> list:
        """The course's lessons on `days` (saved now: marks need their keys), with
        `topic(n, day)` and `homework(n, day)` as their texts, and its pupils' records."""
        school, teacher, rng, habits = self.school, self.teacher, self.rng, self.habits
        main = work_types(school).main_for(Lesson.Kind.LESSON)
        made = Lesson.objects.bulk_create(
            Lesson(
                school=school, course=course, date=day, number=number, topic=topic(n, day)
            )
            for n, day in enumerate(days)
        )  # fmt: skip
        self.lessons.extend(made)
        self.course_ids.append(course.pk)
        due = timedelta(days=habits.due_in_days)
        for n, lesson in enumerate(made):
            self.homework.append(
                Homework(
                    school=school, lesson=lesson, course=course, created_by=teacher,
                    text=homework(n, lesson.date), due_date=lesson.date + due,
                )
            )  # fmt: skip
            for pupil in pupils:
                draw = rng.random()
                if draw < habits.absent:
                    self.absences.append(
                        Attendance(
                            school=school, lesson=lesson, pupil=pupil, set_by=teacher,
                            code=rng.choice(habits.absent_codes),
                        )
                    )  # fmt: skip
                elif draw < habits.absent + habits.marked:
                    mark = Mark(
                        school=school, lesson=lesson, pupil=pupil, work_type_id=main.id,
                        author=teacher,
                    )  # fmt: skip
                    mark.set_value(rng.choice(habits.marks))
                    self.marks.append(mark)
        for pupil in pupils:
            level = rng.choice(habits.finals)
            for period in periods:
                self.finals.append(
                    FinalMark(
                        school=school, pupil=pupil, course=course, period=period,
                        kind=FinalMark.Kind.PERIOD, set_by=teacher,
                        value=level if habits.steady else rng.choice(habits.finals),
                    )
                )  # fmt: skip
            self.finals.append(
                FinalMark(
                    school=school, pupil=pupil, course=course, kind=FinalMark.Kind.YEAR,
                    value=level if habits.steady else rng.choice(habits.finals), set_by=teacher,
                )
            )  # fmt: skip
        return made

    def save(self, batch_size=5000) -> None:
        Mark.objects.bulk_create(self.marks, batch_size=batch_size)
        Attendance.objects.bulk_create(self.absences, batch_size=batch_size)
        Homework.objects.bulk_create(self.homework, batch_size=batch_size)
        FinalMark.objects.bulk_create(self.finals, batch_size=batch_size)
        # Bulk writes pass no signals: the pages kept per version of these courses learn here.
        courses_changed(self.course_ids, school_id=self.school.pk)
