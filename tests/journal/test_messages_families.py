"""Messages as families use them: a pupil and a parent of two classes, unread counts on the
pages, e-mail notices that go on past a refused address and link to the thread."""

import pytest
from django.core import mail
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import ParentLink, Role
from journal.models import Thread
from journal.services import messaging
from schedule.models import Subgroup, SubgroupMembership
from tests.factories import make_course, make_member, make_parent, make_pupil, make_subject
from tests.reports.builders import build_family

pytestmark = pytest.mark.django_db

FLAKY = "tests.reports.mail_backends.FlakyBackend"


@pytest.fixture(autouse=True)
def eager_tasks():
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def url(family, name, **kwargs):
    return reverse(f"journal:{name}", kwargs={"school_slug": family.school.slug, **kwargs})


def keys(user, school):
    with scopes_disabled():
        return {r.key for r in messaging.allowed_recipients(user, school)}


def test_a_pupil_writes_to_their_teacher_and_reads_the_answer(
    client, django_capture_on_commit_callbacks
):
    family = build_family(subjects=1)
    client.force_login(family.pupil_user)
    compose = client.get(url(family, "message_new")).content.decode()
    assert family.teacher.full_name in compose and family.parent.full_name not in compose
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(family, "message_new"),
            {"to": f"u{family.teacher.pk}", "subject": "Доклад", "body": "Можно про Марс?"},
        )
    assert response.status_code == 302
    with scopes_disabled():
        thread = Thread.objects.get()
        messaging.post_message(thread, family.teacher, "Да, конечно.")
    listing = client.get(url(family, "messages")).content.decode()
    assert '<span class="count">1</span> Доклад' in listing
    page = client.get(url(family, "thread", pk=thread.pk)).content.decode()
    assert "Да, конечно." in page
    listing = client.get(url(family, "messages")).content.decode()
    assert 'class="count"' not in listing  # read: the count is gone
    # The teacher was told by e-mail, with the address of the thread.
    [email] = mail.outbox
    assert email.to == [family.teacher.email]
    assert url(family, "thread", pk=thread.pk) in email.body


def test_a_parent_of_children_in_two_classes_writes_to_both_class_teachers(client):
    family = build_family(subjects=1)
    other = build_family(school=family.school, grade=7, letter="Б", subjects=1)
    with scopes_disabled():
        ParentLink.objects.create(school=family.school, parent=family.parent, pupil=other.pupil)
    allowed = keys(family.parent, family.school)
    for teacher in (family.class_teacher, other.class_teacher, family.teacher, other.teacher):
        assert f"u{teacher.pk}" in allowed
    # Never another family, nor a class mailing.
    assert f"u{other.parent.pk}" not in allowed
    assert not any(key.startswith("c") for key in allowed)


def test_a_teacher_of_one_subgroup_does_not_reach_the_other_groups_families():
    family = build_family(subjects=1)
    five = family.school_class
    classmate = make_pupil(family.school, five, last_name="Другая-группа")
    classmate_parent = make_parent(family.school, classmate)
    german = make_subject(family.school, "Немецкий язык")
    with scopes_disabled():
        groups = [
            Subgroup.objects.create(school=family.school, school_class=five, subject=german, name=n)
            for n in ("1", "2")
        ]
        for group, pupil in zip(groups, (family.pupil, classmate), strict=True):
            SubgroupMembership.objects.create(
                school=family.school, subgroup=group, pupil=pupil, start=five.year.start
            )
    group_teacher = make_member(family.school, Role.TEACHER)
    make_course(five, german, [group_teacher], subgroup=groups[0])
    allowed = keys(group_teacher, family.school)
    assert f"u{family.parent.pk}" in allowed and f"u{family.pupil_user.pk}" in allowed
    assert f"u{classmate_parent.pk}" not in allowed
    assert f"u{family.teacher.pk}" in allowed  # staff among themselves
    # And the other way: the classmate's parent may not write to that group's teacher.
    assert f"u{group_teacher.pk}" not in keys(classmate_parent, family.school)
    assert f"u{group_teacher.pk}" in keys(family.parent, family.school)


def test_a_refused_address_does_not_stop_the_other_parents_notices(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FLAKY
    family = build_family(subjects=1)
    parents = [family.parent]
    for address in ("refused@example.org", "third@example.org"):
        parent = make_parent(family.school, make_pupil(family.school, family.school_class))
        with scopes_disabled():
            parent.email = address
            parent.save(update_fields=["email"])
        parents.append(parent)
    with django_capture_on_commit_callbacks(execute=True), scopes_disabled():
        thread = messaging.start_thread(
            family.school,
            family.class_teacher,
            f"c{family.school_class.pk}",
            "Собрание",
            "В четверг в 18:00",
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [family.parent.email, "third@example.org"]
    )
    # Everyone has the message in the app, the refused address included.
    for parent in parents:
        with scopes_disabled():
            assert messaging.unread_total(parent, family.school) == 1
    assert thread.kind == Thread.Kind.CLASS


def labels(user, school):
    with scopes_disabled():
        return {r.user_id: r.label for r in messaging.allowed_recipients(user, school)}


def test_a_parent_sees_what_each_person_is_to_their_child(client):
    family = build_family(subjects=2)
    found = labels(family.parent, family.school)
    with scopes_disabled():
        subjects = [c.subject.name for c in family.courses]
    assert found[family.class_teacher.pk].endswith("— классный руководитель")
    teacher = found[family.teacher.pk]
    assert all(f"учитель: {name}" in teacher for name in subjects), teacher
    client.force_login(family.parent)
    compose = client.get(url(family, "message_new")).content.decode()
    assert "классный руководитель" in compose


def test_a_parent_of_two_children_sees_whose_teacher_each_is(client):
    family = build_family(subjects=1)
    with scopes_disabled():
        other_class = make_pupil(family.school, family.school_class, first_name="Вера")
        ParentLink.objects.create(school=family.school, parent=family.parent, pupil=other_class)
    found = labels(family.parent, family.school)
    assert "(Вера)" in found[family.class_teacher.pk]
    assert f"({family.pupil.first_name})" in found[family.class_teacher.pk]
