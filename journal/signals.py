"""A course's journal page and a pupil's diary show attendance and homework
(schedule.versions); the plan's topics are followed too, for the pages that count plan
against fact (the control of journal keeping in reports, kept in the cache per version)."""

from django.db.models.signals import post_delete, post_save

from accounts.models import PupilUserObjectPermission
from schedule.models import SchoolClassUserObjectPermission
from schedule.versions import courses_changed, follow, user_grants_changed

from .models import Announcement, Attendance, Homework, HomeworkAttachment, PlanTopic

follow(Attendance, "mark")
follow(Homework, "course")
follow(PlanTopic, "course")
# The diary's week shows the school's and the class's announcements: rare writes.
follow(Announcement, "school")


def _attachment_changed(sender, instance, raw=False, **kwargs):
    """A homework file (the diary lists them) changes its homework's course."""
    if raw:
        return
    if type(instance).homework.is_cached(instance):
        course_id = instance.homework.course_id
    else:
        course_id = (
            Homework.objects.with_scopes_disabled()
            .filter(pk=instance.homework_id)
            .values_list("course_id", flat=True)
            .first()
        )
    courses_changed([course_id], school_id=instance.school_id)


for signal in (post_save, post_delete):
    signal.connect(_attachment_changed, sender=HomeworkAttachment, dispatch_uid="versions:file")


def _grant_changed(sender, instance, raw=False, **kwargs):
    """Whom the diary's viewer may read is kept per version of their grants
    (diary.pupils.viewer_pupils): a grant given or taken (guardian's assign_perm and
    remove_perm, the sweep of a parent's grants: deletes that send signals) drops it."""
    if not raw:
        user_grants_changed(instance.user_id)


for model in (PupilUserObjectPermission, SchoolClassUserObjectPermission):
    for signal in (post_save, post_delete):
        signal.connect(_grant_changed, sender=model, dispatch_uid=f"versions:grants:{model}")
