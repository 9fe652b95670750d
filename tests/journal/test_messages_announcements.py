"""Announcements for the school or a class, by the administration and class teachers."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import Role
from journal.models import Announcement
from tests.factories import make_member
from tests.reports.builders import build_family

pytestmark = pytest.mark.django_db


def path(family, name, **kwargs):
    return reverse(f"journal:{name}", kwargs={"school_slug": family.school.slug, **kwargs})


def form(**fields):
    return {
        "title": "Субботник",
        "body": "В субботу в 10:00",
        "published_on": "2025-09-01",
        **fields,
    }


@pytest.fixture
def two_classes():
    family = build_family()
    other = build_family(school=family.school, grade=6, letter="Б")
    return family, other


def test_a_class_teacher_announces_to_their_class_only(client, two_classes):
    family, other = two_classes
    client.force_login(family.class_teacher)
    response = client.post(path(family, "announcement_new"), form())
    assert response.status_code == 400  # a class teacher must name the class
    response = client.post(
        path(family, "announcement_new"), form(school_class=other.school_class.pk)
    )
    assert response.status_code == 400
    assert "Выберите корректный вариант" in response.content.decode()
    response = client.post(
        path(family, "announcement_new"), form(school_class=family.school_class.pk)
    )
    assert response.status_code == 302
    with scopes_disabled():
        item = Announcement.objects.get()
    assert (item.school_class, item.author) == (family.school_class, family.class_teacher)


def test_the_administration_announces_to_the_whole_school(client, two_classes):
    family, _other = two_classes
    client.force_login(make_member(family.school, Role.DEPUTY))
    assert client.post(path(family, "announcement_new"), form()).status_code == 302
    with scopes_disabled():
        assert Announcement.objects.get().school_class is None


def test_a_teacher_does_not_announce(client, two_classes):
    family, _other = two_classes
    client.force_login(family.teacher)
    assert client.get(path(family, "announcement_new")).status_code == 403


def announce(family, school_class, title, **kwargs):
    with scopes_disabled():
        return Announcement.objects.create(
            school=family.school,
            school_class=school_class,
            title=title,
            body="…",
            author=family.class_teacher,
            **kwargs,
        )


def test_families_read_the_schools_and_their_classes_announcements(client, two_classes):
    family, other = two_classes
    announce(family, None, "Всем")
    announce(family, family.school_class, "Нашим")
    announce(family, other.school_class, "Чужим")
    announce(family, family.school_class, "Снятое", withdrawn_at=timezone.now())
    today = timezone.localdate()
    announce(family, None, "Будущее", published_on=today.replace(year=today.year + 1))
    for user in (family.parent, family.pupil_user):
        client.force_login(user)
        page = client.get(path(family, "announcements")).content.decode()
        assert "Всем" in page and "Нашим" in page
        for hidden in ("Чужим", "Снятое", "Будущее"):
            assert hidden not in page


def test_the_author_edits_and_withdraws(client, two_classes):
    family, other = two_classes
    item = announce(family, family.school_class, "Собрание")
    client.force_login(other.class_teacher)
    assert client.get(path(family, "announcement_edit", pk=item.pk)).status_code == 403
    client.force_login(family.class_teacher)
    response = client.post(
        path(family, "announcement_edit", pk=item.pk),
        form(title="Собрание переносится", school_class=family.school_class.pk),
    )
    assert response.status_code == 302
    response = client.post(path(family, "announcement_withdraw", pk=item.pk))
    assert response.status_code == 302
    with scopes_disabled():
        item.refresh_from_db()
    assert item.title == "Собрание переносится"
    assert item.withdrawn_at is not None
