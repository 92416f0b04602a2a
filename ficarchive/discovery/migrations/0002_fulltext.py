"""The full-text index, one table per database vendor, and the sort indexes on works that
the filter relies on (created here because discovery is the code that needs them)."""

from django.db import migrations

SORT_INDEXES = {
    "discovery_work_kudos": "kudos_count",
    "discovery_work_words": "word_count",
    "discovery_work_hits": "hit_count",
    "discovery_work_comments": "comment_count",
    "discovery_work_bookmarks": "bookmark_count",
    "discovery_work_posted": "published_at",
    "discovery_work_title": "title",
    "discovery_work_rating": "rating",
}


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS discovery_fts USING fts5("
            "title, creators, tags, summary, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE TABLE IF NOT EXISTS discovery_ftsdoc ("
            " work_id bigint PRIMARY KEY REFERENCES works_work(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,"
            " document tsvector NOT NULL)"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS discovery_ftsdoc_gin ON discovery_ftsdoc USING gin (document)"
        )
    for name, column in SORT_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON works_work ({column}, id)")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name in SORT_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS discovery_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS discovery_ftsdoc")


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0001_initial"),
        ("works", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
