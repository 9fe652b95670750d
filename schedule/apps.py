from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    name = "schedule"
    verbose_name = _("Учебный год и расписание")

    def ready(self):
        from accounts.navigation import NavEntry, register

        from . import rules, rules_timetable, signals  # noqa: F401

        register(
            NavEntry(_("Классы"), "schedule:classes", "schedule.view_classes", 20, word="Classes")
        )
        register(
            NavEntry(_("Мои курсы"), "schedule:my_courses", "schedule.view_my_courses", order=10)
        )
        register(NavEntry(_("Учебный год"), "schedule:years", "schedule.view_year", order=15))
        register(NavEntry(_("Учебный план"), "schedule:courses", "schedule.view_courses", order=22))
