"""The timetable pages: the deputy's grid by class, by teacher and by room; everyone's week."""

from datetime import date, time, timedelta

import pytest
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from schedule.models import Bell, BellSchedule, Lesson, TimetableEntry
from tests.factories import make_member, make_parent, make_pupil

from .timetable_factories import (
    MONDAY,
    class_in,
    course_of,
    entry_of,
    make_room,
    make_teacher,
    make_year,
    subgroup_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy(school):
    return make_member(school, Role.DEPUTY)


@pytest.fixture
def six_b(school):
    return class_in(school, 6, "Б")


@pytest.fixture
def ivanova(school):
    return make_teacher(school)


def url(school, name, **kwargs):
    return school_reverse(school, name, **kwargs)


def lesson_of(course, day, number, **kwargs):
    with scopes_disabled():
        return Lesson.objects.create(
            school=course.school, course=course, date=day, number=number, **kwargs
        )


def test_the_class_grid_shows_each_course_in_its_cell(client, school, deputy, six_b, ivanova):
    entry_of(course_of(six_b, teachers=[ivanova]), weekday=2, number=4, room=make_room(school))
    client.force_login(deputy)

    response = client.get(url(school, "schedule:timetable_class", pk=six_b.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Математика" in page and "Иванова М. П." in page and "каб. 12" in page
    assert (
        url(school, "schedule:timetable_entry_add", pk=six_b.pk) + "?weekday=2&amp;number=4" in page
    )


def test_the_director_reads_the_grid_without_editing(client, school, six_b, ivanova):
    entry = entry_of(course_of(six_b, teachers=[ivanova]))
    client.force_login(make_member(school, Role.DIRECTOR))

    page = client.get(url(school, "schedule:timetable_class", pk=six_b.pk)).content.decode()

    assert "Математика" in page
    assert url(school, "schedule:timetable_entry_edit", pk=entry.pk) not in page


def test_the_deputy_adds_an_entry_from_a_cell(client, school, deputy, six_b, ivanova):
    course = course_of(six_b, teachers=[ivanova])
    client.force_login(deputy)

    response = client.post(
        url(school, "schedule:timetable_entry_add", pk=six_b.pk),
        {"course": course.pk, "weekday": 3, "number": 2, "weeks": "every"},
    )

    assert response.status_code == 302
    with scopes_disabled():
        entry = TimetableEntry.objects.get()
    assert (entry.weekday, entry.number) == (3, 2)
    assert (entry.valid_from, entry.valid_to) == (course.year.start, course.year.end)


def test_a_clash_comes_back_in_russian_and_nothing_is_saved(client, school, deputy, ivanova):
    entry_of(course_of(class_in(school, 6, "Б"), teachers=[ivanova]), room=make_room(school))
    seven_a = class_in(school, 7, "А")
    physics = course_of(seven_a, "Физика", [ivanova])
    client.force_login(deputy)

    response = client.post(
        url(school, "schedule:timetable_entry_add", pk=seven_a.pk),
        {"course": physics.pk, "weekday": 1, "number": 3, "weeks": "every"},
    )

    assert response.status_code == 400
    assert (
        "Учитель Иванова М. П. уже ведёт 6Б Математика в понедельник, 3-й урок (каб. 12)."
        in response.content.decode()
    )
    with scopes_disabled():
        assert TimetableEntry.objects.count() == 1


def test_the_deputy_moves_an_entry_and_removes_another(client, school, deputy, six_b, ivanova):
    course = course_of(six_b, teachers=[ivanova])
    entry, other = entry_of(course, number=1), entry_of(course, number=2)
    client.force_login(deputy)

    moved = client.post(
        url(school, "schedule:timetable_entry_edit", pk=entry.pk),
        {"course": course.pk, "weekday": 5, "number": 6, "weeks": "odd"},
    )
    removed = client.post(url(school, "schedule:timetable_entry_delete", pk=other.pk))

    assert (moved.status_code, removed.status_code) == (302, 302)
    with scopes_disabled():
        assert list(TimetableEntry.objects.values_list("weekday", "number", "weeks")) == [
            (5, 6, "odd")
        ]


def test_a_course_of_another_class_is_not_offered_in_the_cell(client, school, deputy, six_b):
    foreign_course = course_of(class_in(school, 7, "А"), teachers=[make_teacher(school)])
    client.force_login(deputy)

    response = client.post(
        url(school, "schedule:timetable_entry_add", pk=six_b.pk),
        {"course": foreign_course.pk, "weekday": 1, "number": 1, "weeks": "every"},
    )

    assert response.status_code == 400


def test_teacher_and_room_grids_list_their_lessons(client, school, deputy, six_b, ivanova):
    room = make_room(school, "12")
    entry_of(course_of(six_b, teachers=[ivanova]), room=room)
    entry_of(course_of(class_in(school, 7, "А"), "Физика", [ivanova]), number=4, room=room)
    client.force_login(deputy)
    year = f"?year={six_b.year_id}"

    by_teacher = client.get(url(school, "schedule:timetable_teacher", pk=ivanova.pk) + year)
    by_room = client.get(url(school, "schedule:timetable_room", pk=room.pk) + year)

    for page in (by_teacher.content.decode(), by_room.content.decode()):
        assert "6Б Математика" in page and "7А Физика" in page


def test_a_teacher_sees_their_week_with_the_lessons_they_stand_in_for(client, school, ivanova):
    mine = course_of(class_in(school, 6, "Б"), teachers=[ivanova])
    petrov = make_teacher(school, "Петров", "Пётр", "Петрович")
    theirs = course_of(class_in(school, 7, "А"), "Физика", [petrov])
    lesson_of(mine, MONDAY, 1)
    lesson_of(theirs, MONDAY + timedelta(days=1), 2, substitute=ivanova)
    lesson_of(theirs, MONDAY + timedelta(days=2), 2)  # not hers
    client.force_login(ivanova)

    page = client.get(url(school, "schedule:my_timetable") + "?week=2025-09-17").content.decode()

    assert "6Б Математика" in page
    assert "7А Физика" in page and "вы замещаете" in page
    assert page.count("7А Физика") == 1
    assert "15.09.2025 – 21.09.2025" in page


def test_a_pupil_sees_the_class_with_only_their_own_subgroup(client, school):
    user = make_member(school, Role.PUPIL)
    six_b = class_in(school, 6, "Б")
    pupil = make_pupil(school, six_b, start=date(2025, 9, 1))
    with scopes_disabled():
        pupil.user = user
        pupil.save()
    mine = subgroup_of(six_b, name="Группа 1", pupils=[pupil])
    other = subgroup_of(six_b, name="Группа 2")
    lesson_of(course_of(six_b, teachers=[make_teacher(school)]), MONDAY, 1)
    lesson_of(course_of(six_b, "Английский язык", [make_teacher(school, "А")], mine), MONDAY, 2)
    lesson_of(course_of(six_b, "Английский язык", [make_teacher(school, "Б")], other), MONDAY, 2)
    client.force_login(user)

    page = client.get(url(school, "schedule:my_timetable") + "?week=2025-09-15").content.decode()

    assert "Математика" in page
    assert "Группа 1" in page and "Группа 2" not in page


def test_a_parent_chooses_among_their_children_and_no_other(client, school):
    six_b, seven_a = class_in(school, 6, "Б"), class_in(school, 7, "А")
    first = make_pupil(school, six_b, start=date(2025, 9, 1), last_name="Старший")
    parent = make_parent(school, first)
    second = make_pupil(school, seven_a, start=date(2025, 9, 1), last_name="Младший")
    stranger = make_pupil(school, seven_a, start=date(2025, 9, 1), last_name="Чужой")
    with scopes_disabled():
        from accounts.models import ParentLink

        ParentLink.objects.create(school=school, parent=parent, pupil=second)
    lesson_of(course_of(seven_a, "Физика", [make_teacher(school)]), MONDAY, 1)
    client.force_login(parent)
    base = url(school, "schedule:my_timetable") + "?week=2025-09-15&pupil="

    chosen = client.get(base + str(second.pk)).content.decode()
    refused = client.get(base + str(stranger.pk))

    assert "Младший" in chosen and "Физика" in chosen
    assert refused.status_code == 404


def test_the_deputy_builds_the_lessons_with_the_button(client, school, deputy, six_b, ivanova):
    entry_of(course_of(six_b, teachers=[ivanova]), weekday=1)
    client.force_login(deputy)

    response = client.post(
        url(school, "schedule:build_lessons"),
        {"year": six_b.year_id, "since": "2025-09-01"},
    )

    assert response.status_code == 200
    with scopes_disabled():
        added = Lesson.objects.count()
    assert added > 30
    assert f"добавлено уроков — {added}" in response.content.decode()


# Query counts: a page costs the same whatever its size.


def fill_class(school, school_class, lessons_per_day, teachers):
    """`lessons_per_day` entries a weekday in the class, and their lessons of one week; the
    class gets its own bell schedule (times are shown beside the lesson numbers)."""
    with scopes_disabled():
        bells = BellSchedule.objects.create(school=school, name=f"Смена {school_class.pk}")
        for n in range(1, lessons_per_day + 1):
            Bell.objects.create(
                school=school, schedule=bells, number=n, start=time(8 + n), end=time(8 + n, 40)
            )
        school_class.bell_schedule = bells
        school_class.save()
    room = make_room(school, f"к{school_class.pk}")
    for n in range(1, lessons_per_day + 1):
        course = course_of(school_class, f"Предмет {n}", [teachers[n % len(teachers)]])
        for weekday in range(1, 6):
            entry_of(course, weekday=weekday, number=n, room=room if n == 1 else None)
            lesson_of(course, MONDAY + timedelta(days=weekday - 1), n)


@pytest.mark.parametrize("size", [1, 6])
def test_the_class_grid_costs_a_fixed_number_of_queries(
    client, school, deputy, django_assert_num_queries, size
):
    six_b = class_in(school, 6, "Б")
    fill_class(school, six_b, size, [make_teacher(school, f"Учитель{i}") for i in range(3)])
    client.force_login(deputy)
    grid = url(school, "schedule:timetable_class", pk=six_b.pk)
    client.get(grid)  # the session, once

    with django_assert_num_queries(GRID_QUERIES):
        response = client.get(grid)
    assert response.status_code == 200
    assert response.content.decode().count("Предмет ") == 5 * size
    assert "09:00–09:40" in response.content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_the_teachers_week_costs_a_fixed_number_of_queries(
    client, school, django_assert_num_queries, size
):
    teacher = make_teacher(school)
    make_year(school)
    for index in range(size):
        fill_class(school, class_in(school, 5 + index, "А"), 2, [teacher])
    client.force_login(teacher)
    week = url(school, "schedule:my_timetable") + "?week=2025-09-15"
    client.get(week)

    with django_assert_num_queries(WEEK_QUERIES):
        response = client.get(week)
    assert response.content.decode().count("Предмет ") == 10 * size
    assert "09:00–09:40" in response.content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_the_deputys_view_of_a_teachers_week_costs_a_fixed_number_of_queries(
    client, school, deputy, django_assert_num_queries, size
):
    teacher = make_teacher(school)
    for index in range(size):
        fill_class(school, class_in(school, 5 + index, "А"), 2, [teacher])
    client.force_login(deputy)
    week = url(school, "schedule:week_teacher", pk=teacher.pk) + "?week=2025-09-15"
    client.get(week)

    with django_assert_num_queries(DEPUTY_WEEK_QUERIES):
        response = client.get(week)
    assert response.content.decode().count("Предмет ") == 10 * size


# The session's user (the school and the user's roles there come from the cache: see
# accounts.tenancy); then the page's own: the grid — the class, the bells, the entries, their
# teachers; a teacher's week — the lessons, their teachers, the bells; the deputy's view of a
# teacher's week adds finding the teacher.
GRID_QUERIES = 5
WEEK_QUERIES = 4
DEPUTY_WEEK_QUERIES = 5
