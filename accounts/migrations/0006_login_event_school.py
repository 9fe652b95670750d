"""Sign-ins recorded per school (issue 10): the events written before this migration belong
to the school of an account with roles in one school only; an account shared between
schools keeps its old sign-ins in its own history, shown to no school."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count


def attribute(apps, schema_editor):
    Membership = apps.get_model("accounts", "Membership")
    LoginEvent = apps.get_model("accounts", "LoginEvent")
    single = (
        Membership.objects.values("user_id")
        .annotate(n=Count("school_id", distinct=True))
        .filter(n=1)
        .values_list("user_id", flat=True)
    )
    schools = dict(
        Membership.objects.filter(user_id__in=single).values_list("user_id", "school_id")
    )
    for user_id, school_id in schools.items():
        LoginEvent.objects.filter(user_id=user_id, school__isnull=True).update(school_id=school_id)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_personal_data_access'),
    ]

    operations = [
        migrations.AddField(
            model_name='loginevent',
            name='school',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.school'),
        ),
        migrations.AddIndex(
            model_name='loginevent',
            index=models.Index(fields=['school', '-at'], name='accounts_lo_school__82f9fd_idx'),
        ),
        migrations.RunPython(attribute, migrations.RunPython.noop),
    ]
