from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """A task the web could not hand to the broker (Redis was down), sent again later.

    See ops.outbox: written instead of the broker's message, read by the workers'
    heartbeat, which sends it and deletes the row in one transaction.
    """

    task_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    options = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.name}[{self.task_id}]"
