"""Every form that creates something, sent twice at once, creates it once (issue 10, item 4).

Each case opens the form's page as someone allowed to use it, takes the form's fields as the
page renders them (its one-time token included: accounts/once.py), and sends them from two
threads at the same moment — two requests, two database connections, really concurrent on
PostgreSQL. Exactly one creates; the other answers that the form was sent already (or, where
the data itself forbids a second, refuses it). The count of what was created says so.
"""

import json
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django_scopes import scopes_disabled

from accounts.models import AccessCode, Consent, FamilyAccessEnd, Pupil, Role
from accounts.navigation import school_reverse
from grading.models import (
    Assessment,
    CourseWork,
    FinalMark,
    Retake,
    RetakeApplication,
    Session,
    WorkType,
)
from journal.models import (
    Announcement,
    HomeworkAttachment,
    MakeupProtocol,
    Message,
    PlanTopic,
    Thread,
)
from reports.models import ControlCheck
from schedule.models import (
    BellSchedule,
    Course,
    Holiday,
    ImportBatch,
    Lesson,
    PracticePeriod,
    SchoolClass,
    SchoolYear,
    Speciality,
    Subgroup,
    Subject,
    TimetableEntry,
)
from tests.factories import (
    make_class,
    make_course,
    make_member,
    make_parent,
    make_pupil,
    make_school,
    make_subject,
    make_year,
)
from tests.journal.grid_builders import add_lesson

pytestmark = pytest.mark.django_db(transaction=True)


class Forms(HTMLParser):
    """The fields of each <form method="post"> of a page, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select, self.textarea = [], None, None, None
        self.first_seen = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "option" and self.current is not None and self.select:
            chosen = self.current["fields"][self.select]
            if "selected" in a or not self.first_seen:
                chosen[:] = [a.get("value", "")]
                self.first_seen = True
            return
        if tag == "form" and a.get("method", "").lower() == "post":
            self.current = {"action": a.get("action") or "", "fields": {}}
            self.forms.append(self.current)
        if self.current is None or not a.get("name"):
            return
        fields = self.current["fields"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind not in ("submit", "file", "button"):
                fields[a["name"]] = [a.get("value", "")]
        elif tag == "select":
            self.select, self.first_seen = a["name"], False
            fields.setdefault(self.select, [])
        elif tag == "textarea":
            self.textarea = a["name"]
            fields[self.textarea] = [""]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self.textarea and self.current:
            self.current["fields"][self.textarea] = [data]

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_of(html: str, action: str, token=True) -> dict:
    """The fields of the form posting to `action` (or to its own page), token included."""
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        if form["action"] in (action, "") and ("form_token" in form["fields"] or not token):
            return {k: v if len(v) != 1 else v[0] for k, v in form["fields"].items()}
    raise AssertionError(f"no form with a one-time token posting to {action}")


@dataclass
class Case:
    actor: str
    page: object  # place -> URL of the form's page
    count: object  # () -> how many of what the form creates exist
    data: object = lambda place: {}  # place -> fields to fill in
    action: object = None  # place -> URL the form posts to (by default, its page)
    files: object = None  # () -> {name: file} sent with each request
    expected: int = 1
    prepare: object = None  # (place, client) -> HTML of the form's page, when not a GET
    token: bool = True  # False: the data alone forbids a second (no token on the form)


@dataclass
class Place:
    school: object = None
    users: dict = field(default_factory=dict)
    o: dict = field(default_factory=dict)

    def url(self, name, **kwargs):
        return school_reverse(self.school, name, **kwargs)


def build() -> Place:
    place = Place(make_school())
    school, o, users = place.school, place.o, place.users
    o["year"] = make_year(school)
    for role in ("admin", "deputy", "teacher"):
        users[role] = make_member(school, Role(role))
    users["class_teacher"] = make_member(school, Role.TEACHER)
    o["class"] = make_class(school, 5, "А", class_teacher=users["class_teacher"], year=o["year"])
    o["pupil"] = make_pupil(school, o["class"], start=o["year"].start)
    o["subject"] = make_subject(school)
    o["course"] = make_course(o["class"], o["subject"], teachers=[users["teacher"]])
    o["lesson"] = add_lesson(o["course"], school.today(), 1)
    with scopes_disabled():
        o["final"] = FinalMark.objects.create(
            school=school,
            pupil=o["pupil"],
            course=o["course"],
            kind="year",
            value="2",
            set_by=users["teacher"],
        )
        o["batch"] = ImportBatch.objects.create(
            school=school,
            kind="pupils",
            year=o["year"],
            filename="pupils.csv",
            created_by=users["admin"],
            rows=[
                {
                    "line": 2,
                    "values": {"last_name": "Ивушкина", "first_name": "Ольга", "class": "5А"},
                },
                {
                    "line": 3,
                    "values": {"last_name": "Ивушкин", "first_name": "Олег", "class": "5А"},
                },
            ],
        )
    return place


def count(model, **match):
    def counter():
        with scopes_disabled():
            return model.objects.filter(**match).count()

    return counter


def iso(day):
    return day.isoformat()


def upload_timetable(place, client):
    line = f"5А;{place.o['subject'].name};;ср;4;;;"
    content = f"Класс;Предмет;Подгруппа;День;Урок;Кабинет;Учитель;Недели\n{line}\n".encode()
    response = client.post(
        place.url("schedule:timetable_import"),
        {"year": place.o["year"].pk, "file": SimpleUploadedFile("t.csv", content)},
    )
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def linked_parent_page(place, client):
    """The family's access page of a pupil whose parent has registered."""
    make_parent(place.school, place.o["pupil"])
    response = client.get(place.url("accounts:family_access", pk=place.o["pupil"].pk))
    assert response.status_code == 200
    return response.content.decode()


def pdf():
    return {"files": SimpleUploadedFile("задание.pdf", b"%PDF-1.4 homework\n")}


CASES = {
    "a pupil's record": Case(
        "admin",
        lambda p: p.url("accounts:pupil_create"),
        count(Pupil, last_name="Новикова"),
        lambda p: {"last_name": "Новикова", "first_name": "Ольга"},
    ),
    "a consent to the processing of personal data": Case(
        "admin",
        lambda p: p.url("accounts:consent_add", pk=p.o["pupil"].pk),
        count(Consent, given_by="Новикова Ольга Петровна"),
        lambda p: {"given_on": "2026-09-01", "given_by": "Новикова Ольга Петровна"},
    ),
    "a code for one parent of a pupil": Case(
        "class_teacher",
        lambda p: p.url("accounts:family_access", pk=p.o["pupil"].pk),
        count(AccessCode, intended_for="Новикова Ольга Петровна"),
        lambda p: {
            "role": "parent",
            "parent_kind": "mother",
            "intended_for": "Новикова Ольга Петровна",
        },
        action=lambda p: p.url("accounts:family_code", pk=p.o["pupil"].pk),
    ),
    "an ending of a parent's access, with a new code": Case(
        "admin",
        None,
        count(FamilyAccessEnd),
        lambda p: {"reason": "Код получил посторонний", "new_code": "on"},
        action=lambda p: p.url("accounts:end_family_access", pk=p.o["pupil"].pk),
        prepare=linked_parent_page,
    ),
    "a staff code": Case(
        "admin",
        lambda p: p.url("accounts:staff_codes"),
        count(AccessCode, intended_for="Сидорова А. А."),
        lambda p: {"role": "teacher", "intended_for": "Сидорова А. А."},
    ),
    "a class": Case(
        "admin",
        lambda p: p.url("schedule:class_create"),
        count(SchoolClass, grade=7, letter="Г"),
        lambda p: {"grade": "7", "letter": "Г", "year": str(p.o["year"].pk)},
    ),
    "an enrolment of a new pupil": Case(
        "admin",
        lambda p: p.url("schedule:class_enrol", pk=p.o["class"].pk),
        count(Pupil, last_name="Зайцев"),
        lambda p: {
            "last_name": "Зайцев",
            "first_name": "Пётр",
            "day": iso(p.o["year"].start),
            "order_number": "15-о",
        },
    ),
    "parents' codes of a class": Case(
        "class_teacher",
        lambda p: p.url("schedule:class_codes", pk=p.o["class"].pk),
        count(AccessCode, role="parent"),
        lambda p: {"roles": ["parent"], "output": "html", "only_missing": "on"},
        expected=2,  # one for each parent the form names (mother, father), sent once
    ),
    "subgroups": Case(
        "class_teacher",
        lambda p: (
            p.url("schedule:subgroup_split", pk=p.o["class"].pk) + f"?subject={p.o['subject'].pk}"
        ),
        count(Subgroup),
        lambda p: {f"pupil_{p.o['pupil'].pk}": "1 группа"},
        action=lambda p: "",
        expected=2,
    ),
    "a school year": Case(
        "admin",
        lambda p: p.url("schedule:year_create"),
        count(SchoolYear, name="2031/2032"),
        lambda p: {"name": "2031/2032", "start": "2031-09-01", "end": "2032-08-31"},
    ),
    "a holiday": Case(
        "admin",
        lambda p: p.url("schedule:holiday_create", pk=p.o["year"].pk),
        count(Holiday, name="Осенние каникулы"),
        lambda p: {
            "name": "Осенние каникулы",
            "start": iso(p.o["year"].start + timedelta(days=60)),
            "end": iso(p.o["year"].start + timedelta(days=67)),
        },
    ),
    "a bell schedule": Case(
        "admin",
        lambda p: p.url("schedule:bell_schedule_create"),
        count(BellSchedule),
        lambda p: {"name": "2 смена"},
    ),
    "a subject": Case(
        "admin",
        lambda p: p.url("schedule:subjects"),
        count(Subject, name="Астрономия"),
        lambda p: {"name": "Астрономия", "short_name": "Астр."},
        action=lambda p: p.url("schedule:subject_create"),
    ),
    "a course": Case(
        "admin",
        lambda p: p.url("schedule:course_create"),
        count(Course, subject__name="Химия"),
        lambda p: {
            "school_class": str(p.o["class"].pk),
            "subject": str(make_subject(p.school, "Химия").pk),
            "hours_per_week": "2",
        },
    ),
    "pupils from a file": Case(
        "admin",
        lambda p: p.url("schedule:import_preview", pk=p.o["batch"].pk),
        count(Pupil, last_name__startswith="Ивушкин"),
        lambda p: {"mode": "all"},
        expected=2,
    ),
    "a timetable entry": Case(
        "deputy",
        lambda p: p.url("schedule:timetable_entry_add", pk=p.o["class"].pk),
        count(TimetableEntry),
        lambda p: {"course": str(p.o["course"].pk), "weekday": "2", "number": "3"},
    ),
    "a timetable from a file": Case(
        "deputy",
        None,
        count(TimetableEntry),
        lambda p: {"mode": "all"},
        action=lambda p: p.url("schedule:timetable_import_confirm"),
        prepare=upload_timetable,
    ),
    "a work type": Case(
        "admin",
        lambda p: p.url("grading:work_types"),
        count(WorkType, name="Проект"),
        lambda p: {"form-8-name": "Проект", "form-8-short_name": "Пр", "form-8-weight": "2"},
    ),
    "a retake": Case(
        "teacher",
        lambda p: p.url("grading:retake", pk=p.o["final"].pk),
        count(Retake),
        lambda p: {
            "held_on": iso(p.school.today()),
            "protocol_number": "7",
            "commission": [str(p.users["deputy"].pk)],
            "result": "3",
        },
    ),
    "a speciality": Case(
        "admin",
        lambda p: p.url("schedule:specialities"),
        count(Speciality, code="15.02.08"),
        lambda p: {
            "code": "15.02.08",
            "name": "Технология машиностроения",
            "kind": "speciality",
            "programme": "ppssz",
            "study_years": "3",
            "study_months": "10",
        },
    ),
    "a session": Case(
        "deputy",
        lambda p: p.url("grading:sessions"),
        count(Session),
        lambda p: {
            "period": str(semester_of(p).pk),
            "start": iso(p.school.today()),
            "end": iso(p.school.today() + timedelta(days=3)),
        },
    ),
    "an assessment with its commission": Case(
        "deputy",
        lambda p: p.url("grading:assessment_add", pk=session_of(p).pk),
        count(Assessment),
        lambda p: {
            "course": str(p.o["course"].pk),
            "form": "exam",
            "held_on": iso(p.school.today()),
            "order_number": "01-03/7",
            "order_date": iso(p.school.today()),
            "chair": str(p.users["deputy"].pk),
            "members": [str(p.users["teacher"].pk)],
        },
    ),
    "a retake application": Case(
        "class_teacher",
        lambda p: p.url("grading:retake_apply", pk=failed_exam(p).pk),
        count(RetakeApplication),
        lambda p: {"reason": "по болезни"},
    ),
    "a make-up protocol": Case(
        "teacher",
        lambda p: p.url("journal:makeup", pk=missed_lesson(p).pk),
        count(MakeupProtocol),
        lambda p: {
            "pupil": str(p.o["pupil"].pk),
            "number": "4",
            "held_on": iso(p.school.today()),
            "value": "5",
        },
    ),
    "a plan topic": Case(
        "teacher",
        lambda p: p.url("journal:plan", pk=p.o["course"].pk),
        count(PlanTopic, title="Дроби"),
        lambda p: {"title": "Дроби", "hours": "1", "kind": "lesson"},
        action=lambda p: p.url("journal:plan_topic_add", pk=p.o["course"].pk),
    ),
    "a plan from a file": Case(
        "teacher",
        None,
        count(PlanTopic),
        expected=2,
        action=lambda p: p.url("journal:plan_import", pk=p.o["course"].pk),
        prepare=lambda p, client: client.post(
            p.url("journal:plan_import", pk=p.o["course"].pk),
            {"file": SimpleUploadedFile("ktp.csv", "Тема;Часы\nДроби;1\nПроценты;1\n".encode())},
        ).content.decode(),
    ),
    "a check's справка": Case(
        "deputy",
        lambda p: p.url("reports:control_check_new"),
        count(ControlCheck, findings="Темы не записаны."),
        lambda p: {
            "findings": "Темы не записаны.",
            "fix_by": iso(p.school.today() + timedelta(days=7)),
            "teachers": [str(p.users["teacher"].pk)],
        },
    ),
    "a message": Case(
        "teacher",
        lambda p: p.url("journal:message_new"),
        count(Thread, subject="Собрание"),
        lambda p: {"to": f"u{p.users['admin'].pk}", "subject": "Собрание", "body": "В четверг"},
    ),
    "a reply": Case(
        "admin",
        lambda p: p.url("journal:thread", pk=started_thread(p).pk),
        count(Message, body="Приду"),
        lambda p: {"body": "Приду"},
    ),
    "an announcement": Case(
        "deputy",
        lambda p: p.url("journal:announcement_new"),
        count(Announcement, title="Субботник"),
        lambda p: {
            "title": "Субботник",
            "body": "В субботу",
            "published_on": iso(p.school.today()),
        },
    ),
    "a homework file": Case(
        "teacher",
        lambda p: p.url("journal:lesson_edit", pk=p.o["lesson"].pk),
        count(HomeworkAttachment),
        lambda p: {"topic": "Дроби", "kind": "lesson", "homework_text": "№ 5"},
        action=lambda p: p.url("journal:lesson_edit", pk=p.o["lesson"].pk),
        files=pdf,
    ),
    "a course work": Case(
        "teacher",
        lambda p: p.url("grading:course_work_new"),
        count(CourseWork, topic="Проект участка механической обработки"),
        lambda p: {
            "course": str(p.o["course"].pk),
            "pupil": str(p.o["pupil"].pk),
            "topic": "Проект участка механической обработки",
            "supervisor": str(p.users["teacher"].pk),
        },
    ),
    "a practice period": Case(
        "deputy",
        lambda p: p.url("grading:practice_create"),
        count(PracticePeriod, name="УП.01 Слесарная практика"),
        lambda p: {
            "school_class": str(p.o["class"].pk),
            "kind": "educational",
            "name": "УП.01 Слесарная практика",
            "start": iso(p.o["year"].start),
            "end": iso(p.o["year"].start + timedelta(days=13)),
            "hours": "72",
            "supervisor": str(p.users["teacher"].pk),
            "place_name": "АО «Завод»",
        },
    ),
    # Safe by the data itself: a lesson moved once is moved (its row is locked first).
    "a moved lesson": Case(
        "deputy",
        lambda p: p.url("schedule:lesson", pk=p.o["lesson"].pk),
        count(Lesson),
        lambda p: {
            "date": iso(
                p.school.today() + timedelta(days=1 if p.school.today().isoweekday() < 6 else 2)
            ),
            "number": "6",
            "reason": "Болезнь учителя",
        },
        action=lambda p: p.url("schedule:lesson_move", pk=p.o["lesson"].pk),
        token=False,
    ),
}


def started_thread(place):
    from journal.services import messaging

    with scopes_disabled():
        thread = getattr(place, "_thread", None)
        if thread is None:
            thread = place._thread = messaging.start_thread(
                place.school, place.users["teacher"], f"u{place.users['admin'].pk}", "Вопрос", "?"
            )
    return thread


def semester_of(place):
    """A semester holding today (made once per place), its session, its exam of the course."""
    from schedule.models import StudyPeriod

    found = place.o.get("semester")
    if found is None:
        today = place.school.today()
        with scopes_disabled():
            found = place.o["semester"] = StudyPeriod.objects.create(
                school=place.school, year=place.o["year"], kind="semester", number=1,
                start=today - timedelta(days=30), end=today + timedelta(days=60),
            )  # fmt: skip
    return found


def session_of(place):
    from grading.models import Session

    if "session" not in place.o:
        today = place.school.today()
        with scopes_disabled():
            place.o["session"] = Session.objects.create(
                school=place.school, period=semester_of(place), start=today,
                end=today + timedelta(days=5),
            )  # fmt: skip
    return place.o["session"]


def failed_exam(place):
    from grading.models import Assessment

    if "exam" not in place.o:
        with scopes_disabled():
            assessment = Assessment.objects.create(
                school=place.school, session=session_of(place), course=place.o["course"],
                form="exam", held_on=place.school.today(), order_number="1",
                order_date=place.school.today(), chair=place.users["deputy"],
            )  # fmt: skip
            place.o["exam"] = FinalMark.objects.create(
                school=place.school, pupil=place.o["pupil"], course=place.o["course"],
                period=assessment.session.period, kind="exam", value="2",
                set_by=place.users["teacher"],
            )  # fmt: skip
    return place.o["exam"]


def missed_lesson(place):
    from journal.models import Attendance

    with scopes_disabled():
        Attendance.objects.get_or_create(
            school=place.school, lesson=place.o["lesson"], pupil=place.o["pupil"],
            defaults={"code": "absent", "set_by": place.users["teacher"]},
        )  # fmt: skip
    return place.o["lesson"]


def send_twice(client_for, action, data, files):
    """Two POSTs of the same form, let go at the same moment from two threads."""
    start = threading.Barrier(2)
    statuses = []

    def send():
        client = client_for()
        payload = {**data, **(files() if files else {})}
        start.wait(timeout=30)
        try:
            statuses.append(client.post(action, payload).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@pytest.mark.parametrize("name", list(CASES))
def test_a_form_sent_twice_at_once_creates_once(name):
    case = CASES[name]
    place = build()
    user = place.users[case.actor]
    browser = Client()
    browser.force_login(user)
    before = case.count()
    if case.prepare:
        html = case.prepare(place, browser)
    else:
        response = browser.get(case.page(place))
        assert response.status_code == 200, response.status_code
        html = response.content.decode()
    action = case.action(place) if case.action else ""
    fields = {**form_of(html, action, case.token), **case.data(place)}
    target = action or (case.page(place) if case.page else "")
    cookie = browser.cookies  # the same browser: one session, two clicks

    def same_browser():
        client = Client()
        client.cookies = cookie
        return client

    statuses = send_twice(same_browser, target, fields, case.files)
    assert len(statuses) == 2, statuses
    assert all(s < 500 for s in statuses), statuses
    assert case.count() - before == case.expected, (name, statuses)


def test_a_form_refused_as_invalid_may_be_sent_again_with_its_token(client):
    place = build()
    client.force_login(place.users["admin"])
    html = client.get(place.url("accounts:pupil_create")).content.decode()
    fields = form_of(html, "")
    refused = client.post(place.url("accounts:pupil_create"), {**fields, "first_name": "Ольга"})
    assert refused.status_code == 400  # no last name
    sent = client.post(
        place.url("accounts:pupil_create"),
        {**fields, "last_name": "Новикова", "first_name": "Ольга"},
    )
    assert sent.status_code == 302
    again = client.post(
        place.url("accounts:pupil_create"),
        {**fields, "last_name": "Новикова", "first_name": "Ольга"},
        follow=True,
    )
    assert "Эта форма уже отправлена" in again.content.decode()
    with scopes_disabled():
        assert Pupil.objects.filter(last_name="Новикова").count() == 1


def test_every_view_that_creates_is_sent_once_and_has_a_case_here():
    from django.urls import get_resolver

    from accounts.once import SubmitOnceMixin

    def views(resolver):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern)
            else:
                cls = getattr(pattern.callback, "view_class", None)
                if cls is not None:
                    yield cls

    guarded = {cls.__name__ for cls in views(get_resolver()) if issubclass(cls, SubmitOnceMixin)}
    assert len(guarded) >= len(CASES) - 1  # the moved lesson is safe by its data
    assert json.dumps(sorted(guarded))  # listed in the report of a failure below
    assert len(guarded) == 33, sorted(guarded)


def test_codes_issued_from_two_tabs_at_once_give_each_pupil_one_code():
    """Two forms, two tokens: the class's lock and «only those without a code» hold."""
    place = build()
    make_pupil(place.school, place.o["class"], start=place.o["year"].start)
    url = place.url("schedule:class_codes", pk=place.o["class"].pk)
    tabs = []
    for _tab in range(2):
        client = Client()
        client.force_login(place.users["class_teacher"])
        fields = form_of(client.get(url).content.decode(), "")
        tabs.append((client, {**fields, "roles": ["parent"], "only_missing": "on"}))
    # One code per parent named (mother, father) for each of the two pupils, once.
    start = threading.Barrier(2)
    statuses = []

    def send(client, data):
        start.wait(timeout=30)
        try:
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=tab) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200, 302]  # the slips, and «everyone has a code already»
    with scopes_disabled():
        codes = AccessCode.objects.filter(role="parent")
        assert sorted(codes.values_list("parent_kind", flat=True)) == [
            "father",
            "father",
            "mother",
            "mother",
        ]
