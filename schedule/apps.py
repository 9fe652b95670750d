from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    name = "schedule"
    verbose_name = _("Учебный год и расписание")

    def ready(self):
        from accounts.navigation import NavEntry, register

        from . import rules, signals  # noqa: F401

        register(NavEntry(_("Классы"), "schedule:classes", "schedule.view_classes", order=20))
