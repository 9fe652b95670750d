"""Which reads may go to the replica (lib/replica.py), on the tests' real database: the
declared views' GETs only, never inside a transaction, after a write of data, inside
from_primary() or for a browser that wrote a moment ago. tests/ops/test_replica.py serves
pages from a real streaming replica."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

import journal.urls
import reports.urls
from accounts.models import User
from grading.models import Mark
from grading.services.marks import work_types, write_mark
from journal.models import DiaryVisit
from journal.services.attendance import write_attendance
from lib.replica import (
    COOKIE,
    PRIMARY,
    ReplicaMiddleware,
    ReplicaRouter,
    declared,
    from_primary,
    replica_ok,
    request_reads,
    wants_replica,
)
from reports.views.page import ReportPage
from schedule.models import Lesson
from tests.factories import make_class, make_pupil, make_school
from tests.journal.grid_builders import build_journal
from tests.reports.builders import add_mark, build_family

# Outside the test's own transaction, where a test needs one: a read inside it is the primary's.
outside_a_transaction = pytest.mark.django_db(transaction=True)


@replica_ok
def lagging_view(request):
    return HttpResponse("ok")


def plain_view(request):
    return HttpResponse("ok")


def serve(request, view, inside=None):
    """The request through ReplicaMiddleware as Django's handler runs it; `inside(request)`
    runs in the view and its answer is returned with the response."""
    seen = {}

    def handler(request):
        middleware.process_view(request, view, (), {})
        seen["answer"] = inside(request) if inside else wants_replica(Mark)
        return view(request)

    middleware = ReplicaMiddleware(handler)
    response = middleware(request)
    return seen["answer"], response


@pytest.fixture
def reads():
    """A request's state as the middleware leaves it for a declared view's GET."""
    with request_reads() as state:
        state.replica = True
        yield state


def test_the_diary_and_the_report_pages_are_declared_and_nothing_else_there_is():
    declared_names = {p.name for p in journal.urls.urlpatterns if declared(p.callback)}
    diary = {p.name for p in journal.urls.urlpatterns if p.name.startswith("diary")}
    assert declared_names == diary and len(diary) == 5
    reports_declared = {p.name for p in reports.urls.urlpatterns if declared(p.callback)}
    report_pages = {
        p.name
        for p in reports.urls.urlpatterns
        if issubclass(getattr(p.callback, "view_class", object), ReportPage)
    }
    assert reports_declared == report_pages | {"index"}
    assert {"progress", "ledger", "attendance"} <= report_pages
    assert not {"weekly", "control_check", "digest", "notices"} & reports_declared


def test_a_declared_views_get_may_read_the_replica_and_its_post_may_not():
    factory = RequestFactory()
    assert serve(factory.get("/"), lagging_view)[0] is True
    assert serve(factory.head("/"), lagging_view)[0] is True
    assert serve(factory.post("/"), lagging_view)[0] is False
    assert serve(factory.get("/"), plain_view)[0] is False


def test_outside_a_request_every_read_is_the_primarys():
    assert wants_replica(Mark) is False
    assert ReplicaRouter().db_for_read(Mark) == PRIMARY


def test_every_write_goes_to_the_primary(reads):
    router = ReplicaRouter()
    for model in (Mark, User, DiaryVisit, Session):
        assert router.db_for_write(model) == PRIMARY
    assert router.allow_migrate("replica", "grading") is False
    assert router.allow_migrate(PRIMARY, "grading") is True


@outside_a_transaction
def test_reads_inside_a_transaction_or_with_a_row_lock_are_the_primarys(reads):
    assert wants_replica(Mark) is True
    with transaction.atomic():
        assert wants_replica(Mark) is False
    assert wants_replica(Mark) is True
    with override_settings(DATABASE_ROUTERS=["lib.replica.ReplicaRouter"]):
        assert User.objects.select_for_update().db == PRIMARY


def test_sessions_and_what_the_cache_keeps_are_read_from_the_primary(reads):
    assert wants_replica(Session) is False
    with from_primary():
        assert wants_replica(Mark) is False
        with from_primary():
            assert wants_replica(Mark) is False
        assert wants_replica(Mark) is False
    assert wants_replica(Mark) is True


@outside_a_transaction
def test_after_a_write_of_data_the_request_reads_the_primary_and_keeps_the_browser_there():
    school = make_school()

    def write(request):
        with scopes_disabled():
            make_class(school, 5, "Б")
        return wants_replica(Mark)

    answer, response = serve(RequestFactory().get("/"), lagging_view, write)
    assert answer is False
    cookie = response.cookies[COOKIE]
    assert cookie["max-age"] == 5 and cookie["httponly"]

    # The browser's next request, with the cookie: the primary.
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = cookie.value
    assert serve(request, lagging_view)[0] is False


@outside_a_transaction
@pytest.mark.parametrize("record", ["mark", "attendance"])
def test_a_cell_written_with_its_history_in_one_statement_is_a_write(record):
    """A journal cell is one WITH … INSERT statement (lib.history.save_with_history)."""
    journal = build_journal(1, 1, recent=True)
    lesson, pupil, column = journal.lessons[0], journal.pupils[0], journal.main_type().id

    def write(request):
        with scopes_disabled():
            if record == "mark":
                write_mark(lesson, pupil.pk, column, "5", current=None, by=journal.teacher)
            else:
                write_attendance(lesson, pupil.pk, "absent", None, current=None, by=journal.teacher)
        return wants_replica(Mark)

    answer, response = serve(RequestFactory().get("/"), lagging_view, write)
    assert answer is False
    assert COOKIE in response.cookies


@outside_a_transaction
def test_bookkeeping_writes_leave_the_reads_on_the_replica_and_set_no_cookie():
    school = make_school()
    with scopes_disabled():
        pupil = make_pupil(school, make_class(school, 5, "В"))
    user = User.objects.create(username="reader")

    def visit(request):
        DiaryVisit.objects.create(school=school, user=user, pupil=pupil, day=school.today())
        Session.objects.create(session_key="k" * 32, session_data="", expire_date=timezone.now())
        return wants_replica(Mark)

    answer, response = serve(RequestFactory().get("/"), lagging_view, visit)
    assert answer is True
    assert COOKIE not in response.cookies


@pytest.mark.parametrize("value", ["1", "forged:value"])
def test_a_cookie_not_signed_by_the_site_is_not_taken_for_a_write(value):
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = value
    assert serve(request, lagging_view)[0] is True


@pytest.mark.django_db
@override_settings(READ_YOUR_WRITES_SECONDS=0)
def test_a_window_of_zero_sets_no_cookie():
    school = make_school()

    def write(request):
        with scopes_disabled():
            make_class(school, 6, "А")

    response = serve(RequestFactory().get("/"), lagging_view, write)[1]
    assert COOKIE not in response.cookies


class RecordingRouter:
    """Asks lib.replica, for each read, whether it would go to the replica, and lets it go
    to the tests' one database: what a page would read where."""

    asked: list = []

    def db_for_read(self, model, **hints):
        self.asked.append((model._meta.label, wants_replica(model)))


def replica_wiring(settings):
    settings.DATABASE_ROUTERS = ["tests.lib.test_replica_router.RecordingRouter"]
    sessions = settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[:sessions],
        "lib.replica.ReplicaMiddleware",
        *settings.MIDDLEWARE[sessions:],
    ]
    RecordingRouter.asked = []
    return RecordingRouter.asked


@outside_a_transaction
def test_on_a_diary_page_read_from_the_replica_what_the_cache_keeps_is_read_from_the_primary(
    client, settings
):
    family = build_family(subjects=2)
    with scopes_disabled():
        first = Lesson.objects.create(
            school=family.school, course=family.courses[0], date=family.monday, number=1
        )
    add_mark(first, family.pupil, "5")
    client.force_login(family.parent)
    cache.clear()  # nothing kept yet: the page builds and keeps all it can
    asked = replica_wiring(settings)
    week = reverse(
        "journal:diary_week",
        kwargs={"school_slug": family.school.slug, "pupil": family.pupil.pk},
    )
    page = client.get(week, {"week": family.monday.isoformat()})
    assert page.status_code == 200 and 'class="mk m5' in page.content.decode()
    where = {}
    for label, replica in asked:
        where.setdefault(label, set()).add(replica)
    # The week itself, its marks, the school and the viewer's roles, the unread badge: all
    # kept in the cache, all the primary's.
    # The course ids of the pupil's classes are kept with the page too.
    kept_models = ("grading.Mark", "schedule.Lesson", "schedule.Course")
    for kept in (*kept_models, "accounts.School", "accounts.Membership"):
        assert where[kept] == {False}, (kept, where)
    assert where["journal.ThreadParticipant"] == {False}
    # The rest of the page (the pupil and the viewer's access to them): the replica's.
    assert True in where["accounts.Pupil"]

    # Viewed again, from the cache: the page reads nothing of its own (its course ids are
    # kept with it), only the session and the signed-in user, read before the view is known,
    # from the primary.
    asked.clear()
    assert client.get(week, {"week": family.monday.isoformat()}).status_code == 200
    before_the_view = {"sessions.Session", "accounts.User"}
    assert asked and {label for label, replica in asked} <= before_the_view
    assert not any(replica for label, replica in asked)


@outside_a_transaction
def test_the_school_work_types_kept_for_a_day_are_read_from_the_primary(settings, reads):
    school = make_school()
    cache.clear()
    asked = replica_wiring(settings)
    work_types(school)
    assert ("grading.WorkType", False) in asked
    assert {replica for label, replica in asked} == {False}
