"""python -m bench.load [--faults]: the load test, one «name value unit» line per figure.

Run through scripts/loadtest (make loadtest, make loadtest-faults), which sets the
production settings, a database of the load test's own and a Redis database number.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.services import BASE_DIR, PYTHON, gunicorn, postgres_cluster, redis_server

MIX = ["diary_week", "diary_marks", "grid", "cell_save", "sign_in", "leadership"]


def workers_for_cores() -> int:
    """The README's recommendation: 2 × cores + 1 gunicorn workers (sync, one thread), the
    cores counted as config/gunicorn.py counts them (those this process may run on)."""
    return 2 * len(os.sched_getaffinity(0)) + 1


def prepare(options, workdir: Path) -> Path:
    """Migrate, empty and generate the load test's database; returns the plan's path."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command

    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        sys.exit("Нагрузочный тест запускается на PostgreSQL (scripts/loadtest).")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    if options.collectstatic:
        call_command("collectstatic", verbosity=0, interactive=False)
    cache.clear()
    from .school import build

    plan = workdir / "plan.json"
    build(options.pupils, plan)
    from django.db import connections

    connections.close_all()
    return plan


def locust(server, plan: Path, log: Path, classes: list[str], users: int, seconds: float):
    """A headless locust run against `server`, bounded in users and seconds."""
    done = subprocess.run(
        [
            PYTHON,
            "-m",
            "locust",
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{int(round(seconds))}s",
            "--stop-timeout",
            "5",
            "--host",
            server.url,
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
            *classes,
        ],
        cwd=BASE_DIR,
        env={**os.environ, "LOADTEST_PLAN": str(plan), "LOADTEST_LOG": str(log)},
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    if done.returncode != 0 or os.environ.get("LOADTEST_VERBOSE"):
        print(done.stdout[-3000:], done.stderr[-5000:], file=sys.stderr)
    if done.returncode != 0:
        raise RuntimeError("locust failed")


def load_run(options, server, plan, workdir):
    from .figures import measured, per_kind, read

    def run(name: str, classes: list[str], kinds: list[str], seconds: float):
        log = workdir / f"{name}.csv"
        locust(server, plan, log, classes, options.users, seconds)
        return measured(read(log), kinds, seconds)

    rows, seconds = run("floor", ["TrivialUser"], ["trivial"], options.floor_seconds)
    lines = per_kind(rows, seconds, ["trivial"])
    trivial = len(rows) / seconds
    # The parents' pages alone, as long as the floor: the diary's goal is half the floor.
    alone = ["diary_week_alone", "diary_marks_alone"]
    rows, seconds = run("diary", ["DiaryAlone"], alone, options.floor_seconds)
    lines += per_kind(rows, seconds, alone)
    for kind in alone:
        share = sum(r.kind == kind for r in rows) / seconds
        # Each kind is half of the requests: twice its rate is the diary's rate.
        lines.append((f"loadtest_{kind}_vs_trivial", round(2 * share / trivial, 2), "x"))
    # The teachers' cell saves alone, each teacher on their own cells: the goal is a rate.
    saves = ["cell_save_alone"]
    rows, seconds = run("saves", ["CellSavesAlone"], saves, options.floor_seconds)
    lines += per_kind(rows, seconds, saves)
    share = len(rows) / seconds / trivial
    lines.append(("loadtest_cell_save_alone_vs_trivial", round(share, 2), "x"))
    rows, seconds = run("mix", ["MondayMorning"], MIX, options.seconds)
    return lines + per_kind(rows, seconds, MIX)


def env_for(database_url: str, redis_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def fault_runs(options, workdir: Path):
    """The same mix while Redis stops and returns, and while PostgreSQL restarts: a Redis and
    a PostgreSQL cluster of the run's own (pg_createcluster: run as root, as CI does)."""
    from .figures import fault, read

    lines = []
    with redis_server(workdir) as redis, postgres_cluster() as cluster:
        cluster.psql('CREATE DATABASE "zhurnal_loadtest"')
        os.environ.update(env_for(cluster.url("zhurnal_loadtest"), redis.url))
        plan = prepare(options, workdir)
        env = env_for(cluster.url("zhurnal_loadtest"), redis.url)
        with gunicorn(env, workdir, options.workers) as server:
            for name, stop, start in (
                ("redis", redis.stop, redis.start),
                ("postgres", cluster.stop, cluster.start),
            ):
                log = workdir / f"fault-{name}.csv"
                marks = {}

                def inject(stop=stop, start=start, marks=marks):
                    time.sleep(options.fault_after)
                    marks["start"] = time.time()
                    stop()
                    time.sleep(options.fault_seconds)
                    start()
                    marks["back"] = time.time()

                injector = threading.Thread(target=inject)
                injector.start()
                began = time.time()
                locust(server, plan, log, ["MondayMorning"], options.users, options.seconds)
                injector.join(timeout=120)
                lines += fault(read(log), name, marks["start"], marks["back"], began + 1e9)
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="bench.load", description=__doc__)
    parser.add_argument("--users", type=int, default=8, help="concurrent connections")
    parser.add_argument("--seconds", type=float, default=30, help="length of the mix")
    parser.add_argument("--floor-seconds", type=float, default=10, help="length of the floor")
    parser.add_argument("--pupils", type=int, default=30)
    parser.add_argument("--workers", type=int, default=workers_for_cores())
    parser.add_argument("--faults", action="store_true", help="the fault runs instead")
    parser.add_argument("--fault-after", type=float, default=8, help="seconds before a fault")
    parser.add_argument("--fault-seconds", type=float, default=8, help="how long it lasts")
    parser.add_argument("--no-collectstatic", dest="collectstatic", action="store_false")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="zhurnal-loadtest-") as tmp:
        workdir = Path(tmp)
        if options.faults:
            lines = fault_runs(options, workdir)
        else:
            plan = prepare(options, workdir)
            with gunicorn(dict(os.environ), workdir, options.workers) as server:
                lines = load_run(options, server, plan, workdir)
        lines.append(("loadtest_gunicorn_workers", options.workers, "workers"))
        for name, value, unit in lines:
            print(f"{name} {value} {unit}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
