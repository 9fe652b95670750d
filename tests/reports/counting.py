"""Counting a report page's queries: built anew (its cached table dropped first) or read
from the cache."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from schedule.versions import everything_changed


def queries_of(client, url, query, *, cached=False) -> int:
    if not cached:
        everything_changed()  # every cached page's version changes: the next is built anew
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200, response.content[:500]
    return len(queries)
