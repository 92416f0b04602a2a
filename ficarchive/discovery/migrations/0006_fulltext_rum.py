"""PostgreSQL: a RUM index on the full-text documents when the server has the extension
(Debian: postgresql-15-rum). RUM keeps each word's positions in the index, so a phrase
("the door" as 'the' <-> 'door') is answered from the index without reading every
document holding both words, and ``document <=> query`` ranks in index order, reading
only what matched. Without the extension (or the right to create it) the GIN index of
0002 stays and the backend ranks with ts_rank, as before; ``backends.postgres`` asks
which index exists."""

from django.db import migrations, transaction

INDEX = "discovery_ftsdoc_rum"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone() is None:
            return
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
        except Exception:  # noqa: BLE001 - no right to create it: keep the GIN index
            return
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON discovery_ftsdoc"
            " USING rum (document rum_tsvector_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0005_cachegeneration"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
