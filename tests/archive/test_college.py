"""A college's archive: each group's journal is built one per semester (the college's study
periods are its semesters), each holding that semester's lessons and final marks; the
ledgers are of the year. The kinds come from the registry a later part adds to."""

import random
from datetime import date

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Role, School
from archive.models import ArchiveDocument, ArchivePart
from archive.services import build as builds
from archive.services import kinds
from archive.services.documents import journal_pdf
from archive.services.generate import Habits, YearRows
from schedule.models import SchoolYear, StudyPeriod
from tests.factories import (
    make_class,
    make_course,
    make_member,
    make_pupil,
    make_school,
    make_subject,
)

from .builders import pdf_text

pytestmark = pytest.mark.django_db
Kind = ArchiveDocument.Kind


@pytest.fixture
def college():
    school = make_school(kind=School.Kind.COLLEGE)
    with scopes_disabled():
        year = SchoolYear.objects.create(
            school=school, name="2025/2026", start=date(2025, 9, 1), end=date(2026, 6, 30)
        )
        autumn = StudyPeriod.objects.create(
            school=school, year=year, kind=StudyPeriod.Kind.SEMESTER, number=1,
            start=date(2025, 9, 1), end=date(2025, 12, 28), grade_from=1, grade_to=4,
        )  # fmt: skip
        spring = StudyPeriod.objects.create(
            school=school, year=year, kind=StudyPeriod.Kind.SEMESTER, number=2,
            start=date(2026, 1, 12), end=date(2026, 6, 30), grade_from=1, grade_to=4,
        )  # fmt: skip
        teacher = make_member(school, Role.TEACHER, last_name="Преподавателева")
        group = make_class(school, 2, "ИС", year=year)
        pupils = [make_pupil(school, group, last_name=f"Студентова{n}") for n in range(3)]
        course = make_course(group, make_subject(school, "Базы данных"), teachers=[teacher])
        rows = YearRows(school, teacher, random.Random(14), Habits(absent=0, marked=1))
        days = [date(2025, 10, 6), date(2025, 11, 10), date(2026, 2, 9), date(2026, 3, 16)]
        rows.add_course(
            course, days, pupils, [autumn, spring],
            topic=lambda n, day: f"Тема {n + 1} от {day:%d.%m}", homework=lambda n, _d: "",
        )  # fmt: skip
        rows.save()
        year.closed_at = timezone.now()
        year.save()
    return school, year, group, autumn, spring


def test_a_college_group_gets_one_journal_per_semester_and_the_year_s_ledgers(
    college, django_capture_on_commit_callbacks
):
    _school, year, group, autumn, spring = college
    with scopes_disabled():
        parts = kinds.parts_of(year, [group])
        assert sorted((k, p.number if p else None) for k, _g, p in parts) == [
            (Kind.ATTENDANCE_LEDGER, None), (Kind.JOURNAL, 1), (Kind.JOURNAL, 2),
            (Kind.PROGRESS_LEDGER, None),
        ]  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            build = builds.do_start_build(year)
        build.refresh_from_db()
        assert builds.progress(build)["done"] == 4 and build.finished_at is not None
        journals = ArchiveDocument.objects.filter(kind=Kind.JOURNAL).order_by("period__start")
        assert [(d.period_id, d.version) for d in journals] == [(autumn.pk, 1), (spring.pk, 1)]
        assert "-semester1-" in journals[0].file.name
        assert ArchivePart.objects.filter(build=build, period=spring).count() == 1
        # A rebuild: each semester's journal gets its own next version.
        with django_capture_on_commit_callbacks(execute=True):
            builds.do_start_build(year)
        journals = ArchiveDocument.objects.filter(kind=Kind.JOURNAL)
        found = sorted(journals.values_list("period__number", "version"))
        assert found == [(1, 1), (1, 2), (2, 1), (2, 2)]


def test_a_semester_s_journal_holds_that_semester_s_lessons_and_marks(college):
    _school, _year, group, autumn, spring = college
    with scopes_disabled():
        first = pdf_text(journal_pdf(group, autumn))
        second = pdf_text(journal_pdf(group, spring))
    assert "Журнал учебной группы" in first[0]
    assert "группа 2ИС, 1 семестр 2025/2026 учебного года" in first[0]
    text, later = "\n".join(first), "\n".join(second)
    assert "Тема 1 от 06.10" in text and "Тема 2 от 10.11" in text
    assert "Тема 3 от 09.02" not in text and "Тема 3 от 09.02" in later
    finals = next(p for p in first if "итоговые отметки" in p)
    assert "1 пол." in finals and "2 пол." not in finals and "год" not in finals
    finals = next(p for p in second if "итоговые отметки" in p)
    assert "2 пол." in finals and "год" in finals  # the year's marks close the last one
