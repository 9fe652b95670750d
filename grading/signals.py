"""A new school gets the default work types; a changed work type leaves the cache."""

from django.db.models import Exists, OuterRef
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import School
from schedule.models import register_lesson_filler
from schedule.versions import follow

from .models import CorrectionRequest, FinalMark, Mark, WorkType


@receiver(post_save, sender=School)
def give_school_work_types(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .services.marks import seed_work_types

        seed_work_types(instance)


@receiver(post_save, sender=WorkType)
@receiver(post_delete, sender=WorkType)
def forget_cached_work_types(sender, instance, **kwargs):
    from .services.marks import forget_work_types

    forget_work_types(instance.school_id)


def lesson_has_marks():
    # Any row, cleared ones too: a mark's lesson is never removed (Mark.lesson is PROTECT).
    return Exists(Mark.objects.with_scopes_disabled().filter(lesson_id=OuterRef("pk")))


def register_fillers():
    """The timetable never removes or rewrites a lesson holding marks."""
    register_lesson_filler(lesson_has_marks)


# A course's journal shows its marks, pending corrections and the school's work types; the
# school's reports its final marks too.
follow(Mark, "mark")
follow(FinalMark, "course")
follow(CorrectionRequest, "lesson")
follow(WorkType, "school")
