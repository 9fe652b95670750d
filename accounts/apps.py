from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Школы и пользователи")

    def ready(self):
        from lib.history import keep_history_managers

        from . import rules, signals  # noqa: F401  (registers predicates and receivers)

        keep_history_managers()
        from .navigation import NavEntry, register

        register(
            NavEntry(
                _("Главная"), "accounts:dashboard", "accounts.enter_school", order=0, exact=True
            )
        )
        register(NavEntry(_("Люди"), "accounts:people", "accounts.view_people", order=80))
        register(
            NavEntry(_("Обучающиеся"), "accounts:pupils", "accounts.view_personal_data", order=81)
        )
        register(
            NavEntry(_("Коды доступа"), "accounts:staff_codes", "accounts.manage_people", order=82)
        )
        register(
            NavEntry(_("Журнал входов"), "accounts:logins", "accounts.view_login_history", order=83)
        )
        register(
            NavEntry(
                _("Доступ к персональным данным"),
                "accounts:access_log",
                "accounts.view_access_log",
                order=84,
            )
        )
        register(NavEntry(_("Настройки"), "accounts:settings", "accounts.manage_school", order=90))
        register(
            NavEntry(_("Положение об ЭЖ"), "accounts:regulation", "accounts.view_regulation", 91)
        )
