from django.db import migrations


class Migration(migrations.Migration):
    """The school's rule fields go, now that the regulation holds them (a migration of its
    own: PostgreSQL refuses to alter a table in the transaction that filled rows pointing at
    it)."""

    dependencies = [
        ("accounts", "0002_regulation"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='school',
            name='access_code_days',
        ),
        migrations.RemoveField(
            model_name='school',
            name='records_lock_days',
        ),
    ]
