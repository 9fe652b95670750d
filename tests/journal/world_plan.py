"""The plan's, homework's and final marks' part of the permission world.

Called from tests/world.py after the timetable's part (own_lesson of own_course taught by the
«teacher», other_lesson of other_course, foreign_lesson, and substituted_lesson of the other
course that the «teacher» holds as a substitute). Adds plan topics, homework with a file,
year marks (failing, so a retake may be recorded) — own, other and foreign.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django_scopes import scopes_disabled

from grading.models import FinalMark
from journal.models import Homework, HomeworkAttachment, PlanTopic
from tests.factories import set_rules


def topic(course, user, title="Натуральные числа"):
    return PlanTopic.objects.create(
        school=course.school, course=course, position=1, title=title, hours=2, created_by=user
    )


def homework_file(lesson, user):
    homework = Homework.objects.create(
        school=lesson.school,
        lesson=lesson,
        course=lesson.course,
        text="№ 12, 14",
        due_date=lesson.date + timedelta(days=7),
        created_by=user,
    )
    attachment = HomeworkAttachment(
        school=lesson.school, homework=homework, name="задание.pdf", size=9, uploaded_by=user
    )
    attachment.file.save("задание.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    return attachment


def year_mark(course, pupil, user):
    return FinalMark.objects.create(
        school=course.school,
        pupil=pupil,
        course=course,
        kind=FinalMark.Kind.YEAR,
        value=FinalMark.Value.TWO,
        set_by=user,
    )


def build(school, other_school, users, objects):
    with scopes_disabled():
        # Deadlines far after the year's end: the matrix does not depend on today's date.
        for s in (school, other_school):
            set_rules(s, final_marks_days=-100, lock_topics_days=400)
        teacher, other = users["teacher"], objects["other_class"].class_teacher
        foreign_author = objects["foreign_admin_user"]
        objects.update(
            own_topic=topic(objects["own_course"], teacher),
            other_topic=topic(objects["other_course"], other),
            foreign_topic=topic(objects["foreign_course"], foreign_author),
            own_file=homework_file(objects["own_lesson"], teacher),
            other_file=homework_file(objects["other_lesson"], other),
            foreign_file=homework_file(objects["foreign_lesson"], foreign_author),
            own_final=year_mark(objects["own_course"], objects["own_pupil"], teacher),
            other_final=year_mark(objects["other_course"], objects["other_pupil"], other),
            foreign_final=year_mark(
                objects["foreign_course"], objects["foreign_pupil"], foreign_author
            ),
        )
