"""The record of who read personal data (152-ФЗ, art. 19): every page that shows, exports or
changes pupils' personal data records who, when, from where and what, in one INSERT after
the response; the school administrator searches it; nobody edits or deletes it."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts import access_log
from accounts.models import AppendOnly, PersonalDataAccess, Regulation, Role
from accounts.navigation import school_reverse
from tests.factories import make_member
from tests.schedule.test_imports import GOOD, HEADER, csv_bytes, setup, upload  # noqa: F401

pytestmark = pytest.mark.django_db

View, Export, Change = (
    PersonalDataAccess.Action.VIEW,
    PersonalDataAccess.Action.EXPORT,
    PersonalDataAccess.Action.CHANGE,
)
CODES = {"roles": ["parent", "pupil"], "only_missing": "on"}


def own(w):
    return {"pk": w.own_pupil.pk}


def own_class(w):
    return {"pk": w.own_class.pk}


# (page, who, URL kwargs, method, data, action, about the own pupil, text in «what»)
PAGES = [
    ("accounts:pupil", "admin", own, "get", {}, View, True, "Карточка обучающегося"),
    ("accounts:pupil", "class_teacher", own, "get", {}, View, True, "Карточка обучающегося"),
    ("accounts:pupil_edit", "admin", own, "get", {}, View, True, "открыта для правки"),
    (
        "accounts:pupil_edit",
        "admin",
        own,
        "post",
        {"last_name": "Свой", "first_name": "Иван", "phone": "+7 900 000-00-00"},
        Change,
        True,
        "изменена",
    ),
    (
        "accounts:pupil_create",
        "admin",
        None,
        "post",
        {"last_name": "Новиков", "first_name": "Олег"},
        Change,
        False,
        "Новая запись обучающегося: Новиков Олег",
    ),
    ("accounts:pupils", "director", None, "get", {"q": "Свой"}, View, False, "поиск «Свой»"),
    # The family's access to the diary, and the parents' contacts kept by the school.
    ("accounts:family_access", "class_teacher", own, "get", {}, View, True, "Доступ семьи"),
    (
        "accounts:end_family_access",
        "class_teacher",
        own,
        "post",
        lambda w: {"whose": str(w.users["parent"].pk), "reason": "Код получил посторонний"},
        Change,
        True,
        "Доступ к дневнику закрыт",
    ),
    (
        "accounts:family_code",
        "admin",
        own,
        "post",
        {"role": "parent", "parent_kind": "father", "intended_for": "Свой Пётр Иванович"},
        Export,
        True,
        "Листок с кодом доступа",
    ),
    (
        "accounts:parent_contacts",
        "class_teacher",
        lambda w: {"pk": w.own_pupil.pk, "parent_pk": w.users["parent"].pk},
        "get",
        {},
        View,
        True,
        "Контакты родителя открыты для правки",
    ),
    (
        "accounts:parent_contacts",
        "deputy",
        lambda w: {"pk": w.own_pupil.pk, "parent_pk": w.users["parent"].pk},
        "post",
        {"phone": "+7 900 111-22-33", "email": "mama@example.ru"},
        Change,
        True,
        "Контакты родителя изменены",
    ),
    (
        "accounts:person",
        "admin",
        lambda w: {"pk": w.users["parent"].pk},
        "get",
        {},
        View,
        False,
        "Карточка пользователя",
    ),
    ("schedule:class", "class_teacher", own_class, "get", {}, View, False, "Класс 5А"),
    (
        "schedule:class_codes",
        "class_teacher",
        own_class,
        "post",
        {**CODES, "output": "html"},
        Export,
        False,
        "Листки с кодами доступа, класс 5А (HTML)",
    ),
    (
        "schedule:class_codes",
        "admin",
        own_class,
        "post",
        {**CODES, "output": "pdf"},
        Export,
        False,
        "(PDF)",
    ),
    ("reports:weekly_pdf", "class_teacher", own_class, "get", {}, Export, False, "Недельный"),
    ("reports:weekly_pdf", "deputy", own_class, "get", {"html": "1"}, Export, False, "Недельный"),
    # The school's reports that name pupils (a class teacher's default: their own class).
    (
        "reports:progress_pupils",
        "class_teacher",
        None,
        "get",
        {"category": "at_end"},
        View,
        False,
        "Отчёт «Обучающиеся: на конец периода»",
    ),
    ("reports:ledger", "class_teacher", None, "get", {"format": "xlsx"}, Export, False, "(XLSX)"),
    ("reports:class_report", "class_teacher", None, "get", {}, View, False, "Отчёт классного"),
    ("reports:attendance", "class_teacher", None, "get", {}, View, False, "посещаемости"),
    ("reports:attendance", "deputy", None, "get", {"min": "0"}, View, False, "посещаемости"),
    (
        "reports:attendance_ledger",
        "class_teacher",
        None,
        "get",
        {"format": "pdf"},
        Export,
        False,
        "(PDF)",
    ),
    ("reports:movement", "deputy", None, "get", {}, View, False, "«Движение обучающихся»"),
    # The register of course works and the practice report name students with their marks.
    ("reports:course_works", "deputy", None, "get", {"format": "xlsx"}, Export, False, "(XLSX)"),
    ("reports:practice", "class_teacher", None, "get", {}, View, False, "«Практика»"),
    ("reports:risk", "class_teacher", None, "get", {}, View, False, "Отчёт «Группа риска»"),
    ("reports:risk", "deputy", None, "get", {"format": "pdf"}, Export, False, "(PDF)"),
    (
        "archive:document",
        "deputy",
        lambda w: {"pk": w.own_document.pk},
        "get",
        {},
        Export,
        False,
        "классный журнал 5А",
    ),
]


def inserts(queries) -> int:
    table = PersonalDataAccess._meta.db_table
    return sum(q["sql"].startswith(f'INSERT INTO "{table}"') for q in queries)


@pytest.mark.parametrize(
    "page,who,kwargs,method,data,action,about_pupil,what",
    PAGES,
    ids=[f"{p[0]}-{p[3]}-{p[1]}" for p in PAGES],
)
def test_each_page_with_personal_data_records_who_when_where_and_what_in_one_insert(
    world, client, page, who, kwargs, method, data, action, about_pupil, what
):
    user = world.users[who]
    client.force_login(user)
    with scopes_disabled():
        url = school_reverse(world.school, page, **(kwargs(world) if kwargs else {}))
    before = timezone.now()
    if callable(data):
        data = data(world)
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(
            url, data, REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Firefox/140"
        )
    assert response.status_code in (200, 302), response.content[:300]
    assert inserts(queries.captured_queries) == 1
    with scopes_disabled():
        [row] = PersonalDataAccess.objects.all()
    assert (row.school_id, row.user_id, row.action) == (world.school.pk, user.pk, action)
    assert row.user_name == f"{user.full_name} ({user.username})"
    assert (row.ip_address, row.user_agent) == ("10.1.2.3", "Firefox/140")
    assert (row.page, row.path) == (page, url)
    assert what in row.what
    assert row.at >= before
    if about_pupil:
        assert row.pupil_id == world.own_pupil.pk


def test_a_page_refused_records_nothing(world, client):
    client.force_login(world.users["teacher"])
    url = school_reverse(world.school, "accounts:pupil", pk=world.own_pupil.pk)
    assert client.get(url).status_code == 404
    with scopes_disabled():
        assert not PersonalDataAccess.objects.exists()


def test_the_record_is_written_after_the_response_is_sent(world):
    """On the response's close, which the WSGI server calls once the body is out."""
    request = RequestFactory().get("/s/x/pupils/")
    request.user, request.school = world.users["admin"], world.school

    def view(request):
        access_log.record(request, View, "Список обучающихся", records=3)
        return HttpResponse("the page")

    response = access_log.AccessLogMiddleware(view)(request)
    with scopes_disabled():
        assert not PersonalDataAccess.objects.exists()
        # As the test client does: the test's connection stays open through the close.
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
        assert PersonalDataAccess.objects.get().records == 3


def test_the_record_cannot_be_changed_or_deleted_from_the_app(world):
    with scopes_disabled():
        row = PersonalDataAccess.objects.create(
            school=world.school, user_name="Кто-то", action=View, page="p", path="/", what="что"
        )
        row.what = "другое"
        with pytest.raises(AppendOnly):
            row.save()
        with pytest.raises(AppendOnly):
            row.delete()
        with pytest.raises(AppendOnly):
            PersonalDataAccess.objects.filter(pk=row.pk).update(what="другое")
        with pytest.raises(AppendOnly):
            PersonalDataAccess.objects.filter(pk=row.pk).delete()
        assert PersonalDataAccess.objects.get().what == "что"
    model_admin = admin.site._registry[PersonalDataAccess]
    request = RequestFactory().get("/admin/")
    request.user = world.users["admin"]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, row)
    assert not model_admin.has_delete_permission(request, row)


def test_records_past_the_school_retention_are_forgotten_and_the_rest_kept(world):
    now = timezone.now()
    with scopes_disabled():
        Regulation.objects.filter(school=world.school).update(access_log_days=100)
        for days in (10, 99, 101, 400):
            PersonalDataAccess.objects.create(
                school=world.school,
                at=now - timedelta(days=days),
                user_name="Кто-то",
                action=View,
                page="p",
                path="/",
                what=f"{days} дней назад",
            )
        PersonalDataAccess.objects.create(  # the other school keeps its default 3 years
            school=world.other_school,
            at=now - timedelta(days=400),
            user_name="Кто-то",
            action=View,
            page="p",
            path="/",
            what="у другой школы",
        )
        assert access_log.forget_old(now) == 2
        left = set(PersonalDataAccess.objects.values_list("what", flat=True))
    assert left == {"10 дней назад", "99 дней назад", "у другой школы"}


def test_the_administrator_searches_the_record_by_person_action_and_dates(world, client):
    admin_user = world.users["admin"]
    client.force_login(world.users["director"])
    client.get(school_reverse(world.school, "accounts:pupil", pk=world.own_pupil.pk))
    client.get(school_reverse(world.school, "accounts:pupils"))
    client.force_login(admin_user)
    page = school_reverse(world.school, "accounts:access_log")
    found = client.get(page, {"q": "Свой"}).content.decode()
    assert "Карточка обучающегося: Свой" in found and "Список обучающихся" not in found
    found = client.get(page, {"q": world.users["director"].username}).content.decode()
    assert found.count("<tr><td>") == 2
    today = timezone.localdate().isoformat()
    assert client.get(page, {"action": "export"}).content.decode().count("<tr><td>") == 0
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert "Записей нет" in client.get(page, {"end": yesterday}).content.decode()
    assert "Карточка обучающегося" in client.get(page, {"start": today}).content.decode()
    bad = client.get(page, {"start": today, "end": yesterday})
    assert bad.status_code == 400
    assert "Начало периода позже его конца" in bad.content.decode()
    # The other school's records are not there.
    with scopes_disabled():
        PersonalDataAccess.objects.create(
            school=world.other_school,
            user_name="Чужой Админ",
            action=View,
            page="p",
            path="/",
            what="чужое",
        )
    assert "Чужой Админ" not in client.get(page).content.decode()


def test_loading_pupils_from_a_file_records_the_preview_and_the_save(client, setup):  # noqa: F811
    school, year, admin_user = setup
    client.force_login(admin_user)
    preview = upload(client, school, year, "pupils.csv", csv_bytes([HEADER, *GOOD]))["Location"]
    assert client.get(preview).status_code == 200
    assert client.post(preview, {"mode": "all"}).status_code == 302
    with scopes_disabled():
        rows = list(PersonalDataAccess.objects.order_by("at", "pk"))
    assert [(r.action, r.records, r.user_id) for r in rows] == [
        (View, len(GOOD), admin_user.pk),
        (Change, len(GOOD), admin_user.pk),
    ]
    assert "pupils.csv" in rows[0].what and "pupils.csv" in rows[1].what


@pytest.mark.parametrize("personal", [True, False])
def test_a_report_naming_pupils_records_its_views_and_downloads(personal, rf, unscoped):
    """reports.views.page.ReportPage: a report with personal_data records each view and
    each download (XLSX, CSV, PDF); a report of figures only records nothing."""
    from django.contrib.sessions.backends.db import SessionStore
    from django_scopes import scope

    from lib.export import TEXT, Column, Report, Row
    from reports.views.page import ReportPage
    from tests.journal.grid_builders import build_journal

    journal = build_journal(2, 1)
    deputy = make_member(journal.school, Role.DEPUTY)

    class Pupils(ReportPage):
        report_id = "test-pupils"
        title = "Обучающиеся"
        personal_data = personal

        def build(self, params):
            column = Column("name", "ФИО", TEXT)
            rows = [Row({"name": p.full_name}) for p in journal.pupils]
            return Report(title=self.title, columns=[column], rows=rows)

    for query in ({}, {"format": "xlsx"}):
        request = rf.get("/s/x/reports/pupils/", query)
        request.user, request.school = deputy, journal.school
        request.school_roles = frozenset({Role.DEPUTY})
        request.session = SessionStore()
        with scope(school=journal.school):
            response = access_log.AccessLogMiddleware(Pupils.as_view())(request)
        assert response.status_code == 200
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
    rows = list(PersonalDataAccess.objects.order_by("pk"))
    if not personal:
        assert rows == []
        return
    assert [(r.action, r.what, r.records) for r in rows] == [
        (View, "Отчёт «Обучающиеся»", 2),
        (Export, "Отчёт «Обучающиеся» (XLSX)", 2),
    ]
