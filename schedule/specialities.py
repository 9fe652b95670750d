"""Specialities and professions of a college («перечень профессий и специальностей», 002 §1.7).

A college's group (SchoolClass) belongs to one speciality and a course (its `grade`: the year
of study). The length of study says how many courses a group passes through: the rollover
graduates a group from its last course (schedule.services.rollover).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from accounts.models import School

__all__ = ["Speciality"]


class Speciality(models.Model):
    """A speciality («15.02.08 Технология машиностроения») or a profession of a college."""

    class Kind(models.TextChoices):
        SPECIALITY = "speciality", _("специальность")
        PROFESSION = "profession", _("профессия")

    class Programme(models.TextChoices):
        # ППССЗ: specialities; ППКРС: professions (ФЗ-273, ст. 68).
        MIDDLE_LEVEL = "ppssz", _("программа подготовки специалистов среднего звена")
        SKILLED_WORKERS = "ppkrs", _("программа подготовки квалифицированных рабочих, служащих")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(_("код"), max_length=20)  # «15.02.08»
    name = models.CharField(_("наименование"), max_length=200)
    kind = models.CharField(_("вид"), max_length=10, choices=Kind.choices, default=Kind.SPECIALITY)
    programme = models.CharField(
        _("образовательная программа"),
        max_length=10,
        choices=Programme.choices,
        default=Programme.MIDDLE_LEVEL,
    )
    # «3 г. 10 мес.»: on the basis of the 9th grade; a group passes 4 courses.
    study_years = models.PositiveSmallIntegerField(_("срок обучения, лет"), default=3)
    study_months = models.PositiveSmallIntegerField(_("и месяцев"), default=10)

    objects = ScopedManager(school="school")

    class Meta:
        verbose_name = _("специальность (профессия)")
        verbose_name_plural = _("специальности и профессии")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["school", "code"], name="unique_speciality_code"),
            models.CheckConstraint(
                condition=models.Q(study_months__lt=12), name="speciality_months_below_twelve"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def courses(self) -> int:
        """How many courses a group studies: a started year of study is a course."""
        return self.study_years + (1 if self.study_months else 0)

    @property
    def length_label(self) -> str:
        if not self.study_months:
            return _("%(y)s г.") % {"y": self.study_years}
        return _("%(y)s г. %(m)s мес.") % {"y": self.study_years, "m": self.study_months}
