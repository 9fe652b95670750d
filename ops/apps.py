from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = _("Эксплуатация")

    def ready(self):
        from . import heartbeat  # noqa: F401  (the Celery worker's heartbeat, by signals)
