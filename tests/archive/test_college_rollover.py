"""A college's rollover: groups move from course to course («переводы с курса на курс», 002
§1.7) keeping their name and speciality; the last course of each speciality graduates, and
its summary ledger is then the graduation ledger (002 §6.3: 75 years)."""

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from archive.models import ArchiveDocument, Retention
from archive.services.store import retention_of
from schedule.models import Enrolment, SchoolClass, SchoolYear, Speciality, StudyPeriod
from schedule.services.rollover import do_rollover, plan_rollover
from tests.factories import make_class, make_pupil, make_school, make_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def college():
    school = make_school(kind="college")
    year = make_year(school, 2025)
    with scopes_disabled():
        technology = Speciality.objects.create(
            school=school, code="15.02.08", name="Технология машиностроения",
            study_years=3, study_months=10,
        )  # fmt: skip
        welder = Speciality.objects.create(
            school=school, code="15.01.05", name="Сварщик", kind=Speciality.Kind.PROFESSION,
            programme=Speciality.Programme.SKILLED_WORKERS, study_years=2, study_months=10,
        )  # fmt: skip
    groups = {
        name: make_class(school, course, name, year=year, speciality=speciality)
        for name, course, speciality in [
            ("ТМ-24", 2, technology),
            ("ТМ-22", 4, technology),
            ("СВ-24", 2, welder),
            ("СВ-23", 3, welder),
        ]
    }
    pupils = {
        name: make_pupil(school, group, start=year.start, last_name=f"Студент{name}")
        for name, group in groups.items()
    }
    with scopes_disabled():
        year.closed_at = timezone.now()
        year.save()
    return school, year, groups, pupils, technology, welder


def test_a_speciality_of_3_years_10_months_has_four_courses():
    assert Speciality(study_years=3, study_months=10).courses == 4
    assert Speciality(study_years=2, study_months=0).courses == 2
    assert str(Speciality(study_years=3, study_months=10).length_label) == "3 г. 10 мес."


def test_groups_move_from_course_to_course_and_each_specialitys_last_course_graduates(college):
    school, year, groups, pupils, technology, welder = college
    with scopes_disabled():
        plan = plan_rollover(year)
        leaving = {m.from_class.name for m in plan.moves if m.to is None}
        assert leaving == {"ТМ-22", "СВ-23"}
        made = do_rollover(year, order_number="45-к")
        assert made["left"] == 2
        nxt = SchoolYear.objects.get(school=school, name="2026/2027")
        moved = {c.name: (c.grade, c.speciality_id) for c in SchoolClass.objects.filter(year=nxt)}
        assert moved == {"ТМ-24": (3, technology.pk), "СВ-24": (3, welder.pk)}
        for name in ("ТМ-22", "СВ-23"):
            left = Enrolment.objects.get(pupil=pupils[name])
            assert (left.end_reason, left.end_order_number) == ("graduated", "45-к")
        third = Enrolment.objects.get(pupil=pupils["СВ-24"], school_class__year=nxt)
        assert (third.school_class.grade, third.order_number) == (3, "45-к")
        # A college's year is of semesters.
        kinds = set(StudyPeriod.objects.filter(year=nxt).values_list("kind", flat=True))
        assert kinds == {StudyPeriod.Kind.SEMESTER}
        # Run again: nothing more.
        assert do_rollover(year)["enrolments"] == 0


def test_a_last_courses_summary_ledger_is_kept_as_a_graduation_ledger(college):
    school, _year, groups, *_rest = college
    kind = ArchiveDocument.Kind.PROGRESS_LEDGER
    with scopes_disabled():
        assert retention_of(kind, groups["СВ-23"], school) == Retention.GRADUATION
        assert retention_of(kind, groups["ТМ-22"], school) == Retention.GRADUATION
        assert retention_of(kind, groups["ТМ-24"], school) == Retention.LEDGER
