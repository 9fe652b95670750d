"""«Справка по итогам проверки»: recorded from the dashboard with its figures, sent to the named
teachers as a message, printable as PDF, its state followed from the shortfalls it lists;
bad input answers 400 in Russian and records nothing."""

import io
from datetime import timedelta

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from pypdf import PdfReader

from accounts.navigation import school_reverse
from journal.models import Message, ThreadParticipant
from reports.models import ControlCheck
from schedule.models import Lesson

from .control_builders import check
from .test_control_page import on_sunday, school_with_checks, week_query

pytestmark = pytest.mark.django_db


def deputy_client(deputy):
    client = Client()
    client.force_login(deputy)
    return client


def post_check(d, deputy, **overrides):
    data = {
        "year": d.family.year.pk,
        **week_query(d),
        "findings": "Темы уроков записываются с опозданием.\nДЗ внесено не по всем урокам.",
        "fix_by": (d.family.monday + timedelta(days=10)).isoformat(),
        "teachers": [d.teacher.pk],
        **overrides,
    }
    return deputy_client(deputy).post(school_reverse(d.school, "reports:control_check_new"), data)


def test_a_check_is_recorded_with_the_figures_and_sent_to_the_teacher():
    d, deputy = school_with_checks()
    with on_sunday(d):
        form = deputy_client(deputy).get(
            school_reverse(d.school, "reports:control_check_new"), week_query(d)
        )
        assert form.status_code == 200 and d.teacher.short_name in form.content.decode()
        response = post_check(d, deputy)
    assert response.status_code == 302
    with scopes_disabled():
        spravka = ControlCheck.objects.get(school=d.school)
        listed = spravka.shortfalls.count()
        names = [row["name"] for row in spravka.figures["rows"]]
        received = Message.objects.filter(
            thread__in=ThreadParticipant.objects.filter(user=d.teacher).values("thread")
        ).get()
    assert d.teacher.short_name in names
    assert listed >= 3  # the topic, the homework, the written work (and more)
    assert "Темы уроков записываются с опозданием." in received.body
    assert received.author_id == deputy.pk
    with on_sunday(d):
        page = deputy_client(deputy).get(response["Location"]).content.decode()
    assert f"осталось {listed} из {listed}" in page


def test_its_state_follows_the_shortfalls_and_its_pdf_prints_it():
    d, deputy = school_with_checks()
    with on_sunday(d):
        post_check(d, deputy)
    with scopes_disabled():
        spravka = ControlCheck.objects.get(school=d.school)
        # Everything the check listed is put right; the evening's check closes it.
        Lesson.objects.filter(course=d.course, topic="").update(topic="Дроби")
        spravka.shortfalls.all().update(fixed_at=d.school.now())
    url = school_reverse(d.school, "reports:control_check_view", pk=spravka.pk)
    with on_sunday(d):
        client = deputy_client(deputy)
        page = client.get(url).content.decode()
        pdf = client.get(url, {"format": "pdf"})
        listing = client.get(school_reverse(d.school, "reports:control_checks")).content.decode()
    assert "устранено" in page and "устранено" in listing
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Справка по итогам проверки" in text
    assert "Темы уроков записываются с опозданием." in text
    assert d.teacher.short_name in text
    check(d, d.family.monday + timedelta(days=6), 23)  # a later check keeps the state honest
    with on_sunday(d):
        again = deputy_client(deputy).get(url).content.decode()
    assert "осталось" in again or "устранено" in again


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"fix_by": "2020-01-01"}, "Срок устранения не может быть раньше дня проверки."),
        ({"teachers": []}, "Выберите хотя бы одного учителя."),
        ({"findings": ""}, "Напишите выводы проверки."),
        ({"fix_by": "не дата"}, "Укажите дату."),
    ],
)
def test_bad_input_answers_400_and_records_nothing(overrides, message):
    d, deputy = school_with_checks()
    with on_sunday(d):
        response = post_check(d, deputy, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    with scopes_disabled():
        assert not ControlCheck.objects.filter(school=d.school).exists()
