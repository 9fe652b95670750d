from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops.backups import services
from ops.backups.manifest import BackupRefused


class Command(BaseCommand):
    help = _(
        "Восстанавливает резервную копию в пустую базу данных (DATABASE_URL) и пустое "
        "хранилище файлов, сначала проверив опись и контрольные суммы всех частей."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "backup", help=_("имя копии (см. backup --list) или путь к папке копии")
        )
        parser.add_argument(
            "--storage",
            default="backups",
            help=_("хранилище копий из STORAGES (по умолчанию backups)"),
        )

    def handle(self, *args, backup, storage, **options):
        path = Path(backup)
        if path.is_dir():  # a copy brought on a disk: its folder, wherever it is
            source, name = FileSystemStorage(location=path.resolve().parent), path.name
        else:
            try:
                source, name = storages[storage], backup
            except Exception:
                raise CommandError(
                    _("Нет хранилища %(name)s в STORAGES.") % {"name": storage}
                ) from None
        try:
            manifest = services.restore(name, storage=source)
        except BackupRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Копия %(name)s от %(time)s восстановлена. Выполните manage.py migrate, если "
                    "версия журнала новее копии."
                )
                % {"name": manifest.name, "time": manifest.created_at}
            )
        )
