"""Отделения of a college (issue 18): groups (SchoolClass) belong to a department, and the
head of the department («заведующий отделением», accounts.Role.HEAD_OF_DEPARTMENT) is a
deputy whose scope is those groups — their timetables, control and reports only.

Kept in its own module beside the specialities of the college (another part of issue 18).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager
from simple_history.models import HistoricalRecords

from accounts.models import School, User


class Department(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("название"), max_length=200)
    head = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
        verbose_name=_("заведующий отделением"),
    )
    history = HistoricalRecords()

    objects = ScopedManager(school="school")

    class Meta:
        app_label = "schedule"
        verbose_name = _("отделение")
        verbose_name_plural = _("отделения")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"], name="one_department_name_per_school"
            )
        ]

    def __str__(self):
        return self.name


def headed_class_ids(user, school_id: int) -> frozenset:
    """The groups of the departments the user heads in the school (one query)."""
    groups = (
        Department.objects.with_scopes_disabled()
        .filter(school_id=school_id, head_id=user.pk, groups__isnull=False)
        .values_list("groups", flat=True)
    )
    return frozenset(groups)
