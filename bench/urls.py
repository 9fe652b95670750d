"""The project's URLs plus the floor: a trivial view behind the same middleware.

The bare view answers a pre-rendered byte string as large as the page it is compared with,
under /s/<school>/ like every school page — so session, authentication and the tenant
middleware run exactly as for the page. It exists only in the benchmark's URLconf.
"""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

BODY = {"bytes": b""}


def bare(request):
    return HttpResponse(BODY["bytes"])


urlpatterns = [
    path("s/<slug:school_slug>/bench/bare/", bare, name="bench_bare"),
    *project_urlpatterns,
]
