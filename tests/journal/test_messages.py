"""Messages: who may write to whom, threads, unread counts, e-mail notices."""

from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import Role
from journal.models import Message, NotificationSettings, Thread, ThreadParticipant
from journal.services import messaging
from schedule.models import Subgroup, SubgroupMembership
from tests.factories import (
    make_class,
    make_course,
    make_member,
    make_parent,
    make_pupil,
    make_school,
    make_subject,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager_tasks():
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@dataclass
class School:
    school: object
    people: dict
    classes: dict


def build_school() -> School:
    """5А (class teacher «ct») with «p1» (English group 1) and «p2» (group 2); 6Б («oct»)
    with «q». «t» teaches 5А mathematics and English group 1, «t2» English group 2 and «ot»
    6Б. Parents: «pa» of p1, «pb» of p2, «qa» of q; «p1u» is p1's own account."""
    school = make_school()
    people = {
        "admin": make_member(school, Role.ADMIN),
        "director": make_member(school, Role.DIRECTOR),
        "deputy": make_member(school, Role.DEPUTY),
        "t": make_member(school, Role.TEACHER, email="t@example.org"),
        "t2": make_member(school, Role.TEACHER),
        "ot": make_member(school, Role.TEACHER),
        "ct": make_member(school, Role.TEACHER),
        "oct": make_member(school, Role.TEACHER),
        "p1u": make_user(),
    }
    five = make_class(school, 5, "А", class_teacher=people["ct"])
    six = make_class(school, 6, "Б", class_teacher=people["oct"])
    p1 = make_pupil(school, five, user=people["p1u"])
    p2 = make_pupil(school, five)
    q = make_pupil(school, six)
    people["pa"] = make_parent(school, p1)
    people["pb"] = make_parent(school, p2)
    people["qa"] = make_parent(school, q)
    maths, english = make_subject(school, "Математика"), make_subject(school, "Английский язык")
    make_course(five, maths, [people["t"]])
    make_course(six, maths, [people["ot"]])
    with scopes_disabled():
        groups = [
            Subgroup.objects.create(school=school, school_class=five, subject=english, name=n)
            for n in ("1", "2")
        ]
        for group, pupil in zip(groups, (p1, p2), strict=True):
            SubgroupMembership.objects.create(
                school=school, subgroup=group, pupil=pupil, start=five.year.start
            )
    make_course(five, english, [people["t"]], subgroup=groups[0])
    make_course(five, english, [people["t2"]], subgroup=groups[1])
    return School(school, people, {"5А": five, "6Б": six})


STAFF = ["admin", "director", "deputy", "t", "t2", "ot", "ct", "oct"]
LEADERS = ["admin", "director", "deputy"]
FAMILIES = ["pa", "pb", "qa", "p1u"]
# sender → everyone they may write to (users and class mailings); everyone else is refused.
MAY_WRITE = {
    "pa": {"t", "ct", *LEADERS},
    "p1u": {"t", "ct", *LEADERS},
    "pb": {"t", "t2", "ct", *LEADERS},
    "qa": {"ot", "oct", *LEADERS},
    "t": {*STAFF, "pa", "pb", "p1u"},
    "t2": {*STAFF, "pb"},
    "ot": {*STAFF, "qa"},
    "ct": {*STAFF, "pa", "pb", "p1u", "class:5А"},
    "oct": {*STAFF, "qa", "class:6Б"},
    **{leader: {*STAFF, *FAMILIES, "class:5А", "class:6Б"} for leader in LEADERS},
}


def unread(user, school) -> int:
    with scopes_disabled():
        return messaging.unread_total(user, school)


@pytest.fixture
def world():
    return build_school()


def keys_of(world, names):
    keys = set()
    for name in names:
        if name.startswith("class:"):
            keys.add(f"c{world.classes[name[6:]].pk}")
        else:
            keys.add(f"u{world.people[name].pk}")
    return keys


@pytest.mark.parametrize("sender", sorted(MAY_WRITE))
def test_who_may_write_to_whom_follows_the_roles(world, sender):
    user = world.people[sender]
    with scopes_disabled():
        allowed = {r.key for r in messaging.allowed_recipients(user, world.school)}
    expected = keys_of(world, MAY_WRITE[sender] - {sender})
    assert allowed == expected


def test_a_refused_recipient_cannot_be_written_to(world, client):
    pa, qa = world.people["pa"], world.people["qa"]
    with pytest.raises(ValidationError), scopes_disabled():
        messaging.start_thread(world.school, pa, f"u{qa.pk}", "Привет", "Текст")
    client.force_login(pa)
    path = reverse("journal:message_new", kwargs={"school_slug": world.school.slug})
    response = client.post(path, {"to": f"u{qa.pk}", "subject": "Привет", "body": "Текст"})
    assert response.status_code == 400
    assert "Выберите корректный вариант" in response.content.decode()
    with scopes_disabled():
        assert not Thread.objects.exists()


def test_a_parent_writes_to_the_teacher_and_the_teacher_answers(world, client):
    pa, teacher = world.people["pa"], world.people["t"]
    client.force_login(pa)
    path = reverse("journal:message_new", kwargs={"school_slug": world.school.slug})
    response = client.post(
        path, {"to": f"u{teacher.pk}", "subject": "Контрольная", "body": "Когда пересдача?"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        thread = Thread.objects.get()
    assert unread(teacher, world.school) == 1
    client.force_login(teacher)
    thread_path = reverse(
        "journal:thread", kwargs={"school_slug": world.school.slug, "pk": thread.pk}
    )
    page = client.get(thread_path)
    assert "Когда пересдача?" in page.content.decode()
    assert unread(teacher, world.school) == 0
    client.post(thread_path, {"body": "В четверг."})
    assert unread(pa, world.school) == 1
    # Empty answers are refused with a message, nothing else changes.
    response = client.post(thread_path, {"body": "  "})
    assert response.status_code == 400
    with scopes_disabled():
        assert Message.objects.count() == 2


def test_the_unread_count_is_one_query(world, django_assert_num_queries):
    pa, teacher = world.people["pa"], world.people["t"]
    with scopes_disabled():
        for n in range(3):
            messaging.start_thread(world.school, pa, f"u{teacher.pk}", f"Тема {n}", "…")
        with django_assert_num_queries(1):
            assert messaging.unread_total(teacher, world.school) == 3


def test_the_navigation_shows_the_unread_count_without_a_query(
    world, client, django_capture_on_commit_callbacks
):
    pa, teacher = world.people["pa"], world.people["t"]
    client.force_login(teacher)  # sign-in sets the count (zero)
    dashboard = reverse("accounts:dashboard", kwargs={"school_slug": world.school.slug})
    assert "✉" not in client.get(dashboard).content.decode()
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        messaging.start_thread(world.school, pa, f"u{teacher.pk}", "Тема", "…")
    assert "✉ 1" in client.get(dashboard).content.decode()
    # Unknown (the cache emptied): nothing is shown, and no query is made to find out.
    cache.clear()
    assert "✉" not in client.get(dashboard).content.decode()


def test_a_new_message_is_emailed_once_after_commit(world, django_capture_on_commit_callbacks):
    pa, teacher = world.people["pa"], world.people["t"]
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        thread = messaging.start_thread(world.school, pa, f"u{teacher.pk}", "Контрольная", "Когда?")
    assert [m.to for m in mail.outbox] == [["t@example.org"]]
    assert "Контрольная" in mail.outbox[0].subject
    assert "Когда?" in mail.outbox[0].body
    # A retried task sends nothing more.
    with scopes_disabled():
        message = thread.messages.get()
    assert messaging.notify_new_message(message.pk) == 0
    assert len(mail.outbox) == 1


def test_email_about_messages_can_be_turned_off(world, client, django_capture_on_commit_callbacks):
    pa, teacher = world.people["pa"], world.people["t"]
    client.force_login(teacher)
    path = reverse("journal:notification_settings", kwargs={"school_slug": world.school.slug})
    assert client.post(path, {"email_digest": "on"}).status_code == 302
    assert not NotificationSettings.objects.get(user=teacher).email_messages
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        messaging.start_thread(world.school, pa, f"u{teacher.pk}", "Тема", "…")
    assert mail.outbox == []


def test_a_class_teacher_writes_to_all_parents_of_the_class(world, client):
    ct, pa, pb, qa = (world.people[n] for n in ("ct", "pa", "pb", "qa"))
    five = world.classes["5А"]
    with scopes_disabled():
        thread = messaging.start_thread(world.school, ct, f"c{five.pk}", "Собрание", "В 18:00")
        readers = set(thread.participants.filter(can_write=False).values_list("user", flat=True))
    assert readers == {pa.pk, pb.pk}
    assert unread(qa, world.school) == 0
    # A parent reads it and answers the author privately, not to all parents.
    client.force_login(pa)
    path = reverse("journal:thread", kwargs={"school_slug": world.school.slug, "pk": thread.pk})
    page = client.get(path).content.decode()
    assert "В 18:00" in page and f"?to=u{ct.pk}" in page
    assert client.post(path, {"body": "Приду"}).status_code == 400
    with pytest.raises(ValidationError), scopes_disabled():
        messaging.post_message(thread, pa, "Приду")


def test_the_thread_list_names_the_other_side(world, client):
    pa, teacher = world.people["pa"], world.people["t"]
    with scopes_disabled():
        messaging.start_thread(world.school, pa, f"u{teacher.pk}", "Контрольная", "…")
    client.force_login(pa)
    response = client.get(reverse("journal:messages", kwargs={"school_slug": world.school.slug}))
    assert teacher.short_name in response.content.decode()


def test_nobody_outside_a_thread_reads_it(world, client):
    pa, teacher, director = world.people["pa"], world.people["t"], world.people["director"]
    with scopes_disabled():
        thread = messaging.start_thread(world.school, pa, f"u{teacher.pk}", "Личное", "…")
    path = reverse("journal:thread", kwargs={"school_slug": world.school.slug, "pk": thread.pk})
    for user in (director, world.people["pb"]):
        client.force_login(user)
        assert client.get(path).status_code == 404
    with scopes_disabled():
        assert ThreadParticipant.objects.filter(thread=thread).count() == 2
