"""The demo's reports show real figures: its first quarter is over, with final marks (some
«осв.» in PE), and pupils have moved during the year."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django_scopes import scopes_disabled

from accounts.models import School, User
from accounts.navigation import school_reverse
from grading.models import FinalMark
from reports.views.reports import REPORTS
from schedule.models import Enrolment, StudyPeriod

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)  # the demo's journal runs up to here


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "seed_demo", pupils=6, classes=2, grades="1,5,10", today=TODAY, stdout=StringIO()
        )
        yield
        transaction.set_rollback(True)


@pytest.fixture
def first(demo):
    with scopes_disabled():
        school = School.objects.get(slug="school1")
        quarter = StudyPeriod.objects.get(
            school=school, kind=StudyPeriod.Kind.QUARTER, number=1, year__closed_at__isnull=True
        )
        yield school, quarter


def test_the_periods_over_have_final_marks_for_every_course_that_gives_marks(first):
    school, quarter = first
    with scopes_disabled():
        marks = FinalMark.objects.filter(school=school, period=quarter)
        assert marks.exclude(value="ex").count() > 100
        assert marks.filter(value="ex", course__subject__name="Физическая культура").exists()
        # Nothing for the 1st grade (no marks), nor for the senior semester still running.
        assert not marks.filter(course__school_class__grade=1).exists()
        assert not FinalMark.objects.filter(
            school=school, period__kind=StudyPeriod.Kind.SEMESTER
        ).exists()


def test_pupils_move_in_the_demo_with_their_orders(first):
    school, _quarter = first
    with scopes_disabled():
        left = Enrolment.objects.filter(school=school, end_reason="departure")
        arrived = Enrolment.objects.filter(school=school, reason="arrival")
        moved = Enrolment.objects.filter(school=school, reason="transfer")
        assert left.get().end_order_number == "112-у"
        assert arrived.get().note == "из гимназии № 2"
        assert moved.count() == 1


COLLEGE_REPORTS = {"reports:course_works", "reports:practice"}


def test_every_report_opens_for_the_deputy_with_figures(client, first):
    school, quarter = first
    client.force_login(User.objects.get(username="deputy"))
    documents = {}
    for name, _page, _about in REPORTS:
        response = client.get(school_reverse(school, name), {"span": f"period:{quarter.pk}"})
        if response.status_code == 400:  # a report of months or of the year
            response = client.get(school_reverse(school, name))
        assert response.status_code == 200, name
        documents[name] = response.context["document"]
        # A school has no course works or practice: the college's (tests/grading) has them.
        assert documents[name].rows or name in COLLEGE_REPORTS, name
    total = documents["reports:progress"].rows[-1].values
    assert total["name"] == "Итого"
    assert total["c_counted"] > 0 and total["c_success"] is not None
    assert total["c_excellent"] + total["c_good"] + total["c_three"] > 0


def test_the_deputy_finds_a_pupil_at_risk_in_the_demo(client, first):
    from reports.models import RiskEntry

    school, _quarter = first
    client.force_login(User.objects.get(username="deputy"))
    response = client.get(school_reverse(school, "reports:risk"), {"scope": "school"})
    assert response.status_code == 200
    rows = response.context["document"].rows
    truants = [r.values for r in rows if r.values["reason"] == "пропуски без уважительной причины"]
    assert truants and all(r["absences"] > 3 for r in truants)
    # The evening's check put them on the list (without e-mailing anyone while seeding).
    with scopes_disabled():
        kept = RiskEntry.objects.filter(school=school, left_on__isnull=True)
        assert kept.filter(reason="absences").exists()
        assert not kept.filter(notified_at__isnull=True).exists()
    assert all(r["since"] == TODAY for r in truants)
