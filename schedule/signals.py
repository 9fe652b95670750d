"""The class teacher of a class holds the class-teacher role and its object permission."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import TEACHING_ROLES, Membership, Pupil, Regulation, Role, School, User
from accounts.services import end_role, grant_role, role_ended

from .models import (
    Bell,
    BellSchedule,
    Course,
    CourseTeacher,
    Enrolment,
    Lesson,
    Room,
    SchoolClass,
    SchoolYear,
    StudyPeriod,
    Subgroup,
    SubgroupMembership,
    Subject,
)
from .services import grants
from .versions import follow, school_changed

MANAGE_CLASS = "schedule.manage_class"


@receiver(pre_save, sender=SchoolClass)
def remember_class_teacher(sender, instance, **kwargs):
    instance._previous_teacher_id = (
        SchoolClass.objects.with_scopes_disabled()
        .filter(pk=instance.pk)
        .values_list("class_teacher_id", flat=True)
        .first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=SchoolClass)
def grant_class_teacher(sender, instance, **kwargs):
    previous = instance._previous_teacher_id
    if previous == instance.class_teacher_id:
        return
    if previous:
        remove_perm(MANAGE_CLASS, User.objects.get(pk=previous), instance)
        still_leads = (
            SchoolClass.objects.with_scopes_disabled()
            .filter(school_id=instance.school_id, class_teacher_id=previous)
            .exists()
        )
        if not still_leads:
            # Leading no class any more: the class-teacher role ends too.
            for membership in (
                Membership.objects.with_scopes_disabled()
                .active()
                .filter(school_id=instance.school_id, user_id=previous, role=Role.CLASS_TEACHER)
            ):
                end_role(membership)
    if instance.class_teacher_id:
        grant_role(instance.school, instance.class_teacher, Role.CLASS_TEACHER)
        assign_perm(MANAGE_CLASS, instance.class_teacher, instance)


# A course's teachers may keep its journal; a substitute may keep the one lesson they held.
TEACH_COURSE = "schedule.teach_course"
SUBSTITUTE_LESSON = "schedule.substitute_lesson"


@receiver(post_save, sender=CourseTeacher)
def grant_course(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    # Teaching a course is the teacher's role: the assignment gives it, as leading a class
    # gives the class teacher's, and ending the role ends the assignment (services.grants).
    # A master of industrial training or a педагог ДО keeps courses in their own role.
    keeps_courses = Membership.objects.with_scopes_disabled().roles_of(
        instance.teacher_id, instance.school_id
    ) & set(TEACHING_ROLES)
    if not keeps_courses:
        grant_role(instance.course.school, instance.teacher, Role.TEACHER)
    assign_perm(TEACH_COURSE, instance.teacher, instance.course)


@receiver(post_delete, sender=CourseTeacher)
def revoke_course(sender, instance, **kwargs):
    remove_perm(TEACH_COURSE, instance.teacher, instance.course)


@receiver(pre_save, sender=Lesson)
def remember_substitute(sender, instance, **kwargs):
    instance._previous_substitute_id = (
        Lesson.objects.with_scopes_disabled()
        .filter(pk=instance.pk)
        .values_list("substitute_id", flat=True)
        .first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=Lesson)
def grant_substitute(sender, instance, **kwargs):
    previous = instance._previous_substitute_id
    if previous == instance.substitute_id:
        return
    if previous:
        remove_perm(SUBSTITUTE_LESSON, User.objects.get(pk=previous), instance)
    if instance.substitute_id:
        grant_role(instance.school, instance.substitute, Role.TEACHER)
        assign_perm(SUBSTITUTE_LESSON, instance.substitute, instance)


@receiver(role_ended)
def take_back_teaching(sender, membership, **kwargs):
    """The teacher's or class teacher's role ended: its assignments and grants end."""
    grants.role_ended(membership)


# What a course's journal page shows (schedule.versions): the lessons of the course; the
# course, its class, subject, subgroup, pupils and periods; the school's lock rule; and the
# names of people (a substitute's). A sign-in touches no name. The diary shows rooms and
# bell times too.
follow(Lesson, "course")
follow(Course, "course")
follow(CourseTeacher, "course")
for model in (School, Regulation, Pupil, SchoolYear, StudyPeriod, SchoolClass, Subject, Subgroup):
    follow(model, "school")
for model in (Room, BellSchedule, Bell):
    follow(model, "school")
for model in (Enrolment, SubgroupMembership):
    follow(model, "school")


def _courses_of_classes_changed(sender, instance, raw=False, **kwargs):
    """Which courses a class has is kept with each pupil's diary pages under the school's
    version (schedule.versions.cached_for_pupil): a course made, changed (its class) or
    removed drops the school's token too. Courses change at the year's setup, rarely."""
    if not raw:
        school_changed(instance.school_id)


post_save.connect(_courses_of_classes_changed, sender=Course, dispatch_uid="versions:classes:save")
post_delete.connect(_courses_of_classes_changed, sender=Course, dispatch_uid="versions:classes:del")
follow(
    User, "everything", except_fields=frozenset({"last_login", "password", "session_generation"})
)
