"""The parents' and pupils' diary: the week, marks by subject, attendance, timetable."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import ParentLink, Role
from grading.models import FinalMark
from journal.models import Announcement, DiaryVisit
from schedule.models import Lesson, Room, Subgroup, SubgroupMembership, TimetableEntry
from tests.factories import make_course, make_member, make_parent, make_pupil, make_school
from tests.reports.builders import (
    add_absence,
    add_homework,
    add_mark,
    build_family,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(family, name="journal:diary_week", pupil=None, **query):
    path = reverse(
        name, kwargs={"school_slug": family.school.slug, "pupil": (pupil or family.pupil).pk}
    )
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def week_url(family, pupil=None):
    return url(family, pupil=pupil, week=family.monday.isoformat())


def lesson(family, course=None, day=0, number=1, **kwargs):
    with scopes_disabled():
        return Lesson.objects.create(
            school=family.school,
            course=course or family.courses[0],
            date=family.monday + timedelta(days=day),
            number=number,
            **kwargs,
        )


def test_the_week_shows_lessons_topics_homework_marks_and_absences(client):
    family = build_family(subjects=2)
    first = lesson(family, topic="Дроби", kind=Lesson.Kind.TEST)
    add_mark(first, family.pupil, "5", kind=Lesson.Kind.TEST, comment="Без ошибок")
    add_homework(first, text="Упражнение 7", files=1)
    second = lesson(family, course=family.courses[1], day=1, number=2)
    add_absence(second, family.pupil, code="late", minutes=10)
    client.force_login(family.parent)
    page = client.get(week_url(family)).content.decode()
    for text in ("Дроби", "Предмет 1", "Упражнение 7", "задание-1.pdf", "Без ошибок", "о10"):
        assert text in page
    assert "Контрольная работа" in page  # the mark's work type
    assert 'class="mk m5 heavy"' in page  # a heavy mark stands out


def test_a_parent_and_the_pupil_see_the_same_week(client):
    family = build_family(days=2, per_day=2)
    client.force_login(family.parent)
    by_parent = client.get(week_url(family))
    client.force_login(family.pupil_user)
    by_pupil = client.get(week_url(family))
    assert by_parent.status_code == by_pupil.status_code == 200
    assert (
        by_parent.context["days"][0]["lessons"][0]["marks"]
        == (by_pupil.context["days"][0]["lessons"][0]["marks"])
    )


def test_subgroups_are_applied(client):
    family = build_family(subjects=1)
    with scopes_disabled():
        english = family.courses[0].subject
        groups = [
            Subgroup.objects.create(
                school=family.school, school_class=family.school_class, subject=english, name=n
            )
            for n in ("1 группа", "2 группа")
        ]
        SubgroupMembership.objects.create(
            school=family.school, subgroup=groups[0], pupil=family.pupil, start=family.year.start
        )
    mine = make_course(family.school_class, english, [family.teacher], subgroup=groups[0])
    theirs = make_course(family.school_class, english, [family.teacher], subgroup=groups[1])
    lesson(family, course=mine, topic="Наша группа")
    lesson(family, course=theirs, topic="Чужая группа")
    client.force_login(family.parent)
    page = client.get(week_url(family)).content.decode()
    assert "Наша группа" in page
    assert "Чужая группа" not in page


def test_lessons_before_the_pupil_arrived_are_not_theirs(client):
    family = build_family(subjects=1)
    late = make_pupil(family.school, family.school_class, start=family.monday + timedelta(days=2))
    make_parent(family.school, late, "late_parent")
    lesson(family, day=0, topic="До прибытия")
    lesson(family, day=3, topic="После прибытия")
    with scopes_disabled():
        parent = ParentLink.objects.get(pupil=late).parent
    client.force_login(parent)
    page = client.get(week_url(family, pupil=late)).content.decode()
    assert "После прибытия" in page
    assert "До прибытия" not in page


def test_substitutions_cancellations_and_moves_are_shown(client):
    family = build_family(subjects=1)
    substitute = make_member(family.school, Role.TEACHER, last_name="Заменова")
    lesson(family, number=1, substitute=substitute, topic="Замена")
    lesson(family, number=2, status=Lesson.Status.CANCELLED, status_reason="болезнь учителя")
    target = lesson(family, day=2, number=5)
    lesson(family, number=3, status=Lesson.Status.MOVED, moved_to=target)
    client.force_login(family.parent)
    page = client.get(week_url(family)).content.decode()
    assert "замена:" in page and "Заменова" in page
    assert "урок отменён" in page and "болезнь учителя" in page
    assert f"перенесён на {target.date:%d.%m}" in page


def test_the_week_moves_back_and_forth(client):
    family = build_family(days=1, per_day=1)
    client.force_login(family.parent)
    response = client.get(week_url(family))
    previous = (family.monday - timedelta(days=7)).isoformat()
    following = (family.monday + timedelta(days=7)).isoformat()
    page = response.content.decode()
    assert f"?week={previous}" in page and f"?week={following}" in page
    # Any day of a week shows that week.
    response = client.get(url(family, week=(family.monday + timedelta(days=3)).isoformat()))
    assert response.context["monday"] == family.monday


def test_a_malformed_week_is_a_form_error(client):
    family = build_family()
    client.force_login(family.parent)
    response = client.get(url(family, week="2025-02-30"))
    assert response.status_code == 400
    assert "Неверная дата недели" in response.content.decode()


def test_a_parent_switches_between_children(client):
    family = build_family(days=1, per_day=1)
    sister = make_pupil(family.school, family.school_class, first_name="Анна")
    with scopes_disabled():
        ParentLink.objects.create(school=family.school, parent=family.parent, pupil=sister)
    client.force_login(family.parent)
    page = client.get(week_url(family)).content.decode()
    assert url(family, pupil=sister, week=family.monday.isoformat()) in page
    assert client.get(week_url(family, pupil=sister)).status_code == 200
    # The entry page goes to the first child.
    entry = client.get(reverse("journal:diary", kwargs={"school_slug": family.school.slug}))
    assert entry.status_code == 302


def test_a_pupil_sees_only_themselves(client):
    family = build_family()
    sister = make_pupil(family.school, family.school_class, first_name="Анна")
    with scopes_disabled():
        ParentLink.objects.create(school=family.school, parent=family.parent, pupil=sister)
    client.force_login(family.pupil_user)
    assert client.get(week_url(family)).status_code == 200
    for name in ("journal:diary_week", "journal:diary_marks", "journal:diary_attendance"):
        assert client.get(url(family, name, pupil=sister)).status_code == 404
    response = client.get(week_url(family))
    assert response.context["children"] == []
    assert "Анна" not in response.content.decode()


DIARY_URLS = [
    "journal:diary_week",
    "journal:diary_marks",
    "journal:diary_attendance",
    "journal:diary_timetable",
]


@pytest.mark.parametrize("name", DIARY_URLS)
def test_another_pupil_answers_404_whatever_the_parameters(client, name):
    family = build_family()
    stranger = make_pupil(family.school, family.school_class, last_name="Чужой")
    make_parent(family.school, stranger)
    client.force_login(family.parent)
    for query in ({}, {"week": family.monday.isoformat()}, {"week": "junk"}, {"period": "1"}):
        assert client.get(url(family, name, pupil=stranger, **query)).status_code == 404
    # A pupil number that does not exist reads the same.
    assert client.get(url(family, name, pupil=type(stranger)(pk=10**9))).status_code == 404


@pytest.mark.parametrize("name", DIARY_URLS)
def test_a_parent_of_another_school_gets_404(client, name):
    family = build_family()
    other = build_family(school=make_school())
    client.force_login(other.parent)
    # Their own school's address with our pupil, and our school's address: both 404.
    path = reverse(name, kwargs={"school_slug": other.school.slug, "pupil": family.pupil.pk})
    assert client.get(path).status_code == 404
    assert client.get(url(family, name)).status_code == 404


def test_the_class_teacher_reads_the_diaries_of_their_class_only(client):
    family = build_family()
    other = build_family(school=family.school, grade=6, letter="Б")
    client.force_login(family.class_teacher)
    assert client.get(week_url(family)).status_code == 200
    assert client.get(week_url(other)).status_code == 404


def test_announcements_of_the_school_and_the_class_are_in_the_week(client):
    family = build_family()
    other = build_family(school=family.school, grade=6, letter="Б")
    with scopes_disabled():
        for school_class, title in (
            (None, "Для всей школы"),
            (family.school_class, "Для нашего класса"),
            (other.school_class, "Для другого класса"),
        ):
            Announcement.objects.create(
                school=family.school,
                school_class=school_class,
                title=title,
                body="…",
                author=family.class_teacher,
            )
    client.force_login(family.parent)
    page = client.get(url(family)).content.decode()
    assert "Для всей школы" in page and "Для нашего класса" in page
    assert "Для другого класса" not in page


def marks_url(family, **query):
    return url(family, "journal:diary_marks", period=family.period.pk, **query)


def test_marks_by_subject_show_every_mark_the_average_and_the_forecast(client):
    family = build_family(subjects=1)
    for day, value in enumerate(("4", "4", "4")):
        add_mark(lesson(family, day=day), family.pupil, value, comment="Устно" if day else "")
    client.force_login(family.parent)
    response = client.get(marks_url(family))
    item = response.context["subjects"][0]
    assert [m.value for _d, m in item.marks] == ["4", "4", "4"]
    assert item.average == "4,00"
    page = response.content.decode()
    assert "Для пятёрки нужно ещё три пятёрки" in page
    assert "Прогноз за период:" in page


def test_a_heavy_test_counts_double_in_the_average(client):
    family = build_family(subjects=1)
    add_mark(lesson(family, day=0, kind=Lesson.Kind.TEST), family.pupil, "2", Lesson.Kind.TEST)
    add_mark(lesson(family, day=1), family.pupil, "5")
    client.force_login(family.parent)
    item = client.get(marks_url(family)).context["subjects"][0]
    assert item.average == "3,00"  # (2·2 + 5) / 3


def test_a_final_mark_appears_in_the_diary_as_soon_as_it_is_set(client):
    family = build_family(subjects=1)
    add_mark(lesson(family), family.pupil, "5")
    client.force_login(family.parent)
    assert client.get(marks_url(family)).context["subjects"][0].period_final is None
    with scopes_disabled():
        FinalMark.objects.create(
            school=family.school,
            pupil=family.pupil,
            course=family.courses[0],
            period=family.period,
            kind=FinalMark.Kind.PERIOD,
            value=FinalMark.Value.FIVE,
            set_by=family.teacher,
        )
    response = client.get(marks_url(family))
    assert response.context["subjects"][0].period_final == ("5", "5")
    assert "Отметка за период:" in response.content.decode()


def test_a_period_that_is_not_the_pupils_is_404(client):
    family = build_family()
    other = build_family(school=make_school())
    client.force_login(family.parent)
    response = client.get(url(family, "journal:diary_marks", period=other.period.pk))
    assert response.status_code == 404


def test_the_attendance_summary_counts_lessons_and_absences(client, monkeypatch):
    family = build_family(subjects=1)
    lessons = [lesson(family, day=d) for d in range(4)]
    add_absence(lessons[0], family.pupil, "ill")
    add_absence(lessons[1], family.pupil, "absent")
    add_absence(lessons[2], family.pupil, "late", minutes=5)
    monkeypatch.setattr(timezone, "localdate", lambda *a: family.monday + timedelta(days=6))
    client.force_login(family.parent)
    response = client.get(url(family, "journal:diary_attendance", period=family.period.pk))
    total = response.context["total"]
    assert (total.lessons, total.missed, total.ill, total.absent, total.late) == (4, 2, 1, 1, 1)
    assert "о5" in response.content.decode()


def test_the_timetable_shows_the_pupils_week(client):
    family = build_family(subjects=1)
    with scopes_disabled():
        room = Room.objects.create(school=family.school, name="204")
        TimetableEntry.objects.create(
            school=family.school,
            course=family.courses[0],
            weekday=2,
            number=3,
            room=room,
            valid_from=family.year.start,
            valid_to=family.year.end,
        )
    client.force_login(family.pupil_user)
    page = client.get(url(family, "journal:diary_timetable")).content.decode()
    assert "Предмет 1" in page or "Пред." in page
    assert "204" in page and "Учителева" in page


def test_a_visit_is_recorded_once_a_day_per_user_and_pupil(client):
    family = build_family()
    client.force_login(family.parent)
    for _ in range(3):
        client.get(week_url(family))
    client.get(marks_url(family))
    client.force_login(family.pupil_user)
    client.get(week_url(family))
    with scopes_disabled():
        visits = list(DiaryVisit.objects.values_list("user_id", "pupil_id", "day"))
    today = timezone.localdate()
    assert sorted(visits) == sorted(
        [(family.parent.pk, family.pupil.pk, today), (family.pupil_user.pk, family.pupil.pk, today)]
    )


# --- Query counts -------------------------------------------------------------------------


def count_queries(client, path) -> int:
    client.get(path)  # warm: the session stamp, the day's visit, the unread badge
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def sized_family(small: bool):
    if small:
        family = build_family(subjects=1, days=1, per_day=1)
    else:
        family = build_family(subjects=8, days=6, per_day=7, files=2)
        with scopes_disabled():
            for n in range(4):
                Announcement.objects.create(
                    school=family.school,
                    school_class=family.school_class if n % 2 else None,
                    title=f"Объявление {n}",
                    body="…",
                    author=family.class_teacher,
                )
    sister = make_pupil(family.school, family.school_class, first_name="Анна")
    with scopes_disabled():
        ParentLink.objects.create(school=family.school, parent=family.parent, pupil=sister)
    return family


@pytest.mark.parametrize("page", ["week", "marks"])
def test_the_diary_costs_the_same_few_queries_at_two_sizes(client, page):
    counts = []
    for small in (True, False):
        family = sized_family(small)
        client.force_login(family.parent)
        path = week_url(family) if page == "week" else marks_url(family)
        counts.append(count_queries(client, path))
    if page == "week":
        assert len(family.lessons) == 42
    assert counts[0] == counts[1], counts
    assert counts[0] <= 8, counts


def test_the_leaderships_view_costs_no_more(client):
    family = build_family(subjects=3, days=5, per_day=3)
    deputy = make_member(family.school, Role.DEPUTY)
    client.force_login(deputy)
    assert count_queries(client, week_url(family)) <= 8
    assert count_queries(client, marks_url(family)) <= 8
