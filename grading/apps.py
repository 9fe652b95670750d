from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = _("Отметки и итоговые отметки")

    def ready(self):
        from accounts.navigation import NavEntry, register

        from . import rules, rules_finals, rules_practice, rules_sessions, signals  # noqa: F401
        from .signals import register_fillers

        register_fillers()
        register(NavEntry(_("Исправления"), "grading:corrections", "grading.view_corrections", 60))
        register(NavEntry(_("Практика"), "grading:practice_list", "grading.view_practice", 58))
        register(NavEntry(_("Сессии"), "grading:sessions", "grading.view_sessions", 57))
        register(NavEntry(_("Виды работ"), "grading:work_types", "grading.manage_work_types", 92))
