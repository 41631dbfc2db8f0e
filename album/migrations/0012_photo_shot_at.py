import django.utils.timezone
from django.db import migrations, models
from django.db.models.functions import Coalesce


def taken_or_added(apps, schema_editor):
    """Photos made before the column: when taken, or when added where the file did not say."""
    Photo = apps.get_model("album", "Photo")
    Photo.objects.update(shot_at=Coalesce("taken_at", "created_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("album", "0011_photo_states"),
    ]

    operations = [
        migrations.AddField(
            model_name="photo",
            name="shot_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="taken or added at"
            ),
        ),
        migrations.RunPython(taken_or_added, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="photo",
            index=models.Index(fields=["album", "-shot_at"], name="photo_album_shot_at"),
        ),
    ]
