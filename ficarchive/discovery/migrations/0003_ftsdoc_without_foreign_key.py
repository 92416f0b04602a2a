"""PostgreSQL's full-text table loses its foreign key to works.

Django does not know this table (it is created by hand in 0002), so a flush (TRUNCATE of
every model table, as transactional tests and `manage.py flush` do) failed on the foreign
key. Rows of deleted works are removed by the indexing hooks, and every search joins back
to the works table, so a stray row can never surface."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'discovery_ftsdoc'::regclass AND contype = 'f'"
        )
        names = [row[0] for row in cursor.fetchall()]
    for name in names:
        schema_editor.execute(f'ALTER TABLE discovery_ftsdoc DROP CONSTRAINT "{name}"')


class Migration(migrations.Migration):
    dependencies = [("discovery", "0002_fulltext")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
