from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Отчёты и уведомления")

    def ready(self):
        from accounts.models import Role
        from accounts.navigation import NavEntry, register, register_badge, register_home
        from journal.today_panels import register_today_panel

        from . import rules, signals, tasks  # noqa: F401  (predicates, receivers, tasks)
        from .services.control_counts import key as shortfalls_key
        from .views.today_risk import risk_panel
        from .views.todo import today_panel

        # The open shortfalls beside the navigation ({% shortfalls_badge %}).
        register_badge("shortfalls", shortfalls_key)

        register_today_panel(today_panel)
        register_today_panel(risk_panel)
        # «Контроль ведения журнала» is where the deputy and the director land.
        register_home((Role.DEPUTY, Role.DIRECTOR), "reports:control")

        register(NavEntry(_("Контроль"), "reports:control", "reports.view_control", order=3))
        register(NavEntry(_("Уведомления"), "reports:notices", "reports.view_notices", order=62))
        register(NavEntry(_("Распечатки"), "reports:weekly", "reports.print_weekly", order=70))
        register(NavEntry(_("Отчёты"), "reports:index", "reports.view_reports", order=72))
        register(NavEntry(_("Сводки родителям"), "reports:digest_log", "reports.manage_digest", 92))
