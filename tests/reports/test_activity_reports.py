"""The weekly report of users' activity (002 §7.1) reaches each branch's head with their own
branch and the college's deputy with every branch, once, from the hourly tick."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.core import mail
from django_scopes import scopes_disabled

from accounts.models import LoginEvent, Role
from reports import tasks
from reports.models import ActivityReportDelivery
from reports.services import activity_mail
from tests.factories import make_member, make_org_member, make_organisation, make_school

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 10, 19)  # the week reported is 12.10–18.10
LAST_WEEK = datetime.combine(date(2026, 10, 14), time(10, 0)).astimezone()


@pytest.fixture
def college():
    kasli = make_school(short_name="Касли")
    ufaley = make_school(short_name="Верхний Уфалей")
    organisation = make_organisation([kasli, ufaley])
    deputy = make_org_member(organisation, "deputy", email="deputy@example.org")
    head = make_member(kasli, Role.DIRECTOR, email="head@example.org")
    teacher = make_member(kasli, Role.TEACHER)
    LoginEvent.objects.create(user=teacher, school=kasli, at=LAST_WEEK)
    return kasli, ufaley, deputy, head


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    """The hourly tick on the Monday after the week, its tasks queued after the commit."""

    def run():
        monday = datetime.combine(MONDAY, time(9, 0)).astimezone()
        with (
            time_machine.travel(monday, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return tasks.tick()

    return run


def test_the_head_of_a_branch_gets_their_branch_and_the_colleges_deputy_every_branch(college, tick):
    kasli, ufaley, deputy, head = college
    assert tick()["activity_reports"] == 2
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {"deputy@example.org", "head@example.org"}
    assert "12.10.2026 — 18.10.2026" in sent["head@example.org"].subject
    head_text, deputy_text = sent["head@example.org"].body, sent["deputy@example.org"].body
    assert kasli.short_name in head_text and ufaley.short_name not in head_text
    assert kasli.short_name in deputy_text and ufaley.short_name in deputy_text
    # The teacher of Касли entered last week: one of the branch's two staff members.
    assert "Сотрудников: 2\n  Из них входили: 1" in head_text


def test_a_second_tick_and_a_repeated_task_send_nothing_more(college, tick):
    tick()
    assert len(mail.outbox) == 2
    assert tick()["activity_reports"] == 0
    delivery = ActivityReportDelivery.objects.first()
    assert activity_mail.send(delivery.pk) is False
    assert len(mail.outbox) == 2


def test_the_report_as_sent_is_kept_with_its_recipient(college, tick):
    _kasli, _ufaley, deputy, _head = college
    tick()
    with scopes_disabled():
        kept = ActivityReportDelivery.objects.get(user=deputy)
    assert kept.emailed_to == "deputy@example.org"
    assert kept.week == date(2026, 10, 12)
    assert [row["school"] for row in kept.content["rows"]] == ["Верхний Уфалей", "Касли"]
