from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "journal"
    verbose_name = _("Журнал")

    def ready(self):
        from accounts.navigation import NavEntry, register, register_badge

        from . import rules, rules_diary, rules_plan, signals  # noqa: F401
        from .services.attendance import register_attendance
        from .services.messaging import badge_key

        # The unread messages beside the navigation ({% unread_messages_badge %}).
        register_badge("messages", badge_key)

        # Attendance fills a lesson (the timetable keeps it) and is corrected like marks.
        register_attendance()
        register(NavEntry(_("Сегодня"), "journal:today", "journal.view_today", order=5))
        register(NavEntry(_("Журналы"), "journal:journals", "journal.view_journals", order=8))

        # A lesson with a plan topic, a note or homework is filled: the timetable keeps it.
        from .services.plan.fillers import register_plan_fillers
        from .services.plan.lessons import register_topic_corrections

        register_plan_fillers()
        # A locked topic is corrected like a mark (grading.services.corrections).
        register_topic_corrections()
        register(NavEntry(_("КТП"), "journal:plans", "journal.view_plans", order=30))
