"""Take back what roles ended before this release still gave (issue 10, item 1).

Until now ending a role left its guardian grants, assignments and links in place. As of this
migration (a copy of schedule.services.grants and accounts.services.end_family_role):

- a user whose teacher role in a school has ended (and who holds it no more) loses their
  assignments to courses of years not yet over and their substitutions in lessons after
  today; a class teacher's ended role ends their lead of classes of years not yet over; an
  ended parent role ends the parent's links to the school's children; an ended pupil role
  detaches the account from the pupil's record;
- a user who teaches a course, substitutes or leads a class without ever having held the
  role (assignments made before an assignment gave its role) is given the role, as an
  assignment does now;
- then every grant that no assignment or link backs while its role is held is deleted.
"""

from datetime import date

from django.db import migrations
from django.db.models import Exists, F, OuterRef, Q

TEACHER, CLASS_TEACHER, PARENT, PUPIL = "teacher", "class_teacher", "parent", "pupil"


def take_back(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    ParentLink = apps.get_model("accounts", "ParentLink")
    Pupil = apps.get_model("accounts", "Pupil")
    PupilGrant = apps.get_model("accounts", "PupilUserObjectPermission")
    CourseTeacher = apps.get_model("schedule", "CourseTeacher")
    SchoolClass = apps.get_model("schedule", "SchoolClass")
    Lesson = apps.get_model("schedule", "Lesson")
    CourseGrant = apps.get_model("schedule", "CourseUserObjectPermission")
    LessonGrant = apps.get_model("schedule", "LessonUserObjectPermission")
    ClassGrant = apps.get_model("schedule", "SchoolClassUserObjectPermission")
    today = date.today()  # a day either way changes nothing that matters here

    def held(role, user="user_id", school="school_id", active=True):
        rows = Membership.objects.filter(
            user_id=OuterRef(user), school_id=OuterRef(school), role=role
        )
        return Exists(rows.filter(ended_at__isnull=True) if active else rows)

    def settle(rows, role, user, end):
        """Rows whose user lacks the active role: ended → `end(rows)`; never held → the role."""
        lacking = rows.filter(~held(role, user=user))
        end(lacking.filter(held(role, user=user, active=False)))
        for user_id, school_id in (
            lacking.filter(~held(role, user=user, active=False))
            .values_list(user, "school_id")
            .distinct()
        ):
            Membership.objects.create(user_id=user_id, school_id=school_id, role=role)

    settle(
        CourseTeacher.objects.filter(course__year__end__gte=today),
        TEACHER,
        "teacher_id",
        lambda rows: rows.delete(),
    )
    settle(
        Lesson.objects.filter(substitute__isnull=False, date__gt=today, status="planned"),
        TEACHER,
        "substitute_id",
        lambda rows: (
            rows.filter(held_by_id=F("substitute_id")).update(held_by=None),
            rows.update(substitute=None),
        ),
    )
    settle(
        SchoolClass.objects.filter(class_teacher__isnull=False, year__end__gte=today),
        CLASS_TEACHER,
        "class_teacher_id",
        lambda rows: rows.update(class_teacher=None),
    )
    ParentLink.objects.filter(
        ~held(PARENT, user="parent_id"), held(PARENT, user="parent_id", active=False)
    ).delete()
    Pupil.objects.filter(~held(PUPIL), held(PUPIL, active=False), user__isnull=False).update(
        user=None
    )

    def grant_held(role):
        return held(role, school="content_object__school_id")

    CourseGrant.objects.exclude(
        grant_held(TEACHER)
        & Exists(
            CourseTeacher.objects.filter(
                teacher_id=OuterRef("user_id"), course_id=OuterRef("content_object_id")
            )
        )
    ).delete()
    LessonGrant.objects.exclude(
        grant_held(TEACHER) & Q(content_object__substitute_id=F("user_id"))
    ).delete()
    ClassGrant.objects.exclude(
        grant_held(CLASS_TEACHER) & Q(content_object__class_teacher_id=F("user_id"))
    ).delete()
    linked = ParentLink.objects.filter(
        parent_id=OuterRef("user_id"), pupil_id=OuterRef("content_object_id")
    )
    PupilGrant.objects.exclude(
        (grant_held(PARENT) & Exists(linked))
        | (grant_held(PUPIL) & Q(content_object__user_id=F("user_id")))
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("schedule", "0005_course_teacher_history"),
    ]

    operations = [migrations.RunPython(take_back, migrations.RunPython.noop)]
