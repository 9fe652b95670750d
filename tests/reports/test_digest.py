"""The weekly digest: when it goes, what it says, and that it goes exactly once (in-process,
with eager tasks; tests/reports/test_digest_worker.py runs a real worker)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Regulation, Role
from accounts.services import end_role
from journal.models import NotificationSettings
from reports import tasks
from reports.models import DigestDelivery, DigestSettings
from reports.services import digest
from schedule.models import Lesson
from tests.factories import (
    make_member,
    make_parent,
    make_pupil,
    regulation_form_data,
    set_rules,
)

from .builders import add_mark, build_family
from .mail_backends import Crash

pytestmark = pytest.mark.django_db

MOSCOW = ZoneInfo("Europe/Moscow")
FLAKY = "tests.reports.mail_backends.FlakyBackend"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=MOSCOW)


@pytest.mark.parametrize(
    "day,week",
    [
        (date(2025, 10, 17), date(2025, 10, 13)),  # Friday: this week
        (date(2025, 10, 19), date(2025, 10, 13)),  # Sunday: this week
        (date(2025, 10, 20), date(2025, 10, 13)),  # Monday: the week before
        (date(2025, 10, 16), date(2025, 10, 6)),  # Thursday: the week before
    ],
)
def test_a_digest_covers_the_school_week_just_gone(day, week):
    assert digest.digest_week(day) == week


def test_the_send_moment_is_the_schools_weekday_and_hour_in_its_time_zone():
    friday_evening = at(2025, 10, 17, 18, 30)
    assert digest.last_send_moment(friday_evening, "Europe/Moscow", 5, 18) == at(2025, 10, 17, 18)
    assert digest.last_send_moment(at(2025, 10, 17, 17, 59), "Europe/Moscow", 5, 18) == at(
        2025, 10, 10, 18
    )
    # 18:30 in Moscow is 20:30 in Yekaterinburg: that school's 18:00 has passed too.
    moment = digest.last_send_moment(friday_evening, "Asia/Yekaterinburg", 5, 20)
    assert moment.hour == 20 and moment.date() == date(2025, 10, 17)


def test_schools_are_due_once_within_a_day_of_their_moment():
    family = build_family()
    school = family.school
    set_rules(school, digest_weekday=5, digest_hour=18)

    def due(now):
        return [w for s, w in digest.due_weeks(now) if s == school]

    assert due(at(2025, 10, 17, 17, 0)) == []
    assert due(at(2025, 10, 17, 18, 5)) == [date(2025, 10, 13)]
    assert due(at(2025, 10, 18, 17, 0)) == [date(2025, 10, 13)]  # caught up within a day
    assert due(at(2025, 10, 18, 19, 0)) == []  # too late: next week's digest
    digest.plan_week(school, date(2025, 10, 13))
    assert due(at(2025, 10, 17, 19, 0)) == []  # planned once
    with scopes_disabled():
        DigestSettings.objects.filter(school=school).update(planned_week=None)
    assert due(at(2025, 10, 17, 19, 0)) == [date(2025, 10, 13)]  # unplanned again: due
    set_rules(school, digest_enabled=False)
    assert due(at(2025, 10, 17, 19, 0)) == []


def test_every_parent_of_the_school_gets_one_row_however_often_it_is_planned():
    family = build_family()
    sister = make_pupil(family.school, family.school_class)
    second_parent = make_parent(family.school, sister)
    former = make_parent(family.school, make_pupil(family.school, family.school_class))
    with scopes_disabled():
        end_role(former.memberships.get(role=Role.PARENT))
    for _ in range(2):
        ids = digest.plan_week(family.school, family.monday)
    with scopes_disabled():
        rows = DigestDelivery.objects.filter(school=family.school)
        assert sorted(rows.values_list("parent_id", flat=True)) == sorted(
            [family.parent.pk, second_parent.pk]
        )
    assert sorted(ids) == sorted(rows.values_list("pk", flat=True))


def deliveries(family, week=None):
    return digest.plan_week(family.school, week or family.monday)


def test_the_digest_tells_the_weeks_marks_absences_homework_and_forecasts(settings):
    family = build_family(subjects=2, days=5, per_day=2)
    [delivery_id] = deliveries(family)
    assert digest.deliver(delivery_id) == digest.SENT
    [email] = mail.outbox
    assert email.to == [family.parent.email]
    assert family.pupil.full_name in email.subject
    text = email.body
    for expected in ("Предмет 1", "Контрольная работа", "Молодец", "№ 12, 14", "н", "прогноз"):
        assert expected in text, expected
    html = email.alternatives[0][0]
    assert "Молодец" in html
    with scopes_disabled():
        kept = DigestDelivery.objects.get(pk=delivery_id)
    assert kept.state == DigestDelivery.State.SENT
    assert kept.content["children"][0]["pupil"] == family.pupil.full_name
    assert len(kept.content["children"][0]["marks"]) == 10


def test_a_retried_or_duplicated_task_never_sends_again():
    family = build_family(subjects=1, days=1, per_day=1)
    [delivery_id] = deliveries(family)
    assert tasks.send_digest.delay(delivery_id).get() == digest.SENT
    assert tasks.send_digest.delay(delivery_id).get() == digest.SKIPPED
    assert digest.deliver(delivery_id) == digest.SKIPPED
    assert len(mail.outbox) == 1


def test_one_refused_address_does_not_stop_the_others(settings):
    settings.EMAIL_BACKEND = FLAKY
    family = build_family()
    refused = make_parent(family.school, make_pupil(family.school, family.school_class))
    third = make_parent(family.school, make_pupil(family.school, family.school_class))
    with scopes_disabled():
        refused.email = "refused@example.org"
        refused.save()
        third.email = "third@example.org"
        third.save()
    for delivery_id in deliveries(family):
        tasks.send_digest.delay(delivery_id)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([family.parent.email, third.email])
    with scopes_disabled():
        states = dict(DigestDelivery.objects.values_list("parent_id", "state"))
    assert states[refused.pk] == DigestDelivery.State.FAILED
    assert states[third.pk] == states[family.parent.pk] == DigestDelivery.State.SENT


def test_a_mail_server_outage_is_retried_not_lost(settings):
    settings.EMAIL_BACKEND = FLAKY
    family = build_family()
    with scopes_disabled():
        family.parent.email = "flaky@example.org"
        family.parent.save()
    [delivery_id] = deliveries(family)
    assert digest.deliver(delivery_id) == digest.RETRY
    with scopes_disabled():
        row = DigestDelivery.objects.get(pk=delivery_id)
    assert (row.state, row.attempts) == (DigestDelivery.State.PENDING, 1)
    assert digest.deliver(delivery_id) == digest.SENT
    assert len(mail.outbox) == 1


def test_a_crash_between_claim_and_send_is_recovered_by_the_next_tick(settings):
    """The worker «dies» while the row is locked: the transaction rolls back, the row is
    PENDING again, and the tick's re-dispatch sends it — once."""
    settings.EMAIL_BACKEND = FLAKY
    family = build_family()
    with scopes_disabled():
        family.parent.email = "crash@example.org"
        family.parent.save()
    # A recent week: the tick re-dispatches the last two weeks' digests only.
    [delivery_id] = deliveries(family, digest.digest_week(timezone.localdate()))
    with pytest.raises(Crash):
        digest.deliver(delivery_id)
    with scopes_disabled():
        row = DigestDelivery.objects.get(pk=delivery_id)
        assert (row.state, row.attempts) == (DigestDelivery.State.PENDING, 0)
        family.parent.email = "parent@example.org"  # the worker is back
        family.parent.save()
    tasks.tick(redispatch_after_seconds=0)
    tasks.tick(redispatch_after_seconds=0)
    assert [m.to for m in mail.outbox] == [["parent@example.org"]]


def test_a_parent_who_turned_email_off_reads_the_digest_in_the_app(client):
    family = build_family(subjects=1, days=2, per_day=1)
    with scopes_disabled():
        NotificationSettings.objects.create(user=family.parent, email_digest=False)
    [delivery_id] = deliveries(family)
    assert digest.deliver(delivery_id) == digest.SENT
    assert mail.outbox == []
    client.force_login(family.parent)
    slug = family.school.slug
    notices = client.get(reverse("reports:notices", kwargs={"school_slug": slug}))
    path = reverse("reports:digest", kwargs={"school_slug": slug, "pk": delivery_id})
    assert path in notices.content.decode()
    page = client.get(path).content.decode()
    assert family.pupil.full_name in page and "Предмет 1" in page


def test_the_hourly_tick_sends_each_due_parent_one_digest(monkeypatch):
    family = build_family(subjects=1, days=1, per_day=1)
    other = make_parent(family.school, make_pupil(family.school, family.school_class))
    with scopes_disabled():
        other.email = "other@example.org"
        other.save()
    now = at(2025, 10, 17, 18, 10)
    monkeypatch.setattr(digest.timezone, "now", lambda: now)
    set_rules(family.school, digest_weekday=5, digest_hour=18)
    assert tasks.tick()["planned"] == 2
    assert tasks.tick()["planned"] == 0  # the tick again, or a retried tick
    assert sorted(m.to[0] for m in mail.outbox) == sorted([family.parent.email, other.email])
    with scopes_disabled():
        assert set(DigestDelivery.objects.values_list("week", flat=True)) == {date(2025, 10, 13)}


def test_the_administrator_sets_the_day_and_hour_in_the_regulation(client):
    family = build_family()
    user = make_member(family.school, Role.ADMIN)
    client.force_login(user)
    log = reverse("reports:digest_log", kwargs={"school_slug": family.school.slug})
    assert "пятница, 18:00" in client.get(log).text
    path = reverse("accounts:regulation_edit", kwargs={"school_slug": family.school.slug})
    data = regulation_form_data(family.school, digest_weekday=6, digest_hour=10)
    assert client.post(path, data).status_code == 302
    with scopes_disabled():
        regulation = Regulation.objects.get(school=family.school)
    assert (regulation.digest_weekday, regulation.digest_hour) == (6, 10)
    assert "суббота, 10:00" in client.get(log).text
    assert (
        client.post(path, {**data, "digest_weekday": "9", "digest_hour": "30"}).status_code == 400
    )


def test_marks_of_another_week_are_not_in_this_digest():
    family = build_family(subjects=1, days=1, per_day=1)
    with scopes_disabled():
        earlier = Lesson.objects.create(
            school=family.school,
            course=family.courses[0],
            date=family.monday - timedelta(days=7),
            number=1,
        )
    add_mark(earlier, family.pupil, "2", comment="Прошлая неделя")
    [delivery_id] = deliveries(family)
    digest.deliver(delivery_id)
    assert "Прошлая неделя" not in mail.outbox[0].body


def test_a_digest_holding_a_not_certified_period_mark_is_kept_as_json():
    # The period mark's label («н/а») used to reach the JSON field as a lazy translation,
    # which PostgreSQL's adapter refused: the digest of such a child was never saved.
    import json

    from grading.models import FinalMark

    family = build_family(subjects=1, days=1, per_day=1)
    with scopes_disabled():
        FinalMark.objects.create(
            school=family.school,
            pupil=family.pupil,
            course=family.courses[0],
            period=family.period,
            kind=FinalMark.Kind.PERIOD,
            value=FinalMark.Value.NOT_CERTIFIED,
            set_by=family.teacher,
        )
    [delivery_id] = deliveries(family)
    assert digest.deliver(delivery_id) == digest.SENT
    with scopes_disabled():
        content = DigestDelivery.objects.get(pk=delivery_id).content
    finals = [a["final"] for a in content["children"][0]["averages"]]
    assert "н/а" in finals and json.loads(json.dumps(content)) == content
