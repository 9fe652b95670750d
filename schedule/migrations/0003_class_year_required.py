import django.db.models.deletion
from django.db import migrations, models


def give_classes_a_year(apps, schema_editor):
    """Classes made before the year became required join the school year holding today."""
    import datetime

    SchoolClass = apps.get_model("schedule", "SchoolClass")
    SchoolYear = apps.get_model("schedule", "SchoolYear")
    today = datetime.date.today()
    first = today.year if today.month >= 9 else today.year - 1
    for school_id in (
        SchoolClass.objects.filter(year__isnull=True).values_list("school_id", flat=True).distinct()
    ):
        year = (
            SchoolYear.objects.filter(school_id=school_id, start__lte=today, end__gte=today).first()
            or SchoolYear.objects.get_or_create(
                school_id=school_id,
                name=f"{first}/{first + 1}",
                defaults={
                    "start": datetime.date(first, 9, 1),
                    "end": datetime.date(first + 1, 8, 31),
                },
            )[0]
        )
        SchoolClass.objects.filter(school_id=school_id, year__isnull=True).update(year=year)


class Migration(migrations.Migration):
    # Non-atomic so that the data step commits before the column turns NOT NULL
    # (PostgreSQL refuses to alter a table with pending deferred-constraint events).
    atomic = False

    dependencies = [
        ("schedule", "0002_year_setup"),
    ]

    operations = [
        migrations.RunPython(give_classes_a_year, migrations.RunPython.noop, atomic=True),
        migrations.AlterField(
            model_name='schoolclass',
            name='year',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='classes', to='schedule.schoolyear', verbose_name='учебный год'),
        ),
    ]
