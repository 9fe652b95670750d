"""python manage.py archive_verify [--school SLUG]: re-hash every kept document of the
archive; exit status 1 when a file is missing or differs from its recorded SHA-256."""

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from accounts.models import School

from ...models import ArchiveDocument
from ...services.verify import verify


class Command(BaseCommand):
    help = "Проверяет контрольные суммы документов архива."

    def add_arguments(self, parser):
        parser.add_argument("--school", help="только эта школа (её адрес, slug)")

    def handle(self, *args, **options):
        with scopes_disabled():
            documents = ArchiveDocument.objects.filter(destroyed_at__isnull=True)
            if options["school"]:
                school = School.objects.filter(slug=options["school"]).first()
                if school is None:
                    raise CommandError(f"Нет школы «{options['school']}».")
                documents = documents.filter(school=school)
            checked, problems = verify(documents)
            for problem in problems:
                d = problem.document
                what = "файл отсутствует" if problem.what == "missing" else "контрольная сумма"
                self.stderr.write(
                    f"{problem.what.upper()} {d.file.name} (школа {d.school_id}, "
                    f"{d.get_kind_display()}, версия {d.version}): {what}"
                )
        self.stdout.write(f"Проверено документов: {checked}, с ошибками: {len(problems)}")
        if problems:
            raise SystemExit(1)
