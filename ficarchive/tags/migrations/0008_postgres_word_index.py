"""On PostgreSQL, autocomplete's word-start range compares TagWord.word byte-wise
(COLLATE "C"), which only a "C"-collated index serves (as 0006 does for names)."""

from django.db import migrations

INDEX = "tagword_kind_word_c"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON tags_tagword (kind, (word COLLATE "C"))')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("tags", "0007_tag_words")]
    operations = [migrations.RunPython(forwards, backwards)]
