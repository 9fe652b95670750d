"""A notice to parents when a period, year or exam mark is set (regulation 000 §4.4)."""

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled

from grading.models import FinalMark
from journal.models import NotificationSettings
from reports import tasks
from reports.models import FinalMarkNotice
from tests.factories import make_parent

from .builders import build_family

pytestmark = pytest.mark.django_db


def set_final(family, value=FinalMark.Value.FIVE, kind=FinalMark.Kind.PERIOD, mark=None):
    with scopes_disabled():
        if mark is None:
            return FinalMark.objects.create(
                school=family.school,
                pupil=family.pupil,
                course=family.courses[0],
                period=family.period if kind == FinalMark.Kind.PERIOD else None,
                kind=kind,
                value=value,
                set_by=family.teacher,
            )
        mark.value = value
        mark.save()
        return mark


def test_parents_are_told_once_when_a_period_mark_is_set(django_capture_on_commit_callbacks):
    family = build_family()
    second = make_parent(family.school, family.pupil)
    with scopes_disabled():
        second.email = "second@example.org"
        second.save()
    with django_capture_on_commit_callbacks(execute=True):
        mark = set_final(family)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([family.parent.email, second.email])
    assert "Предмет 1" in mail.outbox[0].body and ": 5" in mail.outbox[0].body
    # Saved again with the same value: nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        set_final(family, FinalMark.Value.FIVE, mark=mark)
    assert len(mail.outbox) == 2
    # Changed: a new notice.
    with django_capture_on_commit_callbacks(execute=True):
        set_final(family, FinalMark.Value.FOUR, mark=mark)
    assert len(mail.outbox) == 4
    with scopes_disabled():
        assert FinalMarkNotice.objects.count() == 4


def test_a_year_mark_is_told_too(django_capture_on_commit_callbacks):
    family = build_family()
    with django_capture_on_commit_callbacks(execute=True):
        set_final(family, FinalMark.Value.FOUR, kind=FinalMark.Kind.YEAR)
    [email] = mail.outbox
    assert "годовая" in email.body


def test_marks_written_in_bulk_are_found_by_the_hourly_tick():
    family = build_family()
    with scopes_disabled():
        FinalMark.objects.bulk_create(
            [
                FinalMark(
                    school=family.school,
                    pupil=family.pupil,
                    course=family.courses[0],
                    period=family.period,
                    kind=FinalMark.Kind.PERIOD,
                    value=FinalMark.Value.THREE,
                    set_by=family.teacher,
                )
            ]
        )
    assert mail.outbox == []
    assert tasks.tick()["final_marks"] == 1
    assert len(mail.outbox) == 1
    assert tasks.tick()["final_marks"] == 0
    assert len(mail.outbox) == 1


def test_the_notice_stays_in_the_app_when_email_is_off(client, django_capture_on_commit_callbacks):
    family = build_family()
    with scopes_disabled():
        NotificationSettings.objects.create(user=family.parent, email_final_marks=False)
    with django_capture_on_commit_callbacks(execute=True):
        set_final(family)
    assert mail.outbox == []
    client.force_login(family.parent)
    page = client.get(reverse("reports:notices", kwargs={"school_slug": family.school.slug}))
    assert "Предмет 1, 1 четверть: 5" in page.content.decode()
