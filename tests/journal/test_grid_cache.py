"""The journal page is kept in the cache per version of the course's records: a second view
costs two queries, and every kind of change shows on the very next view.

Each test views the page first (so that it is cached), changes something the way the product
changes it — a service, a page, a save in the admin — and views the page again.
"""

import re
import zlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scopes_disabled

from accounts.models import Membership, Role, School
from accounts.navigation import school_reverse
from accounts.services import end_role
from grading.models import Mark, WorkType
from journal.models import Attendance
from journal.services.homework import save_homework
from journal.services.plan.lessons import fill_topics_from_plan, save_lesson_topic
from journal.services.plan.topics import add_topic
from schedule.models import Enrolment, Lesson, StudyPeriod
from schedule.services.lessons import assign_substitute, cancel_lesson, materialise
from schedule.services.people import set_course_teachers
from schedule.versions import (
    EVERYTHING,
    course_key,
    course_version,
    courses_changed,
    school_key,
)
from tests.factories import make_class, make_member, set_rules
from tests.schedule.timetable_factories import entry_of

from .grid_builders import build_journal, fill

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("unscoped")]

INPUT = re.compile(r"<input name=c(\d+)_(\d+)_(\d+)")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture
def journal():
    journal = build_journal(3, 3, recent=True)
    journal.client = journal.client_for(journal.teacher)
    return journal


def view(journal, client=None, **params) -> str:
    response = (client or journal.client).get(journal.url(), params)
    assert response.status_code == 200
    return response.content.decode()


def cell(html, lesson, pupil) -> str:
    found = re.search(
        rf"<input name=c{lesson.pk}_{pupil.pk}_\d+"
        r'(?: aria-labelledby="[^"]*")?(?: value=([^>]*))?>',
        html,
    )
    assert found, "no input for the cell"
    return (found.group(1) or "").strip('"')


def post_cell(journal, lesson, pupil, value):
    response = journal.client.post(journal.cell_url(lesson, pupil), {"value": value})
    assert response.status_code == 200, response.content


def test_a_second_view_costs_two_queries_at_any_size_and_shows_the_same_page():
    small, big = build_journal(5, 5, past=True), build_journal(30, 60, past=True)
    fill(big)
    counts = []
    for journal in (small, big):
        client = journal.client_for(journal.teacher)
        first = client.get(journal.url()).content.decode()
        with CaptureQueriesContext(connection) as queries:
            second = client.get(journal.url()).content.decode()
        counts.append(len(queries))
        assert CSRF.sub("", first) == CSRF.sub("", second)
    # The user (as on every page) and the course with the user's grants.
    assert counts == [2, 2], counts


def test_each_request_gets_its_own_csrf_token_inside_the_cached_form(journal):
    view(journal)
    other = journal.client_for(journal.teacher)
    html = view(journal, other)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    lesson, pupil = journal.lessons[-1], journal.pupils[0]
    response = other.post(journal.cell_url(lesson, pupil), {"value": "5"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


def test_a_mark_and_an_absence_typed_into_cells_show_at_once(journal):
    lesson, (first, second, _third) = journal.lessons[-1], journal.pupils
    assert cell(view(journal), lesson, first) == ""
    post_cell(journal, lesson, first, "5")
    post_cell(journal, lesson, second, "н")
    html = view(journal)
    assert cell(html, lesson, first) == "5"
    assert cell(html, lesson, second) == "н"
    assert re.search(rf'<tr data-p="{first.pk}">.*?<td class="avg">5,00</td>', html)


def test_the_plain_form_saves_show_at_once(journal):
    lesson, (first, second, _third) = journal.lessons[-1], journal.pupils
    column = journal.main_type(lesson).id
    save_url = journal.url("journal:grid_save")
    view(journal)
    response = journal.client.post(save_url, {f"c{lesson.pk}_{first.pk}_{column}": "4"})
    assert response.status_code == 302
    assert cell(view(journal), lesson, first) == "4"
    response = journal.client.post(save_url, {f"c{lesson.pk}_{second.pk}_{column}": "н"})
    assert response.status_code == 302
    assert cell(view(journal), lesson, second) == "н"


def test_the_class_teachers_reason_for_an_absence_shows_in_the_teachers_page(journal):
    lesson, pupil = journal.lessons[-1], journal.pupils[0]
    post_cell(journal, lesson, pupil, "н")
    assert cell(view(journal), lesson, pupil) == "н"
    with scopes_disabled():
        absence = Attendance.objects.get(lesson=lesson, pupil=pupil)
    url = school_reverse(journal.school, "journal:absence_reasons", pk=journal.school_class.pk)
    response = journal.client_for(journal.class_teacher).post(
        url, {"week": lesson.date.isoformat(), f"a{absence.pk}": "ill"}
    )
    assert response.status_code == 302
    assert cell(view(journal), lesson, pupil) == "б"


def test_a_correction_request_marks_its_lesson_as_pending(journal):
    set_rules(journal.school, lock_marks_days=0, lock_attendance_days=0)
    old = journal.lessons[0]
    assert old.date < journal.today
    html = view(journal)
    assert not re.search(rf'<th id="l{old.pk}"[^>]*class="[^"]*\bpe\b', html)
    response = journal.client.post(
        journal.cell_url(old, journal.pupils[0]), {"value": "5", "reason": "Не внесена вовремя"}
    )
    assert response.status_code == 202, response.content
    assert re.search(rf'<th id="l{old.pk}"[^>]*class="[^"]*\bpe\b', view(journal))


def test_a_makeup_protocols_mark_shows_at_once_in_a_locked_lesson(journal):
    from journal.models import Attendance
    from journal.services.makeups import do_record_makeup

    set_rules(journal.school, lock_marks_days=0)
    old, pupil = journal.lessons[0], journal.pupils[0]
    Attendance.objects.create(
        school=journal.school, lesson=old, pupil=pupil, code="ill", set_by=journal.teacher
    )
    assert "class=mu" not in view(journal)
    old.school = journal.school
    do_record_makeup(old, pupil, number="1", held_on=journal.today, value="5", by=journal.teacher)
    html = view(journal)
    assert cell(html, old, pupil) == "б 5"
    assert "class=mu" in html


def test_a_lesson_topic_homework_and_substitute_show_beneath_the_grid(journal):
    lesson = journal.lessons[-1]
    view(journal)
    save_lesson_topic(
        lesson,
        plan_topic=None,
        topic="Дроби",
        kind=Lesson.Kind.LESSON,
        note="",
        user=journal.teacher,
    )
    assert "Дроби" in view(journal)
    due = journal.today + timedelta(days=1)
    save_homework(lesson, text="№ 245", due_date=due, user=journal.teacher)
    assert "№ 245" in view(journal)
    substitute = make_member(journal.school, Role.TEACHER, last_name="Заменова")
    assign_substitute(lesson, substitute, by=journal.teacher)
    assert "Заменова" in view(journal)


def test_a_substitutes_new_surname_shows_but_signing_in_changes_nothing(journal):
    substitute = make_member(journal.school, Role.TEACHER, last_name="Заменова")
    assign_substitute(journal.lessons[-1], substitute, by=journal.teacher)
    assert "Заменова" in view(journal)
    before = course_version(journal.school.pk, journal.course.pk)
    journal.client_for(substitute)  # force_login saves last_login only
    assert course_version(journal.school.pk, journal.course.pk) == before
    substitute.last_name = "Новикова"
    substitute.save()
    assert course_version(journal.school.pk, journal.course.pk) != before
    assert "Новикова" in view(journal)


def test_the_kept_frame_holds_a_substitutes_name_but_not_their_password_hash(journal):
    substitute = make_member(journal.school, Role.TEACHER, last_name="Заменова")
    substitute.set_password("пароль-заменяющего-2026")
    substitute.save()
    assign_substitute(journal.lessons[-1], substitute, by=journal.teacher)
    assert "Заменова" in view(journal)
    # The frame as GridView keeps it (page_key: course, scope, day, language, period, date).
    key = f"journal:grid-frame:{journal.course.pk}:keeps:{journal.today}:ru::"
    _version, packed = cache.get(key)
    kept = zlib.decompress(packed)
    assert "Заменова".encode() in kept
    assert substitute.password.encode() not in kept


def test_plan_topics_filled_in_bulk_show_at_once(journal):
    view(journal)
    add_topic(
        journal.course, title="Натуральные числа", hours=3, kind="lesson", user=journal.teacher
    )
    assert fill_topics_from_plan(journal.course, until=journal.today, user=journal.teacher) == 3
    assert view(journal).count("<td>Натуральные числа</td>") == 3


def test_lessons_made_from_the_timetable_show_at_once(journal):
    year = journal.course.year
    with scopes_disabled():
        StudyPeriod.objects.create(
            school=journal.school,
            year=year,
            kind=StudyPeriod.Kind.SEMESTER,
            number=1,
            start=year.start,
            end=year.end,
        )
    before = len(re.findall(r'<th id="l\d+"', view(journal)))
    entry_of(journal.course, weekday=1, number=7)
    with scopes_disabled():
        result = materialise(journal.course.year, since=journal.today)
    assert result.added > 0
    assert len(re.findall(r'<th id="l\d+"', view(journal))) == before + result.added


def test_a_cancelled_lesson_leaves_the_grid_at_once(journal):
    lesson = journal.lessons[-1]
    assert f'id="l{lesson.pk}"' in view(journal)
    cancel_lesson(lesson, "Карантин", by=journal.teacher)
    assert f'id="l{lesson.pk}"' not in view(journal)


def test_a_pupil_renamed_or_leaving_the_class_shows_at_once(journal):
    pupil = journal.pupils[0]
    assert pupil.last_name in view(journal)
    with scopes_disabled():
        pupil.last_name = "Переименова"
        pupil.save()
    assert "Переименова" in view(journal)
    with scopes_disabled():
        stay = Enrolment.objects.get(pupil=pupil, school_class=journal.school_class)
        stay.end = journal.lessons[0].date
        stay.save()
    html = view(journal)
    with pytest.raises(AssertionError):
        cell(html, journal.lessons[-1], pupil)


def test_a_work_types_new_weight_and_the_schools_lock_rule_show_at_once(journal):
    lesson = journal.lessons[-1]
    main = journal.main_type(lesson)
    html = view(journal)
    assert f'data-l="{lesson.pk}" data-w="{main.weight}"' in html
    with scopes_disabled():
        WorkType.objects.filter(pk=main.id).update(weight=3)  # no signal: the save below sends
        work_type = WorkType.objects.get(pk=main.id)
        work_type.save()
    assert f'data-l="{lesson.pk}" data-w="3' in view(journal)
    first = journal.lessons[0]
    assert not re.search(rf'<th id="l{first.pk}"[^>]*class="[^"]*\blk\b', view(journal))
    set_rules(journal.school, lock_marks_days=0, lock_attendance_days=0)
    assert re.search(rf'<th id="l{first.pk}"[^>]*class="[^"]*\blk\b', view(journal))


def test_new_study_periods_show_at_once(journal):
    assert "1 полугодие" not in view(journal)
    year = journal.course.year
    with scopes_disabled():
        StudyPeriod.objects.create(
            school=journal.school,
            year=year,
            kind=StudyPeriod.Kind.SEMESTER,
            number=1,
            start=year.start,
            end=year.end,
        )
    html = view(journal)
    assert re.search(r'class="active" aria-current="page">1', html)


def test_the_next_school_day_opens_its_lessons_without_any_change(journal, monkeypatch):
    tomorrow = journal.today + timedelta(days=1)
    with scopes_disabled():
        lesson = Lesson.objects.create(
            school=journal.school, course=journal.course, date=tomorrow, number=1
        )
    assert not re.search(rf"<input name=c{lesson.pk}_", view(journal))
    # The school's clock moves on a day (the session's own clock does not: it would expire).
    tomorrow_now = journal.school.now() + timedelta(days=1)
    monkeypatch.setattr(School, "now", lambda school: tomorrow_now)
    assert re.search(rf"<input name=c{lesson.pk}_", view(journal))


def test_keepers_readers_and_substitutes_each_see_their_own_page(journal):
    substitute = make_member(journal.school, Role.TEACHER, last_name="Заменова")
    held = journal.lessons[-1]
    assign_substitute(held, substitute, by=journal.teacher)
    assert len(INPUT.findall(view(journal))) == 9  # the teacher's page is cached first
    assert "<input name=c" not in view(journal, journal.client_for(journal.class_teacher))
    inputs = INPUT.findall(view(journal, journal.client_for(substitute)))
    assert {int(lesson) for lesson, _pupil, _type in inputs} == {held.pk}


def test_a_version_lost_from_the_cache_rebuilds_the_page(journal):
    lesson, pupil = journal.lessons[-1], journal.pupils[0]
    view(journal)
    with scopes_disabled():
        # Written in bulk without telling anyone, as no code of ours does.
        Mark.objects.bulk_create(
            [
                Mark(
                    school=journal.school,
                    lesson=lesson,
                    pupil=pupil,
                    work_type_id=journal.main_type(lesson).id,
                    value="3",
                    points=3,
                    author=journal.teacher,
                )
            ]
        )
    assert cell(view(journal), lesson, pupil) == ""  # the cached page, as expected
    cache.delete(course_key(journal.course.pk))
    assert cell(view(journal), lesson, pupil) == "3"


@pytest.mark.parametrize("key", ["everything", "school", "course"])
def test_any_lost_token_gives_a_new_version(journal, key):
    before = course_version(journal.school.pk, journal.course.pk)
    cache.delete(
        {
            "everything": EVERYTHING,
            "school": school_key(journal.school.pk),
            "course": course_key(journal.course.pk),
        }[key]
    )
    assert course_version(journal.school.pk, journal.course.pk) != before


def test_a_change_in_another_course_keeps_this_page(journal):
    other = build_journal(1, 1, recent=True, school=journal.school, letter="Б")
    view(journal)
    before = course_version(journal.school.pk, journal.course.pk)
    other_client = other.client_for(other.teacher)
    response = other_client.post(other.cell_url(other.lessons[0], other.pupils[0]), {"value": "5"})
    assert response.status_code == 200
    assert course_version(journal.school.pk, journal.course.pk) == before
    with scopes_disabled():
        assert Attendance.objects.count() == 0


def test_ending_a_teachers_role_drops_the_courses_pages_and_refuses_the_next_view(journal):
    view(journal)  # kept in the cache as the page of the course's keeper
    make_class(journal.school, 7, "В", class_teacher=journal.teacher)  # still enters the school
    before = course_version(journal.school.pk, journal.course.pk)
    end_role(Membership.objects.get(school=journal.school, user=journal.teacher, role=Role.TEACHER))
    assert course_version(journal.school.pk, journal.course.pk) != before
    assert journal.client.get(journal.url()).status_code == 403


def test_a_new_teacher_of_the_course_shows_at_once(journal):
    view(journal)
    before = course_version(journal.school.pk, journal.course.pk)
    set_course_teachers(
        journal.course, [journal.teacher, make_member(journal.school, Role.TEACHER)]
    )
    assert course_version(journal.school.pk, journal.course.pk) != before


# --- The page's frame: kept apart, since a mark or an absence changes none of it -----------


def test_the_first_view_after_a_mark_reads_only_marks_and_attendance_at_two_sizes():
    small, big = build_journal(5, 5, recent=True), build_journal(30, 30, recent=True)
    fill(big)
    counts = []
    for journal in (small, big):
        journal.client = journal.client_for(journal.teacher)
        lesson, pupil = journal.lessons[-1], journal.pupils[0]
        # The page and its frame are kept now; the cell gets a mark it did not hold.
        value = "2" if cell(view(journal), lesson, pupil) != "2" else "3"
        post_cell(journal, lesson, pupil, value)
        with CaptureQueriesContext(connection) as queries:
            html = view(journal)
        assert cell(html, lesson, pupil) == value
        read = " ".join(q["sql"] for q in queries.captured_queries)
        for table in ("schedule_lesson", "schedule_enrolment", "schedule_studyperiod"):
            assert f'FROM "{table}"' not in read, table
        counts.append(len(queries))
    # The user, the course with the user's grants, the marks and the attendance (two
    # statements sent together: grading.services.marks.fetch_compiled).
    assert counts == [3, 3], counts


def test_a_mark_of_another_work_type_adds_its_column_with_the_frame_kept(journal):
    lesson, pupil = journal.lessons[-1], journal.pupils[0]
    main = journal.main_type(lesson)
    other = WorkType.objects.filter(school=journal.school).exclude(pk=main.id).first()
    assert f"c{lesson.pk}_{pupil.pk}_{other.pk}" not in view(journal)
    Mark.objects.create(
        school=journal.school,
        lesson=lesson,
        pupil=pupil,
        work_type=other,
        value="3",
        points=3,
        author=journal.teacher,
    )
    html = view(journal)
    assert f"c{lesson.pk}_{pupil.pk}_{other.pk}" in html
    assert re.search(rf"<input name=c{lesson.pk}_{pupil.pk}_{other.pk}[^>]*value=3", html)


def test_an_absence_deleted_shows_with_the_frame_kept(journal):
    lesson, pupil = journal.lessons[-1], journal.pupils[1]
    post_cell(journal, lesson, pupil, "н")
    assert cell(view(journal), lesson, pupil) == "н"
    Attendance.objects.filter(lesson=lesson, pupil=pupil).delete()
    assert cell(view(journal), lesson, pupil) == ""


def test_the_counts_beside_the_navigation_are_current_on_a_kept_page(journal):
    from journal.services.messaging import badge_key
    from reports.services.control_counts import set_count

    view(journal)
    cache.set(badge_key(journal.school.pk, journal.teacher.pk), 3)
    set_count(journal.school.pk, journal.teacher.pk, 2)
    html = view(journal)
    assert "✉ 3" in html and "⚑ 2" in html
    cache.set(badge_key(journal.school.pk, journal.teacher.pk), 0)
    set_count(journal.school.pk, journal.teacher.pk, 0)
    html = view(journal)
    assert "✉" not in html and "⚑" not in html


MOMENT = re.compile(r"\d{4}-\d\d-\d\dT[\d:.+-]+")  # when the page was built


def test_the_first_view_after_a_mark_shows_the_page_as_it_is_built_anew():
    journal = build_journal(8, 12, recent=True)
    fill(journal, marks=0.5, absences=0.2)
    journal.client = journal.client_for(journal.teacher)
    lesson, (first, second) = journal.lessons[-1], journal.pupils[:2]
    view(journal)  # keeps the frame, with its grid laid out empty
    post_cell(journal, lesson, first, "2")
    post_cell(journal, lesson, second, "н")
    Attendance.objects.filter(lesson=journal.lessons[-2], pupil=first).delete()
    Mark.objects.filter(lesson=journal.lessons[-3], pupil=second).delete()
    after_marks = view(journal)
    assert cell(after_marks, lesson, first) == "2"
    courses_changed([journal.course.pk])  # the frame too
    anew = view(journal)
    assert MOMENT.sub("", CSRF.sub("", after_marks)) == MOMENT.sub("", CSRF.sub("", anew))
