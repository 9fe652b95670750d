from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ops.backups import services, store
from ops.backups.manifest import BackupRefused


class Command(BaseCommand):
    help = _(
        "Создаёт резервную копию: базу данных, файлы и опись (ops/backups). "
        "С --list показывает копии в хранилищах."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help=_("показать копии"))

    def handle(self, *args, **options):
        if options["list"]:
            return self.list()
        try:
            manifest = services.make()
        except BackupRefused as refused:
            raise CommandError(str(refused)) from None
        for part in manifest.parts:
            self.stdout.write(f"  {part.name}: {part.size} байт, SHA-256 {part.sha256}")
        self.stdout.write(
            self.style.SUCCESS(_("Резервная копия %(name)s создана.") % {"name": manifest.name})
        )

    def list(self):
        for storage in services.backup_storages():
            self.stdout.write(f"{storage.__class__.__name__} {getattr(storage, 'location', '')}:")
            for found in store.listing(storage):
                if found.complete:
                    m = found.manifest
                    self.stdout.write(f"  {m.name}  {m.created_at}  {m.kind}  {m.size} байт")
                else:
                    self.stdout.write(f"  {found.name}  " + _("не завершена"))
