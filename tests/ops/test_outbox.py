"""A task queued while the broker does not answer is kept in the database and sent by the
next drain; sent once, with the same id (tests/ops/test_fault_redis.py does it end to end,
through gunicorn and a real worker)."""

import json

import pytest
import redis as redis_lib
from celery import Celery
from django.conf import settings

from ops import outbox
from ops.models import OutboxMessage

from .services import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def down_app():
    """A Celery app like the project's (OutboxTask), its broker a port nobody listens on."""
    app = Celery("outbox-test", task_cls="ops.outbox:OutboxTask", set_as_current=False)
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    app.conf.broker_connection_timeout = 1
    app.conf.task_publish_retry_policy = {"max_retries": 1, "interval_start": 0.1}
    yield app
    app.close()


def test_a_task_the_broker_cannot_take_waits_in_the_outbox_and_is_sent_later(down_app):
    @down_app.task(name="journal.notify_new_message")
    def task(message_id):
        return message_id

    result = task.apply_async((42,), queue="outbox-test")
    kept = OutboxMessage.objects.get()
    assert (kept.task_id, kept.name, kept.args) == (result.id, "journal.notify_new_message", [42])
    assert kept.options == {"queue": "outbox-test"}
    assert kept.error  # what the broker said, for the operator

    client = redis_lib.Redis.from_url(settings.REDIS_URL)
    client.delete("outbox-test")
    try:
        assert outbox.drain() == 1  # through the project's app, whose broker answers
        assert not OutboxMessage.objects.exists()
        [raw] = client.lrange("outbox-test", 0, -1)
        message = json.loads(raw)
        assert message["headers"]["id"] == result.id
        assert message["headers"]["task"] == "journal.notify_new_message"
        assert message["headers"]["argsrepr"] == "[42]"
        assert outbox.drain() == 0  # sent once
    finally:
        client.delete("outbox-test")


def test_a_task_the_broker_takes_never_touches_the_outbox(down_app, settings):
    down_app.conf.broker_url = settings.REDIS_URL

    @down_app.task(name="ops.test_noop")
    def task():
        return None

    client = redis_lib.Redis.from_url(settings.REDIS_URL)
    try:
        task.apply_async(queue="outbox-test-2")
        assert client.llen("outbox-test-2") == 1
        assert not OutboxMessage.objects.exists()
    finally:
        client.delete("outbox-test-2")
