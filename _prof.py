import os, sys, time, cProfile, pstats
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django; django.setup()
from django.test import Client
from django.test.utils import override_settings, CaptureQueriesContext
from django.db import connection
from django.conf import settings
from django_scopes import scopes_disabled
from accounts.models import User, School
from accounts.navigation import school_reverse
url = sys.argv[1]
user = sys.argv[2]
with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["*"]), scopes_disabled():
    c = Client(); c.force_login(User.objects.get(username=user))
    for _ in range(5): c.get(url)
    with CaptureQueriesContext(connection) as q:
        r = c.get(url)
    print(r.status_code, len(r.content))
    for x in q.captured_queries: print(x["time"], x["sql"][:150])
    t=time.perf_counter()
    for _ in range(20): c.get(url)
    print("ms", (time.perf_counter()-t)/20*1000)
    pr = cProfile.Profile(); pr.enable()
    for _ in range(20): c.get(url)
    pr.disable()
    pstats.Stats(pr).sort_stats("cumulative").print_stats(35)
