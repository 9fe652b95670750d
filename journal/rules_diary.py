"""Who may read a diary, write messages and publish announcements (imported from ready()).

Objects: Pupil for a diary, Thread for a conversation, Announcement for one announcement,
School for lists. A parent holds guardian's accounts.view_pupil on each child and a pupil on
themselves (accounts.signals); the class teacher reads the diaries of their class.
"""

import rules
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.navigation import NavEntry, register
from accounts.rules import has_object_perm, has_role, is_leadership, is_member
from schedule.rules import leads_a_class_of_pupil

from .services import messaging  # noqa: F401  (registers its task and sign-in receiver)

is_family = has_role(Role.PARENT, Role.PUPIL)
guardian_view_pupil = has_object_perm("accounts.view_pupil")


@rules.predicate(name="may_read_diary")
def may_read_diary(user, pupil):
    """Family (guardian's view_pupil) or the class teacher of the pupil's class (object: Pupil).

    A pupil fetched by journal.services.diary.pupil_for_viewer carries the answer already
    (`viewer_may_read`), computed in the same query: no query here then."""
    if pupil is None or not user.is_authenticated:
        return False
    known = getattr(pupil, "viewer_may_read", None)
    if known is not None:
        return known
    return guardian_view_pupil(user, pupil) or leads_a_class_of_pupil(user, pupil)


@rules.predicate(name="takes_part_in_thread")
def takes_part_in_thread(user, thread):
    if thread is None or not user.is_authenticated:
        return False
    known = getattr(thread, "viewer_participant", None)
    if known is not None:
        return True
    return thread.participants.filter(user=user).exists()


@rules.predicate(name="wrote_announcement")
def wrote_announcement(user, announcement):
    return announcement is not None and announcement.author_id == user.pk


# One pupil's diary: marks, homework, attendance, timetable (object: Pupil).
rules.add_perm("journal.view_diary", is_leadership | may_read_diary)
# The diary entry point: a family member's own child or self (object: School).
rules.add_perm("journal.open_diary", is_family)
# Messages: everyone in the school has a mailbox (object: School); one thread (Thread).
rules.add_perm("journal.use_messages", is_member)
rules.add_perm("journal.view_thread", takes_part_in_thread)
# Announcements: everyone reads those meant for them (School); the administration and class
# teachers publish (School); the author or the administration edit or withdraw (Announcement).
rules.add_perm("journal.view_announcements", is_member)
rules.add_perm("journal.add_announcement", is_leadership | has_role(Role.CLASS_TEACHER))
rules.add_perm(
    "journal.change_announcement",
    is_leadership | (has_role(Role.CLASS_TEACHER) & wrote_announcement),
)

register(NavEntry(_("Дневник"), "journal:diary", "journal.open_diary", order=5))
register(NavEntry(_("Сообщения"), "journal:messages", "journal.use_messages", order=60))
register(NavEntry(_("Объявления"), "journal:announcements", "journal.view_announcements", 61))
