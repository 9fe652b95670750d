"""/healthz, /readyz and the page shown when the database does not answer."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from .health import run_checks

NO_STORE = {"Cache-Control": "no-store"}


def healthz(request):
    """The process answers: nothing else is asked (a liveness probe)."""
    return JsonResponse({"status": "ok"}, headers=NO_STORE)


def readyz(request):
    """Ready to serve: the database, Redis, migrations, a worker, beat and disk. Names of
    checks and their state only: no hosts, no versions, no personal data."""
    checks = run_checks()
    failed = [name for name, state in checks.items() if state == "fail"]
    return JsonResponse(
        {"status": "fail" if failed else "ok", "checks": checks},
        status=503 if failed else 200,
        headers=NO_STORE,
    )


RETRY_AFTER = 15  # seconds: a PostgreSQL restart or failover takes about this long


def server_error(request):
    """handler500: a database that does not answer is a 503 in Russian, in the layout.

    Django calls this inside its handling of the exception, so sys.exc_info() names it. The
    page is rendered without the request's context processors: they would ask the
    database (the user, the navigation) that has just failed.
    """
    error = sys.exc_info()[1]
    if not isinstance(error, OperationalError | InterfaceError):
        return defaults.server_error(request)
    message = _(
        "База данных журнала сейчас недоступна. Всё, что было сохранено раньше, на месте; "
        "повторите действие через несколько секунд."
    )
    headers = {"Retry-After": str(RETRY_AFTER), **NO_STORE}
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse({"ok": False, "error": message}, status=503, headers=headers)
    body = loader.get_template("503.html").render(
        {"message": message, "resend": request.method == "POST"}
    )
    return HttpResponse(body, status=503, headers=headers)
