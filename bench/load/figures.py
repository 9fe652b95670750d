"""Figures from the request log a locust run wrote («time,kind,ms,ok» per request)."""

from dataclasses import dataclass


@dataclass
class Request:
    at: float
    kind: str
    ms: float
    ok: bool


def read(path) -> list[Request]:
    rows = []
    with open(path) as handle:
        for line in handle:
            at, kind, ms, ok = line.rstrip("\n").split(",")
            rows.append(Request(float(at), kind, float(ms), ok == "1"))
    return rows


def measured(rows: list[Request], kinds, nominal: float) -> tuple[list[Request], float]:
    """The requests of `kinds` made once every user of the run had signed in, and the
    seconds they spread over (`nominal` if too few). Each user signs in as the run starts,
    through the real password hasher — a third of a second of CPU each — and the users who
    are through already run their tasks meanwhile: counted from the start, the rates would
    share the cores with the sign-ins, which are not the pages' cost (the mix's own sign-ins,
    its «sign_in» task, are measured as they come)."""
    ready = max((r.at for r in rows if r.kind.startswith("setup")), default=None)
    mine = [r for r in rows if r.kind in kinds and (ready is None or r.at > ready)]
    if len(mine) < 2:
        return mine, float(nominal)
    return mine, max(mine[-1].at - (ready or mine[0].at), 0.001)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def per_kind(rows: list[Request], seconds: float, kinds) -> list[tuple[str, float, str]]:
    """loadtest_<kind>_rps, _p95_ms and _errors for each kind, over the run's length."""
    lines = []
    for kind in kinds:
        mine = [r for r in rows if r.kind == kind]
        lines.append((f"loadtest_{kind}_rps", round(len(mine) / seconds, 1), "req/s"))
        lines.append(
            (f"loadtest_{kind}_p95_ms", round(p95([r.ms for r in mine]), 1) if mine else 0, "ms")
        )
        lines.append((f"loadtest_{kind}_errors", sum(not r.ok for r in mine), "requests"))
    return lines


def error_rate(rows: list[Request]) -> float:
    return round(100 * sum(not r.ok for r in rows) / len(rows), 2) if rows else 0.0


def fault(rows: list[Request], name: str, start: float, back: float, end: float) -> list:
    """Before the fault, while it lasts (start → the service answers again), after it; the
    time to recover: from the service's return to its last failed request (0: none)."""
    rows = [r for r in rows if not r.kind.startswith("setup")]
    before = [r for r in rows if r.at < start]
    during = [r for r in rows if start <= r.at < back]
    after = [r for r in rows if back <= r.at <= end]
    failed_after = [r.at for r in after if not r.ok]
    recovery = round(max(failed_after) - back, 1) if failed_after else 0.0
    return [
        (f"fault_{name}_errors_before", error_rate(before), "%"),
        (f"fault_{name}_errors_during", error_rate(during), "%"),
        (f"fault_{name}_errors_after", error_rate(after), "%"),
        (f"fault_{name}_rps_during", round(len(during) / max(back - start, 0.001), 1), "req/s"),
        (f"fault_{name}_recovery_s", recovery, "s"),
    ]
