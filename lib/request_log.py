"""One structured line per request, and a warning for slow ones.

RequestLogMiddleware gives each request an id (the X-Request-ID a proxy sent, or a new
one), returns it in the response, and logs at the end: the id, the user's id, the school,
the method, the path (never the query string: searches carry pupils' names), the status and
the duration. RequestContextFilter puts the same fields on every other record logged while
the request runs (an error's traceback, a task queued in the outbox), so one grep of the
request id finds all of it. With LOG_FORMAT=json (lib.json_log) each record is a JSON line.
"""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings

logger = logging.getLogger("zhurnal.request")
slow_logger = logging.getLogger("zhurnal.slow")

_current = contextvars.ContextVar("zhurnal_request", default=None)
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _fields(request) -> dict:
    user = getattr(request, "_cached_user", None)  # only if this request already loaded it
    school = getattr(request, "school", None)
    return {
        "request_id": getattr(request, "request_id", None),
        "user_id": user.pk if user is not None and user.is_authenticated else None,
        "school": getattr(school, "slug", None),
        "method": request.method,
        "path": request.path,
    }


class RequestContextFilter(logging.Filter):
    def filter(self, record):
        request = _current.get()
        if request is not None:
            for name, value in _fields(request).items():
                if not hasattr(record, name):
                    setattr(record, name, value)
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        token = _current.set(request)
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response["X-Request-ID"] = request.request_id
            fields = {
                **_fields(request),
                "status": response.status_code,
                "duration_ms": duration_ms,
            }
            logger.info(
                "%s %s %s", request.method, request.path, response.status_code, extra=fields
            )
            if duration_ms >= settings.SLOW_REQUEST_MS:
                slow_logger.warning(
                    "slow request: %s %s took %s ms",
                    request.method,
                    request.path,
                    duration_ms,
                    extra=fields,
                )
            return response
        finally:
            _current.reset(token)
