"""The check through real Celery workers on Redis: two workers checking one school at once
write each shortfall once (the school's ControlState row is locked for a check), and the
second check finds what the first wrote."""

from datetime import timedelta

import pytest
from django_scopes import scopes_disabled

from reports import tasks
from reports.models import ControlState, Shortfall

from .control_builders import desk, lesson
from .test_digest_worker import RUN_TIMEOUT, real_worker, wait_for  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_checking_one_school_at_once_write_each_shortfall_once(real_worker):  # noqa: F811
    d = desk()
    monday = d.family.monday
    for n in range(5):
        lesson(d, monday + timedelta(days=n), topic="")
    day = (monday + timedelta(days=7)).isoformat()
    real_worker.start()
    real_worker.start()
    for _ in range(4):
        tasks.check_school.delay(d.school.pk, day)

    def runs():
        with scopes_disabled():
            state = ControlState.objects.filter(school=d.school).first()
            return state.runs if state else 0

    wait_for(lambda: runs() == 4, RUN_TIMEOUT, "four checks")
    with scopes_disabled():
        rows = list(Shortfall.objects.filter(school=d.school))
    keys = [(r.kind, r.key) for r in rows]
    assert len(keys) == len(set(keys))
    topics = [r for r in rows if r.kind == Shortfall.Kind.TOPIC]
    assert len(topics) == 5 and all(r.fixed_at is None and r.run == 4 for r in topics)
