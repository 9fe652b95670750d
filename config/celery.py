import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# OutboxTask: a task the broker cannot take (Redis down) is kept and sent later (ops/outbox.py).
app = Celery("zhurnal", task_cls="ops.outbox:OutboxTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
