"""On PostgreSQL, autocomplete's prefix range compares name_key byte-wise (COLLATE "C"),
which only a "C"-collated index serves; SQLite's default BINARY collation already does."""

from django.db import migrations

INDEX = "tag_kind_canonical_name_key_c"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {INDEX} ON tags_tag (kind, canonical, (name_key COLLATE "C"))'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("tags", "0005_autocomplete_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
