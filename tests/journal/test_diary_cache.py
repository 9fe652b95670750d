"""The diary's week and marks are kept in the cache per pupil and version of the courses of
the pupil's classes (schedule.versions): a second view is cheaper, and every kind of change
the page shows is on the very next view.

Each test views the page first (so that it is cached), changes something and views again.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from accounts.models import School
from grading.models import FinalMark, Mark
from journal.models import Attendance, Homework
from schedule.models import (
    Bell,
    BellSchedule,
    Enrolment,
    Lesson,
    Room,
    StudyPeriod,
    Subgroup,
    SubgroupMembership,
)
from schedule.versions import course_key
from tests.factories import make_class, make_course, make_pupil, set_rules
from tests.reports.builders import add_absence, add_homework, add_mark, build_family, make_subject

from .test_diary import lesson, marks_url, week_url

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def family(client):
    family = build_family(subjects=2)
    family.first = lesson(family, topic="Дроби")
    client.force_login(family.parent)
    return family


def page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return CSRF.sub("", response.content.decode())


def week(client, family) -> str:
    return page(client, week_url(family))


def marks(client, family) -> str:
    return page(client, marks_url(family))


@pytest.mark.parametrize("tab", ["week", "marks"])
def test_a_second_view_is_read_from_the_cache_and_shows_the_same_page(client, tab):
    family = build_family(subjects=4, days=5, per_day=4, files=1)
    client.force_login(family.parent)
    path = week_url(family) if tab == "week" else marks_url(family)
    client.get(path)  # the session stamp, the day's visit, the unread badge
    cache_clear_versions(family)
    with CaptureQueriesContext(connection) as built:
        first = page(client, path)
    with CaptureQueriesContext(connection) as kept:
        second = page(client, path)
    assert first == second
    assert len(kept) < len(built), (len(kept), len(built))
    # Nothing of the lessons, marks or attendance is read for a kept page.
    read = " ".join(q["sql"] for q in kept.captured_queries)
    for table in ("grading_mark", "journal_attendance", "schedule_lesson"):
        assert f'FROM "{table}"' not in read, table


def cache_clear_versions(family):
    from django.core.cache import cache

    cache.delete_many([course_key(c.pk) for c in family.courses])


def test_a_new_changed_or_deleted_mark_shows_at_once(client, family):
    assert 'class="mk m5' not in week(client, family)
    assert "Отметок пока нет" in marks(client, family)
    mark = add_mark(family.first, family.pupil, "5")
    assert 'class="mk m5' in week(client, family)
    assert 'class="mk m5' in marks(client, family)
    with scopes_disabled():
        mark.value, mark.points = Mark.Value.THREE, 3
        mark.save()
    assert 'class="mk m3' in week(client, family)
    assert 'class="mk m3' in marks(client, family)
    with scopes_disabled():
        mark.delete()
    assert 'class="mk m3' not in week(client, family)
    assert "Отметок пока нет" in marks(client, family)


def test_an_absence_shows_at_once(client, family):
    assert 'class="abs"' not in week(client, family)
    absence = add_absence(family.first, family.pupil, code="ill")
    assert re.search(r'<span class="abs" title="[^"]+">б</span>', week(client, family))
    with scopes_disabled():
        absence.code = Attendance.Code.LATE
        absence.minutes_late = 7
        absence.save()
    assert ">о7</span>" in week(client, family)


def test_homework_and_its_files_show_at_once(client, family):
    assert "№ 245" not in week(client, family)
    homework = add_homework(family.first, text="№ 245")
    assert "№ 245" in week(client, family)
    assert "задание-1.pdf" not in week(client, family)
    with scopes_disabled():
        homework = Homework.objects.get(pk=homework.pk)
    add_file(homework)
    assert "задание-1.pdf" in week(client, family)
    with scopes_disabled():
        attachment = homework.attachments.get()
        attachment.removed_at = attachment.uploaded_at
        attachment.save()
    assert "задание-1.pdf" not in week(client, family)


def add_file(homework):
    from django.core.files.base import ContentFile

    from journal.models import HomeworkAttachment

    with scopes_disabled():
        attachment = HomeworkAttachment(
            school=homework.school,
            homework=homework,
            name="задание-1.pdf",
            size=2048,
            uploaded_by=homework.created_by,
        )
        attachment.file.save("task.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        attachment.save()


def test_a_topic_a_room_and_a_cancelled_lesson_show_at_once(client, family):
    assert "Дроби" in week(client, family)
    with scopes_disabled():
        room = Room.objects.create(school=family.school, name="204")
        family.first.topic = "Десятичные дроби"
        family.first.room = room
        family.first.save()
    html = week(client, family)
    assert "Десятичные дроби" in html and "каб. 204" in html
    with scopes_disabled():
        room.name = "305"
        room.save()
    assert "каб. 305" in week(client, family)
    with scopes_disabled():
        family.first.status = Lesson.Status.CANCELLED
        family.first.status_reason = "Карантин"
        family.first.save()
    assert "урок отменён</strong> (Карантин)" in week(client, family)


def test_a_new_lesson_and_a_new_course_of_the_class_show_at_once(client, family):
    assert "Предмет 2" not in week(client, family)
    lesson(family, course=family.courses[1], day=1, number=2)
    assert "Предмет 2" in week(client, family)
    assert "Астрономия" not in marks(client, family)
    course = make_course(family.school_class, make_subject(family.school, "Астрономия"))
    assert "Астрономия" in marks(client, family)
    with scopes_disabled():
        Lesson.objects.create(
            school=family.school, course=course, date=family.monday + timedelta(days=2), number=3
        )
    assert "Астрономия" in week(client, family)
    assert "Астрономия" in marks(client, family)


def test_a_final_mark_shows_at_once(client, family):
    add_mark(family.first, family.pupil, "4")
    assert "Отметка за период:" not in marks(client, family)
    with scopes_disabled():
        final = FinalMark.objects.create(
            school=family.school,
            pupil=family.pupil,
            course=family.courses[0],
            period=family.period,
            kind=FinalMark.Kind.PERIOD,
            value=FinalMark.Value.FIVE,
            set_by=family.teacher,
        )
    assert "Отметка за период: <strong>5</strong>" in marks(client, family)
    with scopes_disabled():
        final.value = FinalMark.Value.FOUR
        final.save()
    assert "Отметка за период: <strong>4</strong>" in marks(client, family)


def test_an_enrolment_and_a_subgroup_change_show_at_once(client, family):
    other = make_class(family.school, 6, "Б")
    theirs = make_course(other, make_subject(family.school, "Черчение"))
    with scopes_disabled():
        Lesson.objects.create(school=family.school, course=theirs, date=family.monday, number=5)
    assert "Черчение" not in week(client, family)
    with scopes_disabled():
        stay = Enrolment.objects.get(pupil=family.pupil, school_class=family.school_class)
        stay.end = family.monday
        stay.save()
        Enrolment.objects.create(
            school=family.school,
            pupil=family.pupil,
            school_class=other,
            start=family.monday + timedelta(days=1),
        )
    html = week(client, family)
    assert "Черчение" not in html  # the other class's Monday: the pupil was not in it yet
    with scopes_disabled():
        moved = Enrolment.objects.get(pupil=family.pupil, school_class=other)
        moved.start = family.monday
        moved.save()
    assert "Черчение" in week(client, family)
    with scopes_disabled():
        group = Subgroup.objects.create(
            school=family.school,
            school_class=family.school_class,
            subject=make_subject(family.school, "Технология"),
            name="Группа Б",
        )
    group_course = make_course(family.school_class, subgroup=group)
    with scopes_disabled():
        Lesson.objects.create(
            school=family.school, course=group_course, date=family.monday, number=6
        )
    assert "(Группа Б)" not in week(client, family)
    with scopes_disabled():
        SubgroupMembership.objects.create(
            school=family.school, subgroup=group, pupil=family.pupil, start=family.period.start
        )
    assert "(Группа Б)" in week(client, family)


def test_a_period_and_the_schools_rules_show_at_once(client, family):
    for day in range(3):
        add_mark(lesson(family, day=day, number=3), family.pupil, "4")
    wanting = "Для отметки за период нужно ещё две отметки"
    html = marks(client, family)
    assert wanting not in html and html.count('class="mk m4') == 3
    set_rules(family.school, min_marks_for_period=5)
    assert wanting in marks(client, family)
    with scopes_disabled():
        period = StudyPeriod.objects.get(pk=family.period.pk)
        period.end = family.monday + timedelta(days=1)  # the third mark falls outside it
        period.save()
    html = marks(client, family)
    assert html.count('class="mk m4') == 2


def test_bell_times_show_at_once(client, family):
    with scopes_disabled():
        bells = BellSchedule.objects.create(school=family.school, name="Первая смена")
        family.school_class.bell_schedule = bells
        family.school_class.save()
        bell = Bell.objects.create(
            school=family.school, schedule=bells, number=1, start="08:30", end="09:10"
        )
    assert "08:30–09:10" in week(client, family)
    with scopes_disabled():
        bell.start = "08:00"
        bell.end = "08:40"
        bell.save()
    assert "08:00–08:40" in week(client, family)


def reads_lessons(client, path) -> bool:
    """Whether viewing `path` builds the page anew (reads the lessons)."""
    with CaptureQueriesContext(connection) as queries:
        page(client, path)
    return any('FROM "schedule_lesson"' in q["sql"] for q in queries.captured_queries)


def test_each_language_has_its_own_page(client, family):
    path = week_url(family)
    assert reads_lessons(client, path)
    assert not reads_lessons(client, path)
    client.cookies["django_language"] = "en"
    assert reads_lessons(client, path)  # not the Russian page
    assert not reads_lessons(client, path)
    client.cookies["django_language"] = "ru"
    assert not reads_lessons(client, path)


def test_the_next_school_day_moves_today_without_any_change(client, family, monkeypatch):
    wednesday = family.monday + timedelta(days=2)
    today_marker = re.compile(r'<section class="day today"><h2>Среда, ')
    if family.school.today() != wednesday:
        assert not today_marker.search(week(client, family))
    moved = family.school.now() + (wednesday - family.school.today())
    monkeypatch.setattr(School, "now", lambda school: moved)
    assert today_marker.search(week(client, family))


def test_a_change_in_another_class_keeps_the_page(client, family):
    other = build_family(school=family.school, letter="Б", subjects=1)
    week(client, family)
    add_mark(lesson(other), other.pupil, "2")
    assert not reads_lessons(client, week_url(family))
    add_mark(family.first, family.pupil, "2")
    assert reads_lessons(client, week_url(family))


def test_an_announcement_and_its_withdrawal_show_at_once(client, family):
    from journal.models import Announcement

    assert "Родительское собрание" not in week(client, family)
    with scopes_disabled():
        item = Announcement.objects.create(
            school=family.school,
            school_class=family.school_class,
            title="Родительское собрание",
            body="В четверг.",
            author=family.class_teacher,
        )
    assert "Родительское собрание" in week(client, family)
    with scopes_disabled():
        item.withdrawn_at = family.school.now()
        item.save()
    assert "Родительское собрание" not in week(client, family)


def test_whom_the_viewer_reads_follows_their_grants_at_once(client, family):
    from accounts.models import Membership, ParentLink, Role
    from accounts.services import end_role

    path = week_url(family)
    assert client.get(path).status_code == 200  # the viewer's rows are kept now
    sister = make_pupil(family.school, family.school_class, first_name="Анна")
    with scopes_disabled():
        ParentLink.objects.create(school=family.school, parent=family.parent, pupil=sister)
    assert "Анна" in week(client, family)  # the switcher names the new child
    with scopes_disabled():
        ParentLink.objects.filter(parent=family.parent, pupil=family.pupil).delete()
    assert client.get(path).status_code == 404
    with scopes_disabled():
        ParentLink.objects.create(school=family.school, parent=family.parent, pupil=family.pupil)
    assert client.get(path).status_code == 200
    with scopes_disabled():
        membership = Membership.objects.get(
            school=family.school, user=family.parent, role=Role.PARENT
        )
    end_role(membership)
    assert client.get(path).status_code in (403, 404)


def test_a_child_in_another_school_linked_after_a_view_is_offered_at_once(client, family):
    from tests.journal.test_diary_switcher import second_school_child

    assert "Смирнова" not in week(client, family)
    assert "Смирнова" not in marks(client, family)
    second_school_child(family.parent)
    assert "Анна Смирнова" in week(client, family)
    assert "Анна Смирнова" in marks(client, family)


def test_a_course_moved_to_another_class_leaves_the_pupils_pages_at_once(client, family):
    course = family.courses[0]
    assert course.subject.name in marks(client, family)
    assert "Дроби" in week(client, family)
    other = make_class(family.school, family.school_class.grade, "Я")
    with scopes_disabled():
        course.school_class = other
        course.save()
    assert course.subject.name not in marks(client, family)
    assert "Дроби" not in week(client, family)


def test_the_unread_count_beside_the_navigation_is_current_on_a_kept_page(client, family):
    from django.core.cache import cache

    from journal.services.messaging import badge_key

    week(client, family)
    cache.set(badge_key(family.school.pk, family.parent.pk), 7)
    assert "✉ 7" in week(client, family)
    cache.set(badge_key(family.school.pk, family.parent.pk), 0)
    assert "✉" not in week(client, family)


@pytest.mark.parametrize("tab", ["week", "marks"])
def test_a_kept_page_reads_only_the_signed_in_user_at_two_sizes(client, tab):
    from .test_diary import sized_family

    counts = []
    for small in (True, False):
        family = sized_family(small)
        client.force_login(family.parent)
        path = week_url(family) if tab == "week" else marks_url(family)
        client.get(path)  # kept now, with the viewer's rows, the visit and the badge
        with CaptureQueriesContext(connection) as kept:
            assert client.get(path).status_code == 200
        counts.append([q["sql"] for q in kept.captured_queries])
    assert [len(c) for c in counts] == [1, 1], counts
    assert all('FROM "accounts_user"' in c[0] for c in counts), counts
