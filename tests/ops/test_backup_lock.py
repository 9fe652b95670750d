"""One backup at a time: the lock is a transaction's, on a connection of its own, so that it
holds behind PgBouncer in transaction mode (README «Масштабирование»)."""

import pytest
from django.db import connection

from ops.backups.services import LOCK_ID, exclusive

pytestmark = pytest.mark.django_db(transaction=True)

HELD = (
    "SELECT a.state FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
    " WHERE l.locktype = 'advisory' AND l.objid = %s AND l.granted"
)


def holders() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(HELD, [LOCK_ID])
        return [row[0] for row in cursor.fetchall()]


def test_a_second_run_is_refused_while_the_first_holds_the_lock_and_taken_after():
    with exclusive() as first:
        assert first is True
        with exclusive() as second:
            assert second is False
        # Held by a transaction left open for the run, not by a session between transactions.
        assert holders() == ["idle in transaction"]
    assert holders() == []
    with exclusive() as again:
        assert again is True


def test_the_lock_is_released_when_the_run_fails():
    with pytest.raises(RuntimeError), exclusive():
        raise RuntimeError("the dump failed")
    assert holders() == []
    with exclusive() as again:
        assert again is True
