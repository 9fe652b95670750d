"""Timing helpers: run a request many times, report percentiles in milliseconds."""

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext


def timed(call, *, runs: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        call(0)
    times = []
    for i in range(runs):
        start = time.perf_counter()
        call(i)
        times.append((time.perf_counter() - start) * 1000)
    return times


def p50(times) -> float:
    return statistics.median(times)


def p95(times) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def check(response, status=200):
    if response.status_code != status:
        raise RuntimeError(f"{response.status_code}: {response.content[:300]!r}")
    return response
