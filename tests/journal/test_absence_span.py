"""«Болел с … по …»: the class teacher gives one reason to every absence of one pupil in a span."""

from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from accounts.navigation import school_reverse
from grading.models import CorrectionRequest
from journal.models import Attendance

from .grid_builders import build_journal

pytestmark = pytest.mark.django_db


def absent(journal, lesson, pupil):
    with scopes_disabled():
        return Attendance.objects.create(
            school=journal.school, lesson=lesson, pupil=pupil, code="absent", set_by=journal.teacher
        )


def test_one_form_gives_the_reason_to_every_absence_in_the_span_only(client):
    journal = build_journal(2, 5, recent=True)
    pupil, other = journal.pupils
    rows = [absent(journal, lesson, pupil) for lesson in journal.lessons]
    outside = rows[0]
    neighbour = absent(journal, journal.lessons[-1], other)
    span = journal.lessons[1].date, journal.lessons[-1].date
    client.force_login(journal.class_teacher)
    url = school_reverse(journal.school, "journal:absence_span", pk=journal.school_class.pk)
    page = school_reverse(journal.school, "journal:class_absences", pk=journal.school_class.pk)
    assert url in client.get(page).content.decode()
    response = client.post(
        url,
        {
            "pupil": pupil.pk,
            "start": span[0].isoformat(),
            "end": span[1].isoformat(),
            "code": "ill",
            "reason": "Справка из поликлиники",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        for row in rows[1:]:
            row.refresh_from_db()
            asked = CorrectionRequest.objects.filter(lesson=row.lesson, pupil=pupil).exists()
            assert row.code == "ill" or asked, row.lesson.date
            if row.code == "ill":
                assert row.history.first().history_user == journal.class_teacher
        outside.refresh_from_db()
        neighbour.refresh_from_db()
        assert outside.code == "absent" and neighbour.code == "absent"


def test_a_span_backwards_is_refused_in_russian_and_changes_nothing(client):
    journal = build_journal(1, 2, recent=True)
    row = absent(journal, journal.lessons[-1], journal.pupils[0])
    client.force_login(journal.class_teacher)
    url = school_reverse(journal.school, "journal:absence_span", pk=journal.school_class.pk)
    today = journal.today
    response = client.post(
        url,
        {
            "pupil": journal.pupils[0].pk,
            "start": today.isoformat(),
            "end": (today - timedelta(days=3)).isoformat(),
            "code": "ill",
        },
        follow=True,
    )
    assert "Дата «по» раньше даты «с»" in response.content.decode()
    with scopes_disabled():
        row.refresh_from_db()
    assert row.code == "absent"


def test_the_class_teacher_s_home_leads_to_the_class_s_absences(client, world):
    client.force_login(world.users["class_teacher"])
    html = client.get(school_reverse(world.school, "accounts:dashboard")).content.decode()
    url = school_reverse(world.school, "journal:class_absences", pk=world.own_class.pk)
    assert url in html
    assert client.get(url).status_code == 200
