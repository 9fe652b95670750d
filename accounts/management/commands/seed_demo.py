"""Build the demo schools. Deterministic for a given seed.

Each app contributes its part in a `demo.py` with `build(ctx)`; they run in the order of
INSTALLED_APPS, so an app only ever builds on what the apps below it made.
"""

import random
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from accounts.demo import DEMO_PASSWORD, DemoContext
from accounts.models import School
from lib.dates import parse_day


class Command(BaseCommand):
    help = _("Создаёт демонстрационные школы.")

    def add_arguments(self, parser):
        parser.add_argument("--pupils", type=int, default=25, help=_("обучающихся в классе"))
        parser.add_argument("--classes", type=int, default=2, help=_("классов в параллели"))
        parser.add_argument("--grades", default="1,5,9,11", help=_("параллели первой школы"))
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--today",
            type=parse_day,
            default=None,
            help=_(
                "день, до которого ведётся журнал (ГГГГ-ММ-ДД; по умолчанию сегодня): "
                "бенчмарки строят целый учебный год"
            ),
        )
        parser.add_argument(
            "--if-empty", action="store_true", help=_("ничего не делать, если школы уже есть")
        )

    def handle(self, *args, **options):
        if School.objects.exists():
            if options["if_empty"]:
                self.stdout.write(_("Демо-данные уже есть."))
                print_accounts(self.stdout)
                return
            self.stderr.write(_("В базе уже есть школы; демо создаётся только в пустой базе."))
            return
        seed(
            pupils=options["pupils"],
            classes=options["classes"],
            grades=[int(g) for g in options["grades"].split(",") if g.strip()],
            seed_value=options["seed"],
            # The demo schools keep Moscow time (School.timezone's default): their day.
            today=options["today"] or School(timezone="Europe/Moscow").today(),
        )
        self.stdout.write(self.style.SUCCESS(_("Демо-школы созданы.")))
        print_accounts(self.stdout)


LOCAL_APPS = ("accounts", "schedule", "grading", "journal", "reports", "archive")


def seed(*, pupils: int, classes: int, grades: list[int], seed_value: int, today) -> DemoContext:
    """Build the demo schools (each app's demo.py in app order), in one transaction. The
    benchmarks build their large school with it too (bench/reports.py)."""
    ctx = DemoContext(
        rng=random.Random(seed_value),
        pupils_per_class=pupils,
        classes_per_grade=classes,
        grades=grades,
        today=today,
    )
    with transaction.atomic(), scopes_disabled():
        for config in apps.get_app_configs():
            if find_spec(f"{config.name}.demo") is not None and config.name in LOCAL_APPS:
                import_module(f"{config.name}.demo").build(ctx)
        if connection.vendor == "postgresql":
            # The foreign keys are checked at the commit, with plans made then: statistics
            # of the tables as they were before (near empty, after the benchmarks' other
            # data) would have them scan the whole of a referenced table for every mark.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    return ctx


def print_accounts(out):
    from accounts.demo import DEMO_ACCOUNTS

    out.write(_("Пароль всех демо-учётных записей: %(password)s") % {"password": DEMO_PASSWORD})
    for username, label in DEMO_ACCOUNTS:
        out.write(f"  {username:<14} {label}")
