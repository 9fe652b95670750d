"""The digest and the notices for real families: two children in one digest, the beat
schedule that drives them, and a refused address that stops nobody else's notice."""

from datetime import timedelta

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django_scopes import scopes_disabled

from accounts.models import ParentLink
from config.celery import app
from grading.models import FinalMark
from reports.models import DigestDelivery, FinalMarkNotice
from reports.services import digest
from tests.factories import make_parent

from .builders import add_absence, add_homework, add_mark, build_family

pytestmark = pytest.mark.django_db

FLAKY = "tests.reports.mail_backends.FlakyBackend"


def test_a_parent_of_two_children_gets_one_digest_telling_about_both():
    family = build_family(subjects=1, days=1, per_day=1)
    brother = build_family(school=family.school, grade=8, letter="В", subjects=1)
    with scopes_disabled():
        brother.pupil.first_name = "Иван"
        brother.pupil.save(update_fields=["first_name"])
        ParentLink.objects.create(school=family.school, parent=family.parent, pupil=brother.pupil)
        lesson = brother.school_class.courses.first().lessons.create(
            school=family.school, date=family.monday + timedelta(days=2), number=3
        )
    add_mark(lesson, brother.pupil, "3", comment="Не выучил правило")
    add_absence(lesson, brother.pupil, "ill")
    add_homework(lesson, text="Параграф 9")
    ids = digest.plan_week(family.school, family.monday)
    with scopes_disabled():
        mine = DigestDelivery.objects.get(parent=family.parent)
    assert mine.pk in ids
    for delivery_id in ids:
        digest.deliver(delivery_id)
    emails = [m for m in mail.outbox if m.to == [family.parent.email]]
    assert len(emails) == 1
    body = emails[0].body
    assert family.pupil.full_name in body and brother.pupil.full_name in body
    assert "Не выучил правило" in body and "Параграф 9" in body and "по болезни" in body
    with scopes_disabled():
        mine.refresh_from_db()
    assert [c["pupil"] for c in mine.content["children"]] == [
        brother.pupil.full_name,  # Иван before Пётр
        family.pupil.full_name,
    ]


def test_the_beat_schedule_in_settings_runs_the_tick_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-tick"]
    assert entry["task"] == "reports.tick"
    assert entry["schedule"] == crontab(minute=0)
    # The app reads it from the settings, and the tasks it names are registered.
    assert app.conf.beat_schedule["reports-tick"]["task"] == "reports.tick"
    app.loader.import_default_modules()
    for name in ("reports.tick", "reports.send_digest", "reports.notify_final_mark"):
        assert name in app.tasks
    send = app.tasks["reports.send_digest"]
    assert send.acks_late and send.reject_on_worker_lost


def test_a_refused_address_does_not_stop_the_other_parents_final_mark_notices(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FLAKY
    family = build_family(subjects=1)
    refused = make_parent(family.school, family.pupil)
    second = make_parent(family.school, family.pupil)
    with scopes_disabled():
        refused.email = "refused@example.org"
        refused.save(update_fields=["email"])
        second.email = "second@example.org"
        second.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        FinalMark.objects.create(
            school=family.school,
            pupil=family.pupil,
            course=family.courses[0],
            period=family.period,
            kind=FinalMark.Kind.PERIOD,
            value=FinalMark.Value.FIVE,
            set_by=family.teacher,
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([family.parent.email, second.email])
    with scopes_disabled():
        told = set(FinalMarkNotice.objects.values_list("parent_id", flat=True))
    assert told == {family.parent.pk, refused.pk, second.pk}  # in the app for all three
