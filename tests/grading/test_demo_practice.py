"""seed_demo gives the college course works in its register and a marked practice."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from accounts.models import School
from accounts.navigation import school_reverse
from grading.models import CourseWork, PracticeMark
from schedule.models import PracticePeriod

pytestmark = pytest.mark.django_db


def test_the_demo_college_has_course_works_and_a_practice_its_deputy_can_read(client):
    call_command("seed_demo", pupils=3, classes=1, grades="5", stdout=StringIO())
    college = School.objects.get(slug="college-kasli")
    with scopes_disabled():
        works = list(CourseWork.objects.filter(school=college))
        [period] = PracticePeriod.objects.filter(school=college)
        marks = PracticeMark.objects.filter(period=period).count()
        students = period.school_class.enrolments.count()
        place = period.place
        supervisor = works[0].supervisor
    assert len(works) >= 3
    assert any(w.mark for w in works) and any(w.defended is None for w in works)
    assert place.contract_number and period.hours == 72
    assert marks == students > 0
    # The supervisor of the works reads them in the register (their own).
    client.force_login(supervisor)
    register = client.get(school_reverse(college, "reports:course_works"))
    assert register.status_code == 200
    assert works[0].topic in register.text
