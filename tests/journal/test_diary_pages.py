"""The diary as a parent reads it on a phone: what is visible on the page (not only in a
tooltip), final marks of every kind at once, the children switch, sign-ins and visits."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import LoginEvent, ParentLink
from grading.models import FinalMark
from journal.models import DiaryVisit
from schedule.models import Lesson, TimetableEntry
from tests.factories import PASSWORD, make_class, make_course, make_pupil, make_subject
from tests.reports.builders import add_absence, add_homework, add_mark, build_family

pytestmark = pytest.mark.django_db


class _Text(HTMLParser):
    """The text a reader sees: character data only, no attributes (a `title` is a tooltip,
    which a phone never shows), nothing inside <script> or <style>."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible(response) -> str:
    parser = _Text()
    parser.feed(response.content.decode())
    return " ".join("".join(parser.parts).split())


def path(family, name="journal:diary_week", pupil=None, **query):
    url = reverse(
        name, kwargs={"school_slug": family.school.slug, "pupil": (pupil or family.pupil).pk}
    )
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def lesson(family, course=None, day=0, number=1, **kwargs):
    with scopes_disabled():
        return Lesson.objects.create(
            school=family.school,
            course=course or family.courses[0],
            date=family.monday + timedelta(days=day),
            number=number,
            **kwargs,
        )


def final(family, kind, value, period=None, course=None):
    with scopes_disabled():
        return FinalMark.objects.create(
            school=family.school,
            pupil=family.pupil,
            course=course or family.courses[0],
            period=period,
            kind=kind,
            value=value,
            set_by=family.teacher,
        )


def test_each_mark_of_the_week_says_its_work_type_and_comment_in_plain_text(client):
    family = build_family(subjects=1)
    test = lesson(family, kind=Lesson.Kind.TEST, topic="Дроби")
    add_mark(test, family.pupil, "4", kind=Lesson.Kind.TEST, comment="Ошибка в задаче 3")
    add_mark(lesson(family, day=1), family.pupil, "5")  # no comment: the work type still shows
    add_absence(lesson(family, day=2), family.pupil, "ill")
    add_homework(test, text="№ 101", files=1)
    client.force_login(family.parent)
    text = visible(client.get(path(family, week=family.monday.isoformat())))
    assert "Отметка 4 — Контрольная работа: «Ошибка в задаче 3»" in text
    assert "Отметка 5 — Ответ на уроке" in text
    assert "Дроби" in text and "№ 101" in text and "задание-1.pdf" in text
    assert "б" in text.split()  # the absence, its reason in the tooltip and the summary


def test_the_marks_page_lists_every_mark_with_its_date_and_work_type(client):
    family = build_family(subjects=1)
    first = lesson(family, day=0, kind=Lesson.Kind.TEST)
    add_mark(first, family.pupil, "3", kind=Lesson.Kind.TEST, comment="Повторить")
    add_mark(lesson(family, day=2), family.pupil, "5")
    client.force_login(family.pupil_user)
    text = visible(client.get(path(family, "journal:diary_marks", period=family.period.pk)))
    day0, day2 = family.monday, family.monday + timedelta(days=2)
    assert f"{day0:%d.%m} 3 — Контрольная работа (вес 2): «Повторить»" in text
    assert f"{day2:%d.%m} 5 — Ответ на уроке" in text
    assert "3,67" in text  # (3·2 + 5) / 3
    assert "для пятёрки нужно ещё 5 пятёрок" in text  # (6 + 5 + 5n) / (3 + n) ≥ 4.5


def test_year_exam_and_final_marks_appear_as_soon_as_they_are_set(client):
    family = build_family(subjects=1)
    add_mark(lesson(family), family.pupil, "4")
    client.force_login(family.parent)
    marks = path(family, "journal:diary_marks", period=family.period.pk)
    before = visible(client.get(marks))
    assert "Годовая отметка" not in before and "Экзамен" not in before
    final(family, FinalMark.Kind.PERIOD, FinalMark.Value.FOUR, period=family.period)
    final(family, FinalMark.Kind.YEAR, FinalMark.Value.FIVE)
    final(family, FinalMark.Kind.EXAM, FinalMark.Value.FOUR)
    final(family, FinalMark.Kind.FINAL, FinalMark.Value.FIVE)
    text = visible(client.get(marks))
    assert "Отметка за период: 4" in text
    assert "Годовая отметка: 5" in text
    assert "Экзамен: 4" in text and "Итоговая: 5" in text
    # With the period mark set, the forecast is no longer offered.
    assert "Прогноз за период" not in text and "нужно ещё" not in text


def test_a_parent_switches_children_in_two_classes_keeping_the_tab_and_week(client):
    family = build_family(subjects=1)
    lesson(family, topic="Урок пятого класса")
    six = make_class(family.school, 6, "В", class_teacher=family.class_teacher)
    history = make_course(six, make_subject(family.school, "История"), [family.teacher])
    daughter = make_pupil(family.school, six, first_name="Анна", last_name="Смирнова")
    with scopes_disabled():
        ParentLink.objects.create(school=family.school, parent=family.parent, pupil=daughter)
    lesson(family, course=history, day=1, topic="Урок шестого класса")
    client.force_login(family.parent)
    week = family.monday.isoformat()
    son_page = client.get(path(family, week=week)).content.decode()
    assert path(family, pupil=daughter, week=week) in son_page
    daughter_page = client.get(path(family, pupil=daughter, week=week))
    text = visible(daughter_page)
    assert "Смирнова Анна" in text and "6В" in text
    assert "Урок шестого класса" in text and "Урок пятого класса" not in text
    # On the marks tab, the switch goes to the other child's marks tab.
    marks = client.get(path(family, "journal:diary_marks")).content.decode()
    assert path(family, "journal:diary_marks", pupil=daughter) in marks


def test_the_diary_pages_are_made_for_a_phone_and_in_russian(client):
    family = build_family(subjects=2, days=5, per_day=3)
    with scopes_disabled():
        TimetableEntry.objects.create(
            school=family.school,
            course=family.courses[0],
            weekday=1,
            number=1,
            valid_from=family.year.start,
            valid_to=family.year.end,
        )
    client.force_login(family.parent)
    english = ("Monday", "Previous", "Next", "None", "Marks", "Attendance", "Timetable")
    for name in (
        "journal:diary_week",
        "journal:diary_marks",
        "journal:diary_attendance",
        "journal:diary_timetable",
    ):
        response = client.get(path(family, name))
        assert response.status_code == 200
        page = response.content.decode()
        assert '<html lang="ru">' in page
        assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
        assert "css/diary.css" in page
        # A wide table scrolls inside its box instead of widening a phone's page.
        assert page.count("<table") == page.count('<div class="scroll-x"><table')
        text = visible(response)
        for word in ("Неделя", "Отметки", "Посещаемость", "Расписание"):
            assert word in text
        for word in english:
            assert word not in text, (name, word)


def test_a_parent_and_a_pupil_signing_in_are_recorded_and_so_are_their_diary_visits(client):
    family = build_family(subjects=1, days=1, per_day=1)
    login = reverse("login")
    for user in (family.parent, family.pupil_user):
        client.logout()
        response = client.post(login, {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302
        assert client.get(path(family)).status_code == 200
        client.get(path(family, "journal:diary_marks"))  # the same day: no second visit
    with scopes_disabled():
        signed_in = LoginEvent.objects.filter(succeeded=True)
        logins = sorted(signed_in.filter(school=None).values_list("user_id", flat=True))
        entries = sorted(signed_in.filter(school=family.school).values_list("user_id", flat=True))
        visits = sorted(DiaryVisit.objects.values_list("user_id", "pupil_id", "school_id"))
    assert logins == entries == sorted([family.parent.pk, family.pupil_user.pk])
    assert visits == sorted(
        (user.pk, family.pupil.pk, family.school.pk) for user in (family.parent, family.pupil_user)
    )


def test_what_teachers_type_is_shown_as_text_never_as_markup(client):
    family = build_family(subjects=1)
    item = lesson(family, topic="<script>alert(1)</script> & «дроби»", status_reason="<b>")
    add_mark(item, family.pupil, "5", comment='"><img src=x>')
    add_homework(item, text="Стр. 5\n<i>№ 7</i>")
    client.force_login(family.parent)
    page = client.get(path(family, week=family.monday.isoformat())).content.decode()
    assert "<script>alert" not in page and "<img src=x>" not in page and "<i>№ 7" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; «дроби»" in page
    assert "Стр. 5<br>&lt;i&gt;№ 7&lt;/i&gt;" in page


def test_two_marks_forecast_no_period_mark_on_the_marks_page(client):
    family = build_family(subjects=1)
    add_mark(lesson(family, day=0), family.pupil, "5")
    add_mark(lesson(family, day=1), family.pupil, "4")
    client.force_login(family.parent)
    text = visible(client.get(path(family, "journal:diary_marks", period=family.period.pk)))
    assert "4,50" in text
    assert "Прогноз за период: н/а — мало отметок" in text
    assert "Прогноз за период: 5" not in text


def test_the_timetable_lists_every_day_for_a_phone(client):
    family = build_family(subjects=1)
    with scopes_disabled():
        for weekday in range(1, 6):
            TimetableEntry.objects.create(
                school=family.school,
                course=family.courses[0],
                weekday=weekday,
                number=1,
                valid_from=family.year.start,
                valid_to=family.year.end,
            )
    client.force_login(family.parent)
    html = client.get(path(family, "journal:diary_timetable")).content.decode()
    days = html.partition('class="tt-days"')[2]
    for name in ("Понедельник", "Вторник", "Среда", "Четверг", "Пятница"):
        assert f"<h3>{name}</h3>" in days.lower().replace(name.lower(), name), name
