"""seed_demo adds messages, announcements, a sent digest and final-mark notices."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_scopes import scopes_disabled

from accounts.models import User
from journal.models import Announcement, Message, Thread
from reports.models import DigestDelivery

pytestmark = pytest.mark.django_db


def test_the_demo_has_messages_announcements_and_one_sent_digest(client):
    call_command("seed_demo", pupils=3, classes=1, grades="5", stdout=StringIO())
    parent = User.objects.get(username="parent")
    with scopes_disabled():
        assert Thread.objects.filter(kind=Thread.Kind.CLASS).count() == 1
        assert Message.objects.count() >= 5
        assert Announcement.objects.filter(school_class__isnull=True).exists()
        assert Announcement.objects.filter(school_class__isnull=False).exists()
        [digest] = DigestDelivery.objects.all()
        slug = digest.school.slug
    assert (digest.parent, digest.state) == (parent, DigestDelivery.State.SENT)
    assert digest.content["children"]
    assert mail.outbox == []  # seeding e-mails nobody
    client.force_login(parent)
    page = client.get(reverse("reports:digest", kwargs={"school_slug": slug, "pk": digest.pk}))
    assert digest.content["children"][0]["pupil"] in page.content.decode()
    messages = client.get(reverse("journal:messages", kwargs={"school_slug": slug}))
    assert "Контрольная по математике" in messages.content.decode()
