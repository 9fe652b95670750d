"""Materialise a school year's lessons from its timetable (the deputy's button does the same)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_scopes import scope

from accounts.models import School
from schedule.models import SchoolYear
from schedule.services.lessons import materialise
from schedule.services.years import school_year


class Command(BaseCommand):
    help = _("Создаёт уроки учебного года по расписанию (повторный запуск ничего не портит).")

    def add_arguments(self, parser):
        parser.add_argument("school", nargs="*", help=_("адреса школ (slug); по умолчанию все"))
        parser.add_argument(
            "--year", help=_("учебный год, например 2026/2027; по умолчанию текущий")
        )
        parser.add_argument(
            "--from",
            dest="since",
            type=date.fromisoformat,
            help=_("с даты ГГГГ-ММ-ДД (по умолчанию с сегодняшнего дня)"),
        )

    def handle(self, *args, school, year, since, **options):
        schools = School.objects.all()
        if school:
            schools = schools.filter(slug__in=school)
            missing = set(school) - set(schools.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"Нет школ: {', '.join(sorted(missing))}")
        for each in schools:
            with scope(school=each):
                chosen = (
                    SchoolYear.objects.filter(school=each, name=year).first()
                    if year
                    else school_year(each)
                )
                if chosen is None:
                    self.stdout.write(f"{each.slug}: учебного года нет")
                    continue
                result = materialise(chosen, since=since)
            self.stdout.write(
                f"{each.slug} {chosen.name}: добавлено {result.added}, убрано {result.removed}, "
                f"изменено {result.updated}, конфликтов {len(result.conflicts)}"
            )
            for conflict in result.conflicts:
                self.stdout.write(f"  — {conflict.label}: {conflict.reason}")
