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


def timed_pair(page, floor, *, runs: int, warmup: int = 5) -> tuple[list[float], list[float]]:
    """Time a page and its floor in alternation, so that whatever else the machine does
    during the run (a virtual machine's neighbours, a checkpoint) falls on both alike."""
    for i in range(warmup):
        page(i)
        floor(i)
    page_times, floor_times = [], []
    for i in range(runs):
        for call, times in ((page, page_times), (floor, floor_times)):
            start = time.perf_counter()
            call(i)
            times.append((time.perf_counter() - start) * 1000)
    return page_times, floor_times


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
