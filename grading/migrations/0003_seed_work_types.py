"""Give every existing school the default work types (new schools get them on creation)."""

from decimal import Decimal

from django.db import migrations

# A copy, as of this migration, of grading.services.marks.DEFAULT_WORK_TYPES.
DEFAULTS = [
    ("Ответ на уроке", "Отв", "1", "lesson"),
    ("Домашняя работа", "ДЗ", "1", ""),
    ("Самостоятельная работа", "С/р", "1.5", "independent"),
    ("Практическая работа", "П/р", "1.5", "practice"),
    ("Лабораторная работа", "Л/р", "1.5", "lab"),
    ("Диктант", "Дикт", "2", "dictation"),
    ("Контрольная работа", "К/р", "2", "test"),
    ("Зачёт", "Зач", "2", "credit"),
]


def seed(apps, schema_editor):
    School = apps.get_model("accounts", "School")
    WorkType = apps.get_model("grading", "WorkType")
    having = set(WorkType.objects.values_list("school_id", flat=True))
    WorkType.objects.bulk_create(
        WorkType(
            school=school,
            name=name,
            short_name=short,
            weight=Decimal(weight),
            lesson_kind=kind,
            position=n,
        )
        for school in School.objects.exclude(pk__in=having)
        for n, (name, short, weight, kind) in enumerate(DEFAULTS)
    )


class Migration(migrations.Migration):
    dependencies = [("grading", "0002_marks")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
