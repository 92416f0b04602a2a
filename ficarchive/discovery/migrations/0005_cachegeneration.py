from django.db import migrations, models


def create_row(apps, schema_editor):
    import uuid

    apps.get_model("discovery", "CacheGeneration").objects.get_or_create(
        pk=1, defaults={"epoch": uuid.uuid4().hex}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0004_indexchange"),
    ]

    operations = [
        migrations.CreateModel(
            name="CacheGeneration",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("value", models.BigIntegerField(default=0)),
                ("epoch", models.CharField(default="", max_length=32)),
            ],
        ),
        migrations.CreateModel(
            name="WorkVersion",
            fields=[
                ("work_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
