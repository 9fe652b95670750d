"""The control's e-mails at the school's hour (its own clock and time zone): each teacher's
reminder of their open shortfalls once a day, the weekly summary to the deputy and the
director once a week on the school's weekly day, both after the evening check, both opt-out
like the message e-mails — and exactly once with two real Celery workers sending the same
rows at once."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django_scopes import scopes_disabled

from accounts.models import Role
from journal.models import NotificationSettings
from reports import tasks
from reports.models import ControlMail, Shortfall
from reports.services import control_mail
from tests.factories import make_member

from .control_builders import at, desk, lesson
from .test_digest_worker import RUN_TIMEOUT, real_worker, recipients, wait_for  # noqa: F401

Kind = ControlMail.Kind


def office(zone="Asia/Vladivostok"):
    """A desk whose teacher left Monday's topic empty, with a deputy and a director; the
    school's weekly day is Friday (Regulation.digest_weekday), its hour 20:00."""
    d = desk(zone, control_hour=20, digest_weekday=5)
    lesson(d, d.family.monday, topic="")
    deputy = make_member(d.school, Role.DEPUTY, last_name="Завучева", email="deputy@example.org")
    director = make_member(
        d.school, Role.DIRECTOR, last_name="Директорова", email="director@example.org"
    )
    return d, deputy, director


def tick(d, day, hour, capture, minute=30):
    moment = at(d.school.timezone, day, hour, minute)
    with time_machine.travel(moment, tick=False), capture(execute=True):
        tasks.control_tick()


def sent(kind=None) -> list[tuple[str, str]]:
    return sorted((m.to[0], m.subject) for m in mail.outbox if kind is None or kind in m.subject)


@pytest.mark.django_db
def test_the_friday_evening_check_mails_the_summary_and_the_reminder_once(
    django_capture_on_commit_callbacks,
):
    d, deputy, director = office()
    friday = d.family.monday + timedelta(days=4)
    tick(d, friday, 19, django_capture_on_commit_callbacks)  # before the school's hour
    assert mail.outbox == []
    tick(d, friday, 20, django_capture_on_commit_callbacks)
    day = friday.strftime("%d.%m.%Y")
    monday = d.family.monday.strftime("%d.%m.%Y")
    assert sent() == [
        ("deputy@example.org", f"Контроль ведения журнала: неделя с {monday}"),
        ("director@example.org", f"Контроль ведения журнала: неделя с {monday}"),
        ("t@example.org", f"Недочёты в журнале на {day}"),
    ]
    summary = next(m for m in mail.outbox if m.to == ["deputy@example.org"]).body
    assert "Тема в срок: 0,0\u00a0%" in summary  # Monday's lesson has no topic
    with scopes_disabled():
        open_rows = Shortfall.objects.filter(school=d.school, fixed_at__isnull=True).count()
    assert open_rows > 1 and f"Открытых недочётов: {open_rows}" in summary
    assert f"span=week%3A{d.family.monday.isoformat()}" in summary
    reminder = next(m for m in mail.outbox if m.to == ["t@example.org"]).body
    assert "не записана тема урока" in reminder and "/lessons/" in reminder
    assert reminder.count("  — ") == open_rows  # every open shortfall, each with its link
    # The next hours tick again: everything is sent, nothing goes twice.
    for hour in (21, 22, 23):
        tick(d, friday, hour, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    with scopes_disabled():
        rows = ControlMail.objects.filter(school=d.school)
        assert sorted(rows.values_list("kind", flat=True)) == ["reminder", "summary", "summary"]
        assert all(r.sent_at is not None for r in rows)


@pytest.mark.django_db
def test_another_day_brings_the_teacher_a_new_reminder_and_the_leadership_no_summary(
    django_capture_on_commit_callbacks,
):
    d, *_leaders = office()
    thursday = d.family.monday + timedelta(days=3)
    tick(d, thursday, 20, django_capture_on_commit_callbacks)
    tick(d, thursday + timedelta(days=4), 20, django_capture_on_commit_callbacks)  # Monday
    assert [to for to, _subject in sent()] == ["t@example.org", "t@example.org"]


@pytest.mark.django_db
def test_the_school_s_time_zone_decides_its_hour():
    d, *_leaders = office("Asia/Vladivostok")
    friday = d.family.monday + timedelta(days=4)
    # 11:00 UTC is 21:00 in Vladivostok: its check is due; 09:00 UTC is 19:00, not yet.
    with time_machine.travel(at("UTC", friday, 9), tick=False):
        assert tasks.control.due_checks() == []
    with time_machine.travel(at("UTC", friday, 11), tick=False):
        assert tasks.control.due_checks() == [(d.school.pk, friday)]


@pytest.mark.django_db
def test_whoever_turned_these_e_mails_off_gets_none(django_capture_on_commit_callbacks):
    d, deputy, _director = office()
    with scopes_disabled():
        NotificationSettings.objects.create(user=d.teacher, email_shortfalls=False)
        NotificationSettings.objects.create(user=deputy, email_control_summary=False)
    tick(d, d.family.monday + timedelta(days=4), 20, django_capture_on_commit_callbacks)
    assert [to for to, _subject in sent()] == ["director@example.org"]


@pytest.mark.django_db
def test_a_teacher_whose_shortfalls_were_fixed_before_the_mail_went_gets_nothing(
    django_capture_on_commit_callbacks,
):
    d, *_leaders = office()
    thursday = d.family.monday + timedelta(days=3)
    with time_machine.travel(at(d.school.timezone, thursday, 20, 30), tick=False):
        tasks.check_school(d.school.pk, thursday.isoformat())
        with scopes_disabled():
            [pk] = control_mail.plan(d.school.pk, thursday)
            Shortfall.objects.filter(school=d.school).update(fixed_at=d.school.now())
        assert control_mail.send(pk) == control_mail.NOTHING
        assert control_mail.send(pk) == control_mail.SKIPPED
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_mails_at_once_send_each_once(real_worker):  # noqa: F811
    d, *_leaders = office()
    friday = d.family.monday + timedelta(days=4)
    with time_machine.travel(at(d.school.timezone, friday, 20, 30), tick=False):
        tasks.check_school.apply(args=(d.school.pk, friday.isoformat()))
    real_worker.start()
    real_worker.start()
    with time_machine.travel(at(d.school.timezone, friday, 20, 40), tick=False):
        ids = control_mail.plan(d.school.pk, friday)  # queues each row once (after commit)
    assert len(ids) == 3
    for _ in range(3):  # and three more times: a redelivered or duplicated task
        for pk in ids:
            tasks.send_control_mail.delay(pk)

    def all_sent():
        with scopes_disabled():
            return not ControlMail.objects.filter(pk__in=ids, sent_at__isnull=True).exists()

    wait_for(all_sent, RUN_TIMEOUT, "the three mails")
    import time

    time.sleep(1.5)  # a duplicate still in flight would write its file by now
    assert sorted(recipients(real_worker.maildir)) == [
        "deputy@example.org",
        "director@example.org",
        "t@example.org",
    ]


@pytest.mark.django_db
def test_each_person_turns_off_the_control_s_e_mails_of_their_own_roles_on_the_settings_page(
    client,
):
    from accounts.navigation import school_reverse

    d, deputy, _director = office()
    path = school_reverse(d.school, "journal:notification_settings")
    client.force_login(d.teacher)
    html = client.get(path).content.decode()
    assert 'name="email_shortfalls"' in html and 'name="email_control_summary"' not in html
    assert client.post(path, {"email_messages": "on"}).status_code == 302
    with scopes_disabled():
        assert not NotificationSettings.objects.get(user=d.teacher).email_shortfalls
    client.force_login(deputy)
    html = client.get(path).content.decode()
    assert 'name="email_control_summary"' in html and 'name="email_shortfalls"' not in html
    client.force_login(d.family.parent)
    html = client.get(path).content.decode()
    assert 'name="email_risk"' in html and 'name="email_shortfalls"' not in html
