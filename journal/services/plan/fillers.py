"""What makes a lesson «filled» for the timetable: a plan record or homework."""

from django.db.models import Exists, OuterRef

from ...models import LessonRecord

# --- What makes a lesson «filled» (the timetable then keeps it) ----------------------------------


def lesson_has_plan_record():
    return Exists(
        LessonRecord.objects.with_scopes_disabled()
        .filter(lesson=OuterRef("pk"))
        .exclude(plan_topic__isnull=True, note="")
    )


def lesson_has_homework():
    from ...models import Homework

    return Exists(Homework.objects.with_scopes_disabled().filter(lesson=OuterRef("pk")))


def register_plan_fillers() -> None:
    from schedule.models import register_lesson_filler

    register_lesson_filler(lesson_has_plan_record)
    register_lesson_filler(lesson_has_homework)
