"""The journal page: what it shows, to whom, and what it costs."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from accounts.models import Role
from grading.models import Mark
from grading.services.marks import period_averages, work_types
from journal.models import Attendance
from schedule.models import Enrolment, Lesson, Subgroup, SubgroupMembership
from schedule.versions import courses_changed
from tests.factories import make_course, make_member, make_pupil, make_subject

from .grid_builders import add_lesson, build_journal, fill

pytestmark = pytest.mark.django_db

INPUT = re.compile(r"<input name=c(\d+)_(\d+)_(\d+)")


def grid_queries(journal, user=None) -> tuple[int, str]:
    client = journal.client_for(user or journal.teacher)
    url = journal.url()
    assert client.get(url).status_code == 200  # warms the session stamp and the cache
    # Counted as the page is built, as after any change (a second view costs two queries:
    # test_grid_cache.py).
    courses_changed([journal.course.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_grid_costs_the_same_queries_for_5x5_and_30x60():
    small = build_journal(5, 5, past=True)
    fill(small)
    big = build_journal(30, 60, past=True)
    fill(big)
    small_count, small_html = grid_queries(small)
    big_count, big_html = grid_queries(big)
    assert small_count == big_count <= 10, (small_count, big_count)
    assert big_html.count("<tr data-p=") == 30
    assert len(re.findall(r'<th id="l\d+"', big_html)) == 60


def test_the_grid_costs_the_same_queries_for_the_class_teacher_and_the_deputy():
    small, big = build_journal(5, 5, past=True), build_journal(30, 60, past=True)
    fill(big)
    deputy_small, deputy_big = (
        make_member(j.school, Role.DEPUTY, "deputy_" + j.school.slug) for j in (small, big)
    )
    assert grid_queries(small, small.class_teacher)[0] == grid_queries(big, big.class_teacher)[0]
    small_count = grid_queries(small, deputy_small)[0]
    assert small_count == grid_queries(big, deputy_big)[0] <= 10


def test_the_teacher_gets_inputs_and_readers_get_none():
    journal = build_journal(3, 3, recent=True)
    deputy = make_member(journal.school, Role.DEPUTY)
    director = make_member(journal.school, Role.DIRECTOR)
    html = journal.client_for(journal.teacher).get(journal.url()).content.decode()
    assert len(INPUT.findall(html)) == 9
    assert "Сохранить журнал" in html
    for reader in (journal.class_teacher, deputy, director):
        response = journal.client_for(reader).get(journal.url())
        assert response.status_code == 200
        body = response.content.decode()
        assert "<input name=c" not in body
        assert "Сохранить журнал" not in body


def test_marks_absences_and_weighted_averages_are_shown():
    journal = build_journal(2, 3, recent=True)
    first, second = journal.pupils
    types = work_types(journal.school)
    test_type = types.by_kind["test"]  # контрольная, вес 2
    lesson_a, lesson_b, lesson_c = journal.lessons
    with scopes_disabled():
        for lesson, pupil, value, wt in [
            (lesson_a, first, "5", journal.main_type().id),
            (lesson_b, first, "3", test_type.id),
            (lesson_c, first, "4", journal.main_type().id),
        ]:
            Mark.objects.create(
                school=journal.school,
                lesson=lesson,
                pupil=pupil,
                work_type_id=wt,
                value=value,
                points=int(value),
                author=journal.teacher,
            )
        Attendance.objects.create(
            school=journal.school,
            lesson=lesson_a,
            pupil=second,
            code="late",
            minutes_late=10,
            set_by=journal.teacher,
        )
    html = journal.client_for(journal.teacher).get(journal.url()).content.decode()
    # (5·1 + 3·2 + 4·1) / 4 = 3,75
    assert '<td class="avg">3,75</td>' in html
    labelled = ' aria-labelledby="p{} l{} h{}_{}"'
    b, a = (lesson_b.pk, first.pk, test_type.id), (lesson_a.pk, second.pk, journal.main_type().id)
    assert (
        f"<input name=c{b[0]}_{b[1]}_{b[2]}{labelled.format(b[1], b[0], b[0], b[2])} value=3>"
        in html
    )
    assert (
        f"<input name=c{a[0]}_{a[1]}_{a[2]}{labelled.format(a[1], a[0], a[0], a[2])} value=о10>"
        in html
    )
    with scopes_disabled():
        averages = period_averages(journal.course, lesson_a.date, lesson_c.date)
    assert averages[first.pk][0] == pytest.approx(3.75)
    assert averages[first.pk][1] == 3
    assert second.pk not in averages


def test_the_grid_lists_only_the_subgroups_pupils():
    journal = build_journal(4, 2, recent=True)
    with scopes_disabled():
        english = make_subject(journal.school, "Английский язык")
        group = Subgroup.objects.create(
            school=journal.school, school_class=journal.school_class, subject=english, name="1"
        )
        for pupil in journal.pupils[:2]:
            SubgroupMembership.objects.create(
                school=journal.school,
                subgroup=group,
                pupil=pupil,
                start=journal.course.year.start,
            )
    course = make_course(journal.school_class, english, teachers=[journal.teacher], subgroup=group)
    add_lesson(course, journal.today)
    response = journal.client_for(journal.teacher).get(journal.url(pk=course.pk))
    html = response.content.decode()
    assert html.count("<tr data-p=") == 2
    assert "Ученик000" in html and "Ученик001" in html
    assert "Ученик002" not in html


def test_pupils_who_left_or_arrived_mid_period_have_cells_only_while_in_class():
    journal = build_journal(2, 3, recent=True)
    early, middle, late = journal.lessons
    leaver, _stayer = journal.pupils
    with scopes_disabled():
        Enrolment.objects.filter(pupil=leaver).update(end=early.date)
    newcomer = make_pupil(
        journal.school, journal.school_class, last_name="Ученик999", start=late.date
    )
    html = journal.client_for(journal.teacher).get(journal.url()).content.decode()
    cells = {(int(lesson), int(pupil)) for lesson, pupil, _w in INPUT.findall(html)}
    assert (early.pk, leaver.pk) in cells
    assert (middle.pk, leaver.pk) not in cells
    assert (late.pk, newcomer.pk) in cells
    assert (early.pk, newcomer.pk) not in cells
    assert html.count("<tr data-p=") == 3


def test_future_lessons_have_no_inputs_and_cancelled_ones_are_not_shown():
    journal = build_journal(2, 1, recent=True)
    future = add_lesson(journal.course, journal.today + timedelta(days=2))
    cancelled = add_lesson(journal.course, journal.today, number=5, status=Lesson.Status.CANCELLED)
    html = journal.client_for(journal.teacher).get(journal.url()).content.decode()
    lessons = {int(lesson) for lesson, _p, _w in INPUT.findall(html)}
    assert lessons == {journal.lessons[0].pk}
    assert f'id="l{future.pk}"' in html
    assert f'id="l{cancelled.pk}"' not in html


def test_an_added_column_appears_and_takes_marks():
    journal = build_journal(1, 1, recent=True)
    lesson, pupil = journal.lessons[0], journal.pupils[0]
    types = work_types(journal.school).by_id.values()
    home = next(w for w in types if w.name == "Домашняя работа")
    client = journal.client_for(journal.teacher)
    html = client.get(journal.url(), {"add_lesson": lesson.pk, "add_type": home.id}).content
    name = f"c{lesson.pk}_{pupil.pk}_{home.id}"
    label = f' aria-labelledby="p{pupil.pk} l{lesson.pk} h{lesson.pk}_{home.id}"'
    assert f"<input name={name}{label}>".encode() in html
    response = client.post(journal.url("journal:grid_save"), {name: "4"})
    assert response.status_code == 302
    with scopes_disabled():
        assert Mark.objects.get(lesson=lesson, pupil=pupil, work_type_id=home.id).value == "4"
    html = client.get(journal.url()).content.decode()
    assert f"<input name={name}{label} value=4>" in html


def test_the_plain_form_saves_valid_cells_and_keeps_invalid_ones_as_typed():
    journal = build_journal(2, 1, recent=True)
    lesson = journal.lessons[0]
    first, second = journal.pupils
    wt = journal.main_type().id
    client = journal.client_for(journal.teacher)
    response = client.post(
        journal.url("journal:grid_save"),
        {f"c{lesson.pk}_{first.pk}_{wt}": "5", f"c{lesson.pk}_{second.pk}_{wt}": "7"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "не отметка" in html
    assert f'name=c{lesson.pk}_{second.pk}_{wt} value="7"' in html
    assert re.search(rf'name=c{lesson.pk}_{first.pk}_{wt} aria-labelledby="[^"]+" value=5>', html)
    with scopes_disabled():
        mark = Mark.objects.get(pupil=first)
        assert mark.value == "5"
        assert mark.history.get().history_user == journal.teacher
        assert not Mark.objects.filter(pupil=second).exists()


def test_the_plain_form_marks_absences_and_clears_cells():
    journal = build_journal(2, 1, recent=True)
    lesson = journal.lessons[0]
    first, second = journal.pupils
    wt = journal.main_type().id
    client = journal.client_for(journal.teacher)
    names = [f"c{lesson.pk}_{p.pk}_{wt}" for p in (first, second)]
    client.post(journal.url("journal:grid_save"), {names[0]: "н", names[1]: "о 4"})
    response = client.post(journal.url("journal:grid_save"), {names[0]: "", names[1]: "о 4"})
    assert response.status_code == 302
    with scopes_disabled():
        absent = Attendance.objects.get(pupil=first)
        assert absent.deleted_at is not None
        assert absent.history.count() == 2
        assert Attendance.objects.get(pupil=second).code == "late"
        assert Mark.objects.get(pupil=second).value == "4"


def test_the_grid_escapes_names_and_topics():
    journal = build_journal(1, 1, recent=True)
    with scopes_disabled():
        pupil = journal.pupils[0]
        pupil.last_name = "<script>alert(1)</script>"
        pupil.save()
        Lesson.objects.filter(pk=journal.lessons[0].pk).update(topic='"><b>тема</b>')
    html = journal.client_for(journal.teacher).get(journal.url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>тема</b>" not in html


def test_namesakes_are_told_apart_by_the_initial_of_their_patronymic():
    journal = build_journal(3, 1, recent=True)
    with scopes_disabled():
        for pupil, patronymic in zip(journal.pupils[:2], ("Иванович", "Петрович"), strict=True):
            pupil.last_name, pupil.first_name, pupil.patronymic = "Егоров", "Александр", patronymic
            pupil.save()
        journal.pupils[2].last_name = "Андреева"
        journal.pupils[2].first_name = "Ксения"
        journal.pupils[2].save()
    html = journal.client_for(journal.teacher).get(journal.url()).content.decode()
    names = re.findall(r'<th class="who" title="[^"]*" id="p\d+">([^<]*)</th>', html)
    assert names == ["Андреева Ксения", "Егоров Александр И.", "Егоров Александр П."]


def test_the_grid_chooses_the_period_holding_a_date_and_refuses_an_unknown_one():
    journal = build_journal(1, 0, periods=True)
    client = journal.client_for(journal.teacher)
    year = journal.course.year
    response = client.get(journal.url(), {"on": (year.end - timedelta(days=3)).isoformat()})
    assert response.status_code == 200
    current = re.search(r'class="active" aria-current="page">([^<]*)</a>', response.text)
    assert current.group(1).startswith("2")
    assert client.get(journal.url(), {"period": 999999}).status_code == 404


def test_a_class_without_marks_shows_attendance_only():
    journal = build_journal(1, 1, recent=True, no_marks=True)
    html = journal.client_for(journal.teacher).get(journal.url()).content.decode()
    assert "учится без отметок" in html
    assert "Добавить колонку" not in html


def test_my_lessons_today_lists_own_and_substituted_lessons_with_a_link_to_the_grid():
    journal = build_journal(1, 1, recent=True)
    other = build_journal(1, 0, school=journal.school, letter="Б")
    substituted = add_lesson(other.course, journal.today, number=6, substitute=journal.teacher)
    client = journal.client_for(journal.teacher)
    response = client.get(_today(journal))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"/journal/courses/{journal.course.pk}/?on=" in html
    assert f"#l{journal.lessons[0].pk}" in html
    assert f"#l{substituted.pk}" in html
    assert "замена" in html


def _today(journal):
    from accounts.navigation import school_reverse

    return school_reverse(journal.school, "journal:today")
