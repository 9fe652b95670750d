"""A journal kept in the hand school's 5А (tests/reports/hand_school.py): dated lessons of
mathematics with topics, homework, marks and absences whose places in the PDF are known."""

from datetime import date, timedelta

from django_scopes import scopes_disabled

from schedule.models import Lesson
from tests.reports.builders import add_absence, add_homework, add_mark

# Mathematics of 5А: a lesson every Monday and Thursday from 01.09.2025, forty in all (two
# grid sheets of 32 dated columns), topics «Тема урока N», homework «Упражнение N».
MATH_LESSONS = 40


def lesson_days(count=MATH_LESSONS):
    day, found = date(2025, 9, 1), []
    while len(found) < count:
        if day.isoweekday() in (1, 4):
            found.append(day)
        day += timedelta(days=1)
    return found


def keep_journal(hand):
    course = hand.courses["math"]
    lessons = []
    with scopes_disabled():
        for n, day in enumerate(lesson_days(), 1):
            lesson = Lesson.objects.create(
                school=hand.school, course=course, date=day, number=2, topic=f"Тема урока {n}"
            )
            add_homework(lesson, text=f"Упражнение {n}")
            lessons.append(lesson)
        # Аня: «5» on the first lesson, «4» on the second; Борис absent on the first.
        add_mark(lessons[0], hand.pupils["Аня"], "5")
        add_mark(lessons[1], hand.pupils["Аня"], "4")
        add_absence(lessons[0], hand.pupils["Борис"])
        add_absence(lessons[2], hand.pupils["Борис"], code="ill")
        # A cancelled lesson is not in the journal.
        Lesson.objects.create(
            school=hand.school,
            course=course,
            date=date(2025, 9, 2),
            number=5,
            topic="Отменённая тема",
            status=Lesson.Status.CANCELLED,
        )
    hand.extra["math_lessons"] = lessons
    return lessons


def pdf_text(data: bytes) -> list[str]:
    """The text of each page of a PDF (pypdf)."""
    import io

    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
