"""The diary's, messages' and digests' part of the permission world.

Called from tests/world.py last. Adds a second child of the world's «parent» (in the class the
«class_teacher» leads), threads (the parent with the «teacher»; another parent with another
teacher; one in the other school), announcements and sent weekly digests — own, other and
foreign.
"""

from datetime import timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from accounts.models import ParentLink, Role
from journal.models import Announcement, Message, Thread, ThreadParticipant
from reports.models import ControlCheck, DigestDelivery

from ..factories import make_member, make_pupil


def thread(school, author, other, subject, pupil=None):
    found = Thread.objects.create(school=school, subject=subject, created_by=author, pupil=pupil)
    ThreadParticipant.objects.create(school=school, thread=found, user=author)
    ThreadParticipant.objects.create(school=school, thread=found, user=other, unread=1)
    Message.objects.create(school=school, thread=found, author=author, body="Здравствуйте!")
    return found


def digest(school, parent):
    today = timezone.localdate()
    return DigestDelivery.objects.create(
        school=school,
        parent=parent,
        week=today - timedelta(days=today.weekday() + 7),
        state=DigestDelivery.State.SENT,
        sent_at=timezone.now(),
        content={"school": school.short_name, "children": []},
    )


def spravka(school, author):
    return ControlCheck.objects.create(
        school=school,
        checked_on=timezone.localdate(),
        span_label="неделя",
        scope_label="вся школа",
        query="scope=school",
        findings="Темы уроков не записаны.",
        fix_by=timezone.localdate() + timedelta(days=7),
        created_by=author,
    )


def build(school, other_school, users, objects):
    parent, foreign_admin = users["parent"], users["foreign_admin"]
    second = make_pupil(school, objects["own_class"], last_name="Свой-второй")
    foreign_teacher = make_member(other_school, Role.TEACHER, "foreign_teacher")
    with scopes_disabled():
        ParentLink.objects.create(school=school, parent=parent, pupil=second)
        other_parent = ParentLink.objects.get(pupil=objects["other_pupil"]).parent
        other_teacher = objects["other_class"].class_teacher
        objects.update(
            own_second_pupil=second,
            other_parent=other_parent,
            own_thread=thread(
                school, parent, users["teacher"], "Контрольная", pupil=objects["own_pupil"]
            ),
            other_thread=thread(school, other_parent, other_teacher, "Чужая переписка"),
            foreign_thread=thread(other_school, foreign_admin, foreign_teacher, "Другая школа"),
            own_announcement=Announcement.objects.create(
                school=school,
                school_class=objects["own_class"],
                title="Родительское собрание",
                body="В четверг в 18:00",
                author=users["class_teacher"],
            ),
            school_announcement=Announcement.objects.create(
                school=school, title="Каникулы", body="С 27 октября", author=users["admin"]
            ),
            foreign_announcement=Announcement.objects.create(
                school=other_school, title="Чужое", body="…", author=foreign_admin
            ),
            own_digest=digest(school, parent),
            other_digest=digest(school, other_parent),
            foreign_digest=digest(other_school, foreign_admin),
            own_check=spravka(school, users["deputy"]),
            foreign_check=spravka(other_school, foreign_admin),
        )
