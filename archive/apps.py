from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    name = "archive"
    verbose_name = _("Архив и закрытие года")

    def ready(self):
        from accounts.navigation import NavEntry, register

        from . import checks, rules, tasks  # noqa: F401  (the start-up check, predicates, tasks)

        register(NavEntry(_("Архив"), "archive:index", "archive.view_archive", order=80))
