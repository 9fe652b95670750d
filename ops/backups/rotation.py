"""Which backups to keep: the newest of each of the last N days, ISO weeks and months."""

from datetime import datetime


def to_keep(times: list[datetime], daily: int, weekly: int, monthly: int) -> set[datetime]:
    buckets = (
        (daily, lambda t: t.date()),
        (weekly, lambda t: tuple(t.isocalendar())[:2]),
        (monthly, lambda t: (t.year, t.month)),
    )
    kept = set()
    newest_first = sorted(times, reverse=True)
    for count, bucket_of in buckets:
        seen = set()
        for time in newest_first:
            bucket = bucket_of(time)
            if bucket in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(bucket)
            kept.add(time)
    return kept
