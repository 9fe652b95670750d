"""The record of who read, exported or changed personal data (152-ФЗ, art. 19).

A view that shows, exports or changes pupils' personal data calls `record(request, ...)`;
AccessLogMiddleware writes what the request recorded in one INSERT after the response has
been sent (on the response's close, which the WSGI server calls once the body is out), so
the reader does not wait for it. A failed write is logged as an error, never lost silently.
Rows are never changed or deleted by the app (PersonalDataAccess refuses), except past the
retention the school sets (Regulation.access_log_days), by the daily `forget_old`.
"""

import logging
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django_scopes import scopes_disabled

from .models import PersonalDataAccess, Regulation
from .security import client_ip

logger = logging.getLogger(__name__)
Action = PersonalDataAccess.Action

_PENDING = "_personal_data_access"


def record(request, action: str, what: str, *, pupil=None, records: int = 1) -> None:
    """Note that this request shows (exports, changes) personal data: `what` in Russian,
    the pupil when it is about one, and how many people's records it holds."""
    user = request.user
    request.__dict__.setdefault(_PENDING, []).append(
        PersonalDataAccess(
            school_id=request.school.pk,
            user_id=user.pk,
            user_name=f"{user.full_name} ({user.username})"[:300],
            ip_address=client_ip(request),
            user_agent=request.headers.get("User-Agent", "")[:300],
            action=action,
            page=getattr(request.resolver_match, "view_name", "")[:100],
            path=request.path[:500],
            what=what[:300],
            pupil=pupil,
            records=records,
        )
    )


def _write(entries) -> None:
    try:
        with scopes_disabled():
            PersonalDataAccess.objects.bulk_create(entries)
    except Exception:  # the response is gone: an error log is all that is left to do
        logger.exception(
            "personal data access not recorded: %s",
            "; ".join(f"{e.user_name} {e.action} {e.path}" for e in entries),
        )


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        entries = request.__dict__.pop(_PENDING, None)
        if entries and response.status_code < 500:
            response._resource_closers.append(lambda: _write(entries))
        return response


def forget_old(now=None) -> int:
    """Delete the records older than each school's retention; returns how many."""
    now = now or timezone.now()
    deleted = 0
    with scopes_disabled():
        for school_id, days in Regulation.objects.values_list("school_id", "access_log_days"):
            old = PersonalDataAccess.objects.filter(
                school_id=school_id, at__lt=now - timedelta(days=days)
            )
            # The one deletion the app makes: the queryset's own delete() refuses.
            deleted += models.QuerySet.delete(old)[0]
    return deleted
