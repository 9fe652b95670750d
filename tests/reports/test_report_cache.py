"""A cached report page is never stale: each kind of change its figures rest on shows at
once (schedule.versions; the journal page's own cases are in tests/journal/test_grid_cache)."""

from datetime import date

import pytest
from django_scopes import scopes_disabled

from accounts.models import Role
from accounts.navigation import school_reverse
from grading.models import FinalMark
from grading.services.marks import work_types, write_marks
from journal.services.attendance import write_attendance_rows
from schedule.models import CourseTeacher, Enrolment
from schedule.services.people import depart
from tests.factories import make_member, set_rules

from .hand_school import lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, hand):
    client.force_login(make_member(hand.school, Role.DEPUTY))

    def read(name, **query):
        query = {"year": hand.year.pk, "span": f"period:{hand.q2.pk}", **query}
        response = client.get(school_reverse(hand.school, f"reports:{name}"), query)
        assert response.status_code == 200
        return response

    return read


def test_a_second_view_comes_from_the_cache(reader, hand):
    first = reader("progress", scope=f"class:{hand.fifth.pk}")
    again = reader("progress", scope=f"class:{hand.fifth.pk}")
    assert first.context["document"] is not None
    assert again.context["document"] is None  # not built again
    assert again.context["table"] == first.context["table"]


def test_a_final_mark_changed_shows_at_once(reader, hand):
    scope = f"class:{hand.fifth.pk}"
    assert "63,6" in reader("progress", scope=scope).content.decode()
    with scopes_disabled():
        mark = FinalMark.objects.get(
            pupil=hand.pupils["Зоя"], course=hand.courses["math"], period=hand.q2
        )
        mark.value = "3"
        mark.save()
    html = reader("progress", scope=scope).content.decode()
    # Зоя: 3, 2, 2 — still failing (two «2» now): success unchanged, СОУ the same too,
    # but the mean of marks rises: 126 / 33 = 3,82.
    assert "3,82" in html and "3,79" not in html


def test_a_departure_shows_at_once(reader, hand):
    scope = f"class:{hand.fifth.pk}"
    reader("movement", scope=scope)
    before = reader("movement", scope=scope).context["document"]
    assert before is None
    with scopes_disabled():
        depart(
            Enrolment.objects.get(pupil=hand.pupils["Аня"], end__isnull=True),
            date(2025, 12, 10),
            order_number="60-у",
        )
    after = reader("movement", scope=scope)
    assert after.context["document"] is not None
    assert "60-у" in after.content.decode()


def test_marks_written_in_bulk_show_in_the_current_averages_at_once(reader, hand):
    scope = f"class:{hand.fifth.pk}"
    with scopes_disabled():
        FinalMark.objects.filter(pupil=hand.pupils["Нина"], course=hand.courses["pe"]).delete()
    query = {"scope": scope, "basis": "current", "category": "failing_1"}
    assert "Нинова Нина" not in reader("progress_pupils", **query).content.decode()
    with scopes_disabled():
        work = work_types(hand.school).main_for("lesson").id
        changes = [
            (lesson(hand, "pe", date(2025, 11, 18 + n), 1), hand.pupils["Нина"].pk, work, "2", None)
            for n in range(3)
        ]
        write_marks(changes, by=hand.teachers["russian"])
    listed = reader("progress_pupils", **query).content.decode()
    assert "Нинова Нина" in listed and "Физическая культура: 2*" in listed


def test_attendance_written_in_bulk_shows_at_once(reader, hand):
    scope = f"class:{hand.fifth.pk}"
    query = {"scope": scope, "span": "month:2025-11"}
    one = lesson(hand, "math", date(2025, 11, 20), 1)
    assert reader("attendance", **query).context["document"].rows[0].values["lessons"] == 0
    reader("attendance", **query)
    with scopes_disabled():
        write_attendance_rows(
            [(one, hand.pupils["Аня"].pk, "ill", None, None)], by=hand.teachers["math"]
        )
    rows = reader("attendance", **query).context["document"].rows
    anya = next(r for r in rows if r.values.get("name") == "Анява Аня")
    # Her only lesson that day: a whole day missed, by illness.
    assert (anya.values["lessons"], anya.values["days"], anya.values["days_ill"]) == (1, 1, 1)


def test_a_pupils_name_a_teacher_and_the_regulation_show_at_once(reader, hand):
    scope = f"class:{hand.fifth.pk}"
    reader("progress_pupils", scope=scope, category="exempt")
    with scopes_disabled():
        pupil = hand.pupils["Кирилл"]
        pupil.last_name = "Новиков"
        pupil.save()
    assert (
        "Новиков Кирилл"
        in reader("progress_pupils", scope=scope, category="exempt").content.decode()
    )
    reader("progress_teachers", scope="school")
    with scopes_disabled():
        assignment = CourseTeacher.objects.get(course=hand.courses["pe"])
        assignment.teacher = hand.teachers["english"]
        assignment.save()
    teachers = reader("progress_teachers", scope="school").context["document"]
    rows = [(r.kind, r.values["name"], r.values.get("other")) for r in teachers.rows]
    english = rows.index(("group", "Инглишева М. О.", None))
    assert ("data", "5А", "Физическая культура") in rows[english : english + 4]
    set_rules(hand.school, title="Положение о ЭЖ школы № 1 (новая редакция)")
    assert "новая редакция" in reader("progress", scope=scope).content.decode()


def test_a_bulk_write_that_names_only_its_courses_still_drops_the_schools_reports(reader, hand):
    from schedule.versions import courses_changed

    scope = f"class:{hand.fifth.pk}"
    reader("progress", scope=scope)
    assert reader("progress", scope=scope).context["document"] is None
    courses_changed([hand.courses["math"].pk])  # the school looked up from the course
    assert reader("progress", scope=scope).context["document"] is not None
