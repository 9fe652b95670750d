"""Organisations above schools: a college and its branches, or a municipal education
authority and its schools (DESIGN.md, issue 18).

Each member school stays its own tenant: a branch's staff see nothing of another branch. The
organisation's own people hold roles in the organisation (`OrganisationMembership`), not in
its schools: they read every member school — the roll-ups under `/o/<org_slug>/` and any
member school's pages under `/s/<school_slug>/` as its director reads them — and write
nothing there (accounts.tenancy gives them the reading role `ORG_READER`; the middleware
refuses their every write request and the write policy refuses them every record).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The marker among a request's roles in a school that the user reads it through an
# organisation (accounts.tenancy), beside the director's reading role: not a Role of a
# membership, never stored.
ORG_READER = "org_reader"


class OrganisationRole(models.TextChoices):
    DIRECTOR = "director", _("Директор организации")
    DEPUTY = "deputy", _("Заместитель директора организации")
    ADMIN = "admin", _("Администратор ЭЖ организации")
    METHODOLOGIST = "methodologist", _("Методист организации")


class Organisation(models.Model):
    """A group of schools read together. Not a tenant: it owns no journal record."""

    class Kind(models.TextChoices):
        COLLEGE = "college", _("Колледж с филиалами")
        AUTHORITY = "authority", _("Орган управления образованием")

    name = models.CharField(_("полное название"), max_length=300)
    short_name = models.CharField(_("краткое название"), max_length=100)
    slug = models.SlugField(_("адрес"), max_length=50, unique=True)
    kind = models.CharField(_("тип"), max_length=10, choices=Kind.choices, default=Kind.COLLEGE)
    schools = models.ManyToManyField(
        "accounts.School", related_name="organisations", blank=True, verbose_name=_("школы")
    )

    class Meta:
        app_label = "accounts"
        verbose_name = _("организация")
        verbose_name_plural = _("организации")
        ordering = ["short_name"]

    def __str__(self):
        return self.short_name


class OrganisationMembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class OrganisationMembership(models.Model):
    """A role a user holds in an organisation: it reads every member school, writes none."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    role = models.CharField(_("роль"), max_length=20, choices=OrganisationRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(_("роль снята"), null=True, blank=True)
    history = HistoricalRecords()

    objects = OrganisationMembershipQuerySet.as_manager()

    class Meta:
        app_label = "accounts"
        verbose_name = _("роль в организации")
        verbose_name_plural = _("роли в организациях")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="one_active_role_per_organisation_user",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"


def organisations_of(user) -> list[Organisation]:
    """The organisations the user holds an active role in (one query)."""
    return list(
        Organisation.objects.filter(
            memberships__user_id=user.pk, memberships__ended_at__isnull=True
        )
        .distinct()
        .order_by("short_name")
    )
