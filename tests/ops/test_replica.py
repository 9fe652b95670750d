"""A streaming replica for the diary and the reports (DATABASE_REPLICA_URL, lib/replica.py),
for real: a primary cluster of the test's own and a replica made of it by `pg_basebackup -R`,
each on a free port (named after the xdist worker), gunicorn on both, the replica's replay
paused to make it lag as much as a test needs. Both clusters are dropped at the end, also
on failure."""

import os
import time

import pytest
from django.conf import settings

from accounts.models import Role
from accounts.navigation import school_reverse
from journal.models import Attendance
from lib.replica import COOKIE
from tests.factories import PASSWORD, make_course, make_member, make_parent, make_subject
from tests.journal.grid_builders import add_lesson, build_journal

from .services import PsqlError, app_env, database_url, gunicorn, sign_in, streaming_pair

# READ_YOUR_WRITES_SECONDS of the server under test: its cookie's age counts whole seconds.
WINDOW = 3
NO_ABSENCES = "Пропусков нет."
ABSENCE = '<span class="abs">н</span>'

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(os.geteuid() != 0, reason="pg_createcluster needs root (as in CI)"),
]


@pytest.fixture(scope="module")
def pair():
    with streaming_pair() as clusters:
        yield clusters


class Served:
    """A school copied into the primary, replayed by the replica, served by gunicorn."""

    def __init__(self, primary, replica, dbname, web, journal, lesson, parent, deputy):
        self.primary, self.replica, self.dbname, self.web = primary, replica, dbname, web
        self.journal, self.lesson, self.parent, self.deputy = journal, lesson, parent, deputy
        self.pupil = journal.pupils[0]

    def url(self, name, **kwargs) -> str:
        return self.web.url + school_reverse(self.journal.school, name, **kwargs)

    def attendance(self, session):
        page = session.get(self.url("journal:diary_attendance", pupil=self.pupil.pk), timeout=10)
        assert page.status_code == 200, page.text[:500]
        return page

    def mark_absent(self, session):
        """The class teacher marks the pupil absent at today's lesson of their course."""
        main = self.journal.main_type(self.lesson)
        saved = session.post(
            self.url("journal:cell", pk=self.lesson.pk, pupil_pk=self.pupil.pk),
            data={"value": "н", "column": main.id},
            headers={"X-CSRFToken": session.cookies["csrftoken"], "X-Requested-With": "fetch"},
            timeout=10,
        )
        assert saved.status_code == 200 and saved.json()["ok"], saved.text[:500]
        return saved

    def absences_on(self, cluster) -> int:
        table = Attendance._meta.db_table
        return int(cluster.query(f"SELECT count(*) FROM {table}", self.dbname))  # noqa: S608


@pytest.fixture
def served(pair, tmp_path):
    primary, replica = pair
    journal = build_journal(3, 2, recent=True, periods=True)
    # The class teacher's own course, with a lesson today: they mark absences there and read
    # their class's diaries.
    history = make_subject(journal.school, "История")
    course = make_course(journal.school_class, history, teachers=[journal.class_teacher])
    lesson = add_lesson(course, journal.today, number=5)
    parent = make_parent(journal.school, journal.pupils[0])
    deputy = make_member(journal.school, Role.DEPUTY)
    dbname = f"zhurnal_{os.urandom(4).hex()}"
    primary.copy_from(database_url(), dbname)
    replica.catch_up()
    env = app_env(
        primary.url(dbname),
        settings.REDIS_URL,
        DATABASE_REPLICA_URL=replica.url(dbname),
        READ_YOUR_WRITES_SECONDS=str(WINDOW),
        REPLICA_RETRY_SECONDS="1",
    )
    with gunicorn(env, tmp_path, workers=1) as web:
        try:
            yield Served(primary, replica, dbname, web, journal, lesson, parent, deputy)
        finally:
            replica.resume_replay()


def signed_in(served, *users):
    """Sessions of `users`, past the read-your-writes of their sign-in (a write)."""
    sessions = [sign_in(served.web.url, user.username, PASSWORD) for user in users]
    time.sleep(WINDOW + 0.5)
    return sessions


def test_the_replica_is_a_hot_standby_streaming_from_the_primary(served):
    assert served.primary.query("SELECT state FROM pg_stat_replication") == "streaming"
    assert served.replica.query("SELECT pg_is_in_recovery()") == "t"
    assert served.primary.query("SELECT pg_is_in_recovery()") == "f"
    with pytest.raises(PsqlError, match="read-only transaction"):
        served.replica.query("DELETE FROM journal_attendance", served.dbname)


def test_a_parents_diary_is_read_from_the_replica_and_shows_a_change_once_it_is_replayed(served):
    parent, teacher = signed_in(served, served.parent, served.journal.class_teacher)
    assert NO_ABSENCES in served.attendance(parent).text

    served.replica.pause_replay()
    served.mark_absent(teacher)
    assert served.absences_on(served.primary) == 1
    assert served.absences_on(served.replica) == 0
    page = served.attendance(parent)
    assert NO_ABSENCES in page.text and ABSENCE not in page.text  # the replica's, behind
    assert COOKIE not in page.cookies  # reading a diary is no write of the reader's

    served.replica.resume_replay()
    served.replica.catch_up()
    assert ABSENCE in served.attendance(parent).text


def test_a_teacher_reads_their_own_write_at_once_while_the_replica_lags(served):
    parent, teacher = signed_in(served, served.parent, served.journal.class_teacher)
    served.replica.pause_replay()

    saved = served.mark_absent(teacher)
    assert COOKIE in saved.cookies
    # The teacher's next pages read the primary: their absence is there at once...
    assert ABSENCE in served.attendance(teacher).text
    # ...while another user's read of the same page goes to the replica, still behind.
    assert NO_ABSENCES in served.attendance(parent).text
    # The window is short: past it the teacher reads the replica again.
    time.sleep(WINDOW + 0.5)
    assert NO_ABSENCES in served.attendance(teacher).text

    served.replica.resume_replay()
    served.replica.catch_up()
    assert ABSENCE in served.attendance(teacher).text
    assert ABSENCE in served.attendance(parent).text


def test_a_report_is_read_from_the_replica_and_the_teachers_own_write_at_once(served):
    head, teacher = signed_in(served, served.deputy, served.journal.class_teacher)
    ledger = served.url("reports:attendance_ledger")
    query = {"scope": f"class:{served.journal.school_class.pk}"}

    def table(session) -> str:
        page = session.get(ledger, params=query, timeout=10)
        assert page.status_code == 200, page.text[:500]
        return page.text[page.text.index("<table") : page.text.index("</table>")]

    before = table(head)
    assert table(teacher) == before
    served.replica.pause_replay()
    served.mark_absent(teacher)
    changed = table(teacher)  # the primary's, within the teacher's window
    assert changed != before
    assert table(head) == before  # the replica's, behind

    served.replica.resume_replay()
    served.replica.catch_up()
    assert table(head) == changed


def test_the_writes_of_a_page_read_from_the_replica_go_to_the_primary(served):
    (parent,) = signed_in(served, served.parent)
    visits = "SELECT count(*) FROM journal_diaryvisit"
    assert served.primary.query(visits, served.dbname) == "0"
    served.replica.pause_replay()

    # The first view of the day records the visit (an insert) while the page reads the
    # replica, which refuses every write: the row is the primary's.
    page = parent.get(served.url("journal:diary_week", pupil=served.pupil.pk), timeout=10)
    assert page.status_code == 200
    assert served.primary.query(visits, served.dbname) == "1"
    assert served.replica.query(visits, served.dbname) == "0"


def test_while_the_replica_is_down_the_diary_is_read_from_the_primary(served):
    parent, teacher = signed_in(served, served.parent, served.journal.class_teacher)
    assert NO_ABSENCES in served.attendance(parent).text  # a connection to the replica
    served.replica.stop()
    try:
        served.mark_absent(teacher)
        # The replica's connection is found dead and a new one refused: the primary serves.
        assert ABSENCE in served.attendance(parent).text
    finally:
        served.replica.start()
    served.replica.catch_up()
    assert ABSENCE in served.attendance(parent).text
