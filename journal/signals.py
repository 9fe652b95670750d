"""A course's journal page and a pupil's diary show attendance and homework (schedule.versions)."""

from django.db.models.signals import post_delete, post_save

from schedule.versions import courses_changed, follow

from .models import Announcement, Attendance, Homework, HomeworkAttachment

follow(Attendance, "lesson")
follow(Homework, "course")
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
