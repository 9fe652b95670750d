"""Redis stopped while pages are served, and started again: gunicorn and a Celery worker of
the test's own on a Redis server of its own (tests/ops/services.py), the data in the tests'
PostgreSQL database. Pages render from the database, nobody is signed out, a mark is saved
and shown at once, /readyz names what is wrong, and a task queued while Redis was down (a
message's notice) is kept and runs once Redis is back."""

import re

import pytest
from django_scopes import scopes_disabled

from accounts.navigation import school_reverse
from grading.models import Mark
from journal.models import Message
from ops.models import OutboxMessage
from tests.factories import PASSWORD, make_parent
from tests.journal.grid_builders import build_journal

from .services import app_env, database_url, gunicorn, redis_server, sign_in, wait_for, workers

pytestmark = pytest.mark.django_db(transaction=True)


def post_cell(session, url, value, column):
    return session.post(
        url,
        data={"value": value, "column": column},
        headers={"X-CSRFToken": session.cookies["csrftoken"], "X-Requested-With": "fetch"},
        allow_redirects=False,
        timeout=10,
    )


def test_without_redis_pages_render_nobody_is_signed_out_and_queued_tasks_run_once_it_is_back(
    tmp_path,
):
    journal = build_journal(3, 2, recent=True)
    today = journal.lessons[-1]
    pupil = journal.pupils[0]
    parent = make_parent(journal.school, pupil)
    column = journal.main_type(today).id
    grid = school_reverse(journal.school, "journal:grid", pk=journal.course.pk)
    cell = school_reverse(journal.school, "journal:cell", pk=today.pk, pupil_pk=pupil.pk)
    compose = school_reverse(journal.school, "journal:message_new")

    with redis_server(tmp_path) as redis, workers() as start_worker:
        env = app_env(database_url(), redis.url)
        with gunicorn(env, tmp_path) as web:
            teacher = sign_in(web.url, journal.teacher.username, PASSWORD)
            assert teacher.get(web.url + grid, timeout=10).status_code == 200

            redis.stop()
            page = teacher.get(web.url + grid, allow_redirects=False, timeout=10)
            assert page.status_code == 200  # still signed in: the session is in the database
            assert pupil.last_name in page.text
            saved = post_cell(teacher, web.url + cell, "5", column)
            assert saved.status_code == 200 and saved.json()["ok"], saved.text[:300]
            with scopes_disabled():
                assert Mark.objects.get(lesson=today, pupil=pupil).value == "5"
            # The grid is built anew (no cached page to trust): the new mark is on it.
            page = teacher.get(web.url + grid, timeout=10)
            assert cell_value(page.text, f"c{today.pk}_{pupil.pk}_{column}") == "5"

            ready = teacher.get(web.url + "/readyz", timeout=10)
            assert ready.status_code == 503
            assert ready.json()["checks"]["redis"] == "fail"
            assert ready.json()["checks"]["database"] == "ok"

            # Signing in works too, and a message's notice waits in the outbox.
            family = sign_in(web.url, parent.username, PASSWORD)
            assert family.get(web.url + compose, timeout=10).status_code == 200
            sent = teacher.post(
                web.url + compose,
                data={
                    "to": f"u{parent.pk}",
                    "subject": "Контрольная",
                    "body": "Пишем в четверг.",
                    "csrfmiddlewaretoken": teacher.cookies["csrftoken"],
                },
                allow_redirects=False,
                timeout=10,
            )
            assert sent.status_code == 302, sent.text[:500]
            with scopes_disabled():
                message = Message.objects.get(body="Пишем в четверг.")
                assert message.notified_at is None
                kept = OutboxMessage.objects.get()
            assert (kept.name, kept.args) == ("journal.notify_new_message", [message.pk])

            redis.start()
            # The worker's first heartbeat sends what the outbox holds; the task runs once.
            worker = start_worker(env, tmp_path)

            def notified():
                with scopes_disabled():
                    return Message.objects.filter(pk=message.pk, notified_at__isnull=False).exists()

            wait_for(notified, 30, "the kept notice to run", interval=0.2)
            assert not OutboxMessage.objects.exists()
            assert worker.text().count("journal.notify_new_message") >= 1

            # Back to normal, and still signed in.
            def ready_again():
                checks = teacher.get(web.url + "/readyz", timeout=10).json()["checks"]
                return checks["redis"] == "ok" and checks["worker"] == "ok"

            wait_for(ready_again, 20, "/readyz to see Redis and the worker again")
            assert teacher.get(web.url + grid, allow_redirects=False, timeout=10).status_code == 200
            saved = post_cell(teacher, web.url + cell, "4", column)
            assert saved.json()["ok"]
            page = teacher.get(web.url + grid, timeout=10)
            assert cell_value(page.text, f"c{today.pk}_{pupil.pk}_{column}") == "4"


def cell_value(html: str, name: str) -> str | None:
    """The value the grid shows in the input named `name` (its other attributes aside)."""
    found = re.search(rf"<input name={name}\b[^>]*? value=([^ >]*)", html)
    return found.group(1) if found else None
