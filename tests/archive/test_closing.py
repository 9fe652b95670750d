"""Closing the year: the deputy's checklist with each kind of gap and its link, the close
refused while a blocking gap is left, and once closed every write path refusing (the write
policy's own test, with the year closed by the service) and the archive built."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from archive.models import ArchiveBuild, ArchiveDocument
from archive.services.closing import checklist, do_close_year
from grading.models import CorrectionRequest, FinalMark
from journal.models import PlanTopic
from schedule.models import Lesson
from tests.factories import make_member
from tests.reports.hand_school import final

pytestmark = pytest.mark.django_db


def gaps(year) -> dict:
    with scopes_disabled():
        return {item.key: item.gaps for item in checklist(year)}


def give_year_marks(hand, skip=()):
    """A year mark for everyone in 5А at the end (Максим left in November, Нина arrived)."""
    for name in hand.pupils:
        if name == "Максим":
            continue
        for key in ("math", "russian", "pe"):
            if (name, key) not in skip:
                value = {"Иван": "na", "Кирилл": "ex"}.get(name, "4")
                final(hand, name, key, None, value, kind=FinalMark.Kind.YEAR)
        if name in ("Аня", "Вера"):
            final(hand, name, "english", None, "5", kind=FinalMark.Kind.YEAR)
    with scopes_disabled():
        course = hand.tenth.courses.get()
        for pupil in hand.extra["tenth_pupils"]:
            FinalMark.objects.create(
                school=hand.school, pupil=pupil, course=course, kind="year", value="3",
                set_by=course.teachers.first(),
            )  # fmt: skip


def _behind(hand, key, topics=3):
    """A plan of `topics` two-hour topics in the course and one lesson held: behind."""
    course = hand.courses[key]
    for n in range(topics):
        PlanTopic.objects.create(
            school=hand.school, course=course, position=n + 1, title=f"Тема {n}", hours=2,
            created_by=course.teachers.first(),
        )  # fmt: skip
    Lesson.objects.create(school=hand.school, course=course, date=hand.q1.start, number=1)


def test_missing_year_marks_are_listed_per_course_with_a_link(hand):
    give_year_marks(hand, skip={("Борис", "math"), ("Нина", "math"), ("Вера", "pe")})
    found = gaps(hand.year)["year_marks"]
    texts = [g.text for g in found]
    assert texts == [
        "5А, Математика: нет годовой отметки у 2: Борисва Б., Нинова Н.",
        "5А, Физическая культура: нет годовой отметки у 1: Верава В.",
    ]
    assert found[0].url == school_reverse(hand.school, "grading:finals", pk=hand.courses["math"].pk)
    # «н/а» and «осв.» are recorded marks; 1А studies without marks; Максим left.
    give_year_marks_for = [("Борис", "math"), ("Нина", "math"), ("Вера", "pe")]
    for name, key in give_year_marks_for:
        final(hand, name, key, None, "5", kind=FinalMark.Kind.YEAR)
    assert gaps(hand.year)["year_marks"] == []


def test_an_undecided_correction_is_a_gap_until_decided(hand):
    give_year_marks(hand)
    with scopes_disabled():
        lesson = Lesson.objects.create(
            school=hand.school, course=hand.courses["math"], date=hand.q2.start, number=1
        )
        request = CorrectionRequest.objects.create(
            school=hand.school, lesson=lesson, pupil=hand.pupils["Аня"], kind="mark",
            new_value="5", reason="опечатка", requested_by=hand.teachers["math"],
        )  # fmt: skip
    [gap] = gaps(hand.year)["corrections"]
    assert gap.text == "5А, Математика, урок 05.11.2025: исправление («отметка») ждёт решения"
    assert gap.url == school_reverse(hand.school, "grading:corrections")
    with scopes_disabled():
        request.status = CorrectionRequest.Status.REJECTED
        request.save()
    assert gaps(hand.year)["corrections"] == []


def test_a_course_behind_its_plan_stops_the_close_until_its_teacher_says_why(hand, client):
    give_year_marks(hand)
    with scopes_disabled():
        _behind(hand, "russian")
    [gap] = gaps(hand.year)["plan"]
    assert gap.text == "5А, Русский язык: отставание на 1 ч, причина не указана учителем"
    url = school_reverse(hand.school, "journal:plan_lag", pk=hand.courses["russian"].pk)
    assert gap.url == url
    deputy = make_member(hand.school, Role.DEPUTY)
    with scopes_disabled(), pytest.raises(ValidationError, match="Год нельзя закрыть"):
        do_close_year(hand.year, deputy, build_archive=False)
    client.force_login(deputy)
    assert "Учитель ещё не указал причину." in client.get(url).content.decode()
    assert client.post(url, {"reason": "Болезнь"}).status_code == 403
    client.force_login(hand.teachers["russian"])
    # The teacher's plan-and-fact page of the course leads to the form.
    fact_url = school_reverse(hand.school, "journal:plan_fact", pk=hand.courses["russian"].pk)
    assert f'href="{url}">Указать причину отставания' in client.get(fact_url).content.decode()
    too_long = client.post(url, {"reason": "х" * 501})
    assert too_long.status_code == 400
    assert client.post(url, {"reason": "Карантин 10–21.02"}).status_code == 302
    assert gaps(hand.year)["plan"] == []
    assert "Причина отставания: Карантин 10–21.02" in client.get(fact_url).content.decode()
    with scopes_disabled():
        do_close_year(hand.year, deputy, build_archive=False)
        hand.year.refresh_from_db()
    assert hand.year.closed_at is not None
    closed = client.post(url, {"reason": "Другое"})
    assert closed.status_code == 400 and "закрыт" in closed.content.decode()


def test_the_plan_lags_of_every_course_cost_three_queries_whatever_their_number(
    hand, django_assert_num_queries
):
    from archive.services.closing import plan_lags

    with scopes_disabled():
        _behind(hand, "russian")
        with django_assert_num_queries(3):
            assert len(plan_lags(hand.year)) == 1
        for key in ("math", "pe", "english"):
            _behind(hand, key, topics=5)
        with django_assert_num_queries(3):
            found = plan_lags(hand.year)
    assert [g.text.split(":")[0] for g in found] == [
        "5А, Английский язык", "5А, Математика", "5А, Русский язык", "5А, Физическая культура",
    ]  # fmt: skip


def test_the_deputy_closes_the_year_from_the_checklist_and_the_archive_is_built(
    hand, client, django_capture_on_commit_callbacks
):
    deputy = make_member(hand.school, Role.DEPUTY)
    client.force_login(deputy)
    page = school_reverse(hand.school, "archive:checklist", pk=hand.year.pk)
    close = school_reverse(hand.school, "archive:close_year", pk=hand.year.pk)
    text = client.get(page).content.decode()
    assert "нет годовой отметки" in text and "Закрыть учебный год" not in text
    refused = client.post(close, {"confirm": "yes"})
    assert refused.status_code == 400 and "Год нельзя закрыть" in refused.content.decode()
    with scopes_disabled():
        hand.year.refresh_from_db()
        assert hand.year.closed_at is None
    give_year_marks(hand)
    assert "Закрыть учебный год" in client.get(page).content.decode()
    unconfirmed = client.post(close, {})
    assert unconfirmed.status_code == 400 and "Подтвердите" in unconfirmed.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the build is queued on commit
        response = client.post(close, {"confirm": "yes"})
    assert response.status_code == 302
    with scopes_disabled():
        hand.year.refresh_from_db()
        assert (hand.year.closed_by, hand.year.closed_at is not None) == (deputy, True)
        assert ArchiveBuild.objects.get(year=hand.year).finished_at is not None
        assert ArchiveDocument.objects.filter(year=hand.year, kind="journal").count() == 3
    again = client.post(close, {"confirm": "yes"})
    assert again.status_code == 400 and "уже закрыт" in again.content.decode()


def test_a_year_closed_by_the_service_refuses_every_write_path(monkeypatch):
    """The write policy's test of every write path (tests/grading/test_policy.py), with the
    year closed by do_close_year rather than by setting the field."""
    from tests.grading import test_policy

    def close(journal):
        with scopes_disabled():
            year = journal.course.year
            deputy = make_member(journal.school, Role.DEPUTY)
            # The policy test's journal has no year marks: its checklist is not the subject.
            monkeypatch.setattr("archive.services.closing.blocking_gaps", lambda items: 0)
            do_close_year(year, deputy, build_archive=False)
            year.refresh_from_db()
            assert year.closed_at is not None and year.closed_at <= timezone.now()

    monkeypatch.setattr(test_policy, "close_year", close)
    test_policy.test_a_closed_year_refuses_every_write_path()


def test_open_shortfalls_of_the_control_are_listed_and_acknowledged_in_closing(hand):
    from datetime import date

    from reports.models import Shortfall

    give_year_marks(hand)
    math = hand.courses["math"]
    with scopes_disabled():
        lesson = Lesson.objects.create(
            school=hand.school, course=math, date=date(2025, 10, 6), number=1
        )
        for n, kind in enumerate(["topic", "topic", "homework"]):
            Shortfall.objects.create(
                school=hand.school, kind=kind, key=f"k{n}", course=math, lesson=lesson,
                teacher=hand.teachers["math"], deadline=lesson.date,
            )  # fmt: skip
        Shortfall.objects.create(
            school=hand.school, kind="topic", key="fixed", course=math, lesson=lesson,
            teacher=hand.teachers["math"], deadline=lesson.date, fixed_at=timezone.now(),
        )  # fmt: skip
    found = gaps(hand.year)["control"]
    assert [g.text for g in found] == [
        "5А, Математика: не записано домашнее задание — 1",
        "5А, Математика: не записана тема урока — 2",
    ]
    assert found[1].url == school_reverse(hand.school, "journal:lesson", pk=lesson.pk)
    deputy = make_member(hand.school, Role.DEPUTY)
    with scopes_disabled():
        with pytest.raises(ValidationError, match="приняты к сведению"):
            do_close_year(hand.year, deputy, build_archive=False, acknowledged=False)
        do_close_year(hand.year, deputy, build_archive=False, acknowledged=True)
