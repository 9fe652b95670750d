"""The record of who read, exported or changed personal data (152-ФЗ, art. 19): a model of
accounts (accounts.models imports it; it names the models it points to by label, so the two
modules do not import each other), written by accounts.access_log."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class AppendOnly(Exception):
    """The record of access to personal data is never changed or deleted by the app."""


class PersonalDataAccessQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("records of access to personal data are not changed")

    def delete(self):
        raise AppendOnly("records of access to personal data are deleted only past retention")


class PersonalDataAccess(models.Model):
    """One reading, export or change of personal data (152-ФЗ, art. 19): who, when, from
    where, and what. Written by accounts.access_log, one insert per request after the response;
    never edited or deleted, except by the retention rule (accounts.access_log.forget_old)."""

    class Action(models.TextChoices):
        VIEW = "view", _("просмотр")
        EXPORT = "export", _("выгрузка")
        CHANGE = "change", _("изменение")

    school = models.ForeignKey("accounts.School", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("когда"), default=timezone.now)
    user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # As it was then: the record outlives a renamed or deleted account.
    user_name = models.CharField(_("кто"), max_length=300)
    ip_address = models.GenericIPAddressField(_("адрес"), null=True, blank=True)
    user_agent = models.CharField(_("браузер"), max_length=300, blank=True)
    action = models.CharField(_("действие"), max_length=10, choices=Action.choices)
    page = models.CharField(_("страница"), max_length=100)
    path = models.CharField(_("адрес страницы"), max_length=500)
    what = models.CharField(_("что"), max_length=300)
    pupil = models.ForeignKey(
        "accounts.Pupil", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    records = models.PositiveIntegerField(_("записей"), default=1)

    objects = ScopedManager(
        school="school", _manager_class=models.Manager.from_queryset(PersonalDataAccessQuerySet)
    )

    class Meta:
        verbose_name = _("доступ к персональным данным")
        verbose_name_plural = _("журнал доступа к персональным данным")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["school", "-at"]),
            models.Index(fields=["school", "pupil", "-at"]),
        ]

    def __str__(self):
        return f"{self.at:%d.%m.%Y %H:%M} {self.user_name}: {self.what}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("records of access to personal data are not changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("records of access to personal data are deleted only past retention")
