"""python manage.py archive_verify [--school SLUG]: re-hash every kept document of the
archive; exit status 1 when a file is missing, differs from its recorded SHA-256 or (signing
configured) its signature does not validate."""

from django.core.management.base import BaseCommand, CommandError
from django_scopes import scopes_disabled

from accounts.models import School

from ...models import ArchiveDocument
from ...services.signing import SigningError
from ...services.verify import verify

WHAT = {
    "missing": "файл отсутствует",
    "mismatch": "контрольная сумма",
    "signature": "электронная подпись недействительна",
}


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
            try:
                checked, problems = verify(documents)
            except SigningError as error:
                raise CommandError(str(error)) from None
            for problem in problems:
                d = problem.document
                self.stderr.write(
                    f"{problem.what.upper()} {d.file.name} (школа {d.school_id}, "
                    f"{d.get_kind_display()}, версия {d.version}): {WHAT[problem.what]}"
                )
        self.stdout.write(f"Проверено документов: {checked}, с ошибками: {len(problems)}")
        if problems:
            raise SystemExit(1)
