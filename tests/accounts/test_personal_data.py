"""Personal records: the leadership reads all; a registered reader (class teacher) one by one."""

from datetime import date

import pytest
from django_scopes import scopes_disabled

import accounts.rules
from accounts.models import Role
from accounts.navigation import school_reverse
from schedule.models import Enrolment
from schedule.rules import leads_the_current_class_of_pupil
from tests.factories import make_class, make_member, make_pupil

pytestmark = pytest.mark.django_db


@pytest.fixture
def class_teacher_reads():
    """schedule registers the pupil's current class teacher as a reader, once."""
    accounts.rules.add_personal_data_reader(leads_the_current_class_of_pupil)
    assert accounts.rules._personal_data_readers.count(leads_the_current_class_of_pupil) == 1


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DIRECTOR, Role.DEPUTY])
def test_the_leadership_reads_every_personal_record(client, school, role):
    pupil = make_pupil(school, None, document="II-МЮ 654321", address="ул. Липовая, 3")
    client.force_login(make_member(school, role))
    assert client.get(school_reverse(school, "accounts:pupils")).status_code == 200
    page = client.get(school_reverse(school, "accounts:pupil", pk=pupil.pk))
    assert page.status_code == 200
    assert "654321" in page.content.decode()
    assert "ул. Липовая, 3" in page.content.decode()


def test_a_registered_class_teacher_reads_the_records_of_their_own_class_only(
    client, school, class_teacher_reads
):
    lead = make_member(school, Role.TEACHER)
    own = make_pupil(school, make_class(school, 5, "А", class_teacher=lead), document="II 111111")
    other = make_pupil(school, make_class(school, 6, "Б"), document="II 222222")
    client.force_login(lead)

    page = client.get(school_reverse(school, "accounts:pupil", pk=own.pk))
    assert page.status_code == 200
    assert "II 111111" in page.content.decode()
    # Another class's pupil is not found for them, as if the record did not exist.
    denied = client.get(school_reverse(school, "accounts:pupil", pk=other.pk))
    assert denied.status_code == 404
    assert "222222" not in denied.content.decode()
    # One record at a time: never the list of the whole school; the class teacher keeps
    # their own class's records current (issue 15), no other.
    assert client.get(school_reverse(school, "accounts:pupils")).status_code == 403
    assert client.get(school_reverse(school, "accounts:pupil_edit", pk=own.pk)).status_code == 200
    assert client.get(school_reverse(school, "accounts:pupil_edit", pk=other.pk)).status_code == 404


def test_a_registered_reader_does_not_open_a_record_to_teachers_or_families(
    client, school, class_teacher_reads
):
    lead = make_member(school, Role.TEACHER)
    pupil = make_pupil(school, make_class(school, 5, "А", class_teacher=lead))
    for role in (Role.TEACHER, Role.PARENT, Role.PUPIL):
        client.force_login(make_member(school, role))
        assert client.get(school_reverse(school, "accounts:pupil", pk=pupil.pk)).status_code == 404


def test_a_former_class_teacher_no_longer_reads_the_record(client, school, class_teacher_reads):
    lead = make_member(school, Role.TEACHER)
    pupil = make_pupil(school, make_class(school, 5, "А", class_teacher=lead), document="II 333")
    with scopes_disabled():
        Enrolment.objects.filter(pupil=pupil).update(end=date(2021, 5, 31))
    client.force_login(lead)
    page = client.get(school_reverse(school, "accounts:pupil", pk=pupil.pk))
    assert page.status_code == 404
    assert "II 333" not in page.content.decode()
