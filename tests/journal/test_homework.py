"""Homework: due date by default the next lesson, attachments checked, none in no-mark classes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django_scopes import scopes_disabled

from accounts.navigation import school_reverse
from journal.models import Homework, HomeworkAttachment
from journal.services import homework as service
from schedule.models import Lesson
from tests.lib.samples import HOSTILE

from .plan_builders import lessons_for, teacher_course

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 homework\n"


def pdf(name="задание.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form(**extra):
    return {"topic": "Дроби", "kind": "lesson", "note": "", **extra}


def test_homework_is_due_at_the_next_lesson_of_the_course(school):
    _teacher, course = teacher_course(school)
    first, second, third = lessons_for(course, 3, step=3)
    with scopes_disabled():
        assert service.default_due_date(first) == second.date
        # A cancelled lesson is no lesson to bring homework to.
        second.status = Lesson.Status.CANCELLED
        second.save()
        assert service.default_due_date(first) == third.date
        # Without a next lesson: in a week.
        assert service.default_due_date(third) == third.date + timedelta(days=7)


def test_the_lesson_page_proposes_the_next_lesson_and_saves_homework(client, school):
    teacher, course = teacher_course(school)
    first, second = lessons_for(course, 2, step=2)
    client.force_login(teacher)
    url = school_reverse(school, "journal:lesson_edit", pk=first.pk)
    assert f'value="{second.date:%Y-%m-%d}"' in client.get(url).text

    response = client.post(url, form(homework_text="№ 12, 14", due_date="", files=[pdf()]))
    assert response.status_code == 302
    with scopes_disabled():
        homework = Homework.objects.get(lesson=first)
        assert (homework.text, homework.due_date) == ("№ 12, 14", second.date)
        assert homework.history.first().history_user == teacher
        attachment = HomeworkAttachment.objects.get(homework=homework)
        assert (attachment.name, attachment.size) == ("задание.pdf", len(PDF))

    download = client.get(
        school_reverse(school, "journal:homework_file", pk=first.pk, file_pk=attachment.pk)
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


def test_a_changed_text_is_kept_in_history_with_the_teacher(school):
    teacher, course = teacher_course(school)
    first, _second = lessons_for(course, 2)
    with scopes_disabled():
        service.save_homework(first, text="№ 1", due_date=None, user=teacher)
        service.save_homework(first, text="№ 2", due_date=None, user=teacher)
        homework = Homework.objects.get(lesson=first)
        assert [h.text for h in homework.history.all()] == ["№ 2", "№ 1"]
        assert {h.history_user for h in homework.history.all()} == {teacher}


@pytest.mark.parametrize(
    "upload,message",
    [
        (SimpleUploadedFile("run.exe", b"MZ"), "такой тип файлов не принимается"),
        (SimpleUploadedFile("пусто.pdf", b""), "Файл «пусто.pdf» пуст."),
        (
            SimpleUploadedFile("big.pdf", b"x" * (service.MAX_ATTACHMENT_BYTES + 1)),
            "больше 10,0",
        ),
        # Checked by content too: a program or a web page under an allowed name is refused.
        *(
            (SimpleUploadedFile(name, content), f"«{name}»: содержимое не соответствует")
            for name, content in HOSTILE
        ),
    ],
)
def test_a_file_of_a_wrong_type_size_or_empty_is_refused_and_nothing_saved(
    client, school, upload, message
):
    teacher, course = teacher_course(school)
    first, _second = lessons_for(course, 2)
    client.force_login(teacher)
    response = client.post(
        school_reverse(school, "journal:lesson_edit", pk=first.pk),
        form(homework_text="№ 5", files=[upload]),
    )
    assert response.status_code == 400
    assert message in response.text
    # Nothing else is lost: the typed text is still in the form.
    assert "№ 5" in response.text
    with scopes_disabled():
        assert not Homework.objects.filter(lesson=first).exists()
        first.refresh_from_db()
        assert first.topic == ""


def test_a_due_date_not_after_the_lesson_is_refused(client, school):
    teacher, course = teacher_course(school)
    first, _second = lessons_for(course, 2)
    client.force_login(teacher)
    response = client.post(
        school_reverse(school, "journal:lesson_edit", pk=first.pk),
        form(homework_text="№ 5", due_date=f"{first.date:%Y-%m-%d}"),
    )
    assert response.status_code == 400
    assert "Срок выполнения должен быть позже дня урока." in response.text


def test_a_class_without_marks_takes_no_homework(client, school):
    teacher, course = teacher_course(school, grade=1, no_marks=True)
    (lesson,) = lessons_for(course, 1)
    with (
        scopes_disabled(),
        pytest.raises(ValidationError, match="домашнее задание не задаётся"),
    ):
        service.save_homework(lesson, text="Прочитать", due_date=None, user=teacher)
    client.force_login(teacher)
    url = school_reverse(school, "journal:lesson_edit", pk=lesson.pk)
    page = client.get(url).text
    assert 'name="homework_text"' not in page
    assert "В классах без отметок домашнее задание не задаётся." in page

    response = client.post(url, form(homework_text="Прочитать"))
    assert response.status_code == 400
    assert "домашнее задание не задаётся" in response.text
    # The topic alone is welcome.
    assert client.post(url, form()).status_code == 302
    with scopes_disabled():
        assert not Homework.objects.filter(lesson=lesson).exists()


def test_a_removed_file_is_hidden_not_deleted(client, school):
    teacher, course = teacher_course(school)
    first, _second = lessons_for(course, 2)
    with scopes_disabled():
        service.save_homework(first, text="№ 1", due_date=None, files=[pdf()], user=teacher)
        attachment = HomeworkAttachment.objects.get()
    client.force_login(teacher)
    response = client.post(
        school_reverse(school, "journal:homework_file_remove", pk=first.pk, file_pk=attachment.pk)
    )
    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.removed_at is not None and attachment.removed_by == teacher
    assert attachment.file.storage.exists(attachment.file.name)
    download = school_reverse(school, "journal:homework_file", pk=first.pk, file_pk=attachment.pk)
    assert client.get(download).status_code == 404


def test_the_class_teacher_reads_the_lesson_but_has_no_form(client, school):
    from accounts.models import Role
    from schedule.models import SchoolClass
    from tests.factories import make_member

    teacher, course = teacher_course(school)
    (lesson,) = lessons_for(course, 1)
    class_teacher = make_member(school, Role.TEACHER, last_name="Классова")
    with scopes_disabled():
        school_class = SchoolClass.objects.get(pk=course.school_class_id)
        school_class.class_teacher = class_teacher
        school_class.save()
        service.save_homework(
            lesson, text="№ 7", due_date=lesson.date + timedelta(days=2), user=teacher
        )
    client.force_login(class_teacher)
    page = client.get(school_reverse(school, "journal:lesson", pk=lesson.pk)).text
    assert "№ 7" in page
    assert '<form method="post" enctype' not in page
    assert (
        client.get(school_reverse(school, "journal:lesson_edit", pk=lesson.pk)).status_code == 403
    )
