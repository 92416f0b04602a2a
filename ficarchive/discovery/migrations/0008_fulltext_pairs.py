"""PostgreSQL: a word-pair index beside the full-text documents (issue 17).

``discovery_ftspair`` holds, per work, a tsvector of the adjacent lexeme pairs of its
document ("said softly" for 'said' at position p and 'softly' at p + 1), read from the
stored document itself by ``discovery_word_pairs`` so the pairs follow exactly what the
phrase operator ``<->`` sees (the 'simple' configuration's lexemes, the positions
PostgreSQL kept: at most 256 per lexeme, none past 16,383, fields joined end to end). A
two-word phrase is then one posting list of a GIN index instead of RUM's positions of two
common words, and a longer phrase is the AND of its pairs, checked against the document.

A table of its own, not a column of ``discovery_ftsdoc``: filling a column would rewrite
every document row and re-insert each into the GIN and RUM indexes. Works whose pairs
would not fit a tsvector (1 MB of lexemes) get NULL, and are searched on their document.

On an existing archive the pairs are built from the documents already indexed (no text
is read again); SQLite does nothing (its FTS5 index answers phrases from positions)."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION discovery_word_pairs(doc tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  WITH p AS (SELECT u.lexeme, pos FROM unnest(doc) u, unnest(u.positions) pos),
  pairs AS (
    SELECT DISTINCT a.lexeme || ' ' || b.lexeme AS pair
    FROM p a JOIN p b ON b.pos = a.pos + 1
    WHERE octet_length(a.lexeme) + octet_length(b.lexeme) < 2047
  )
  SELECT CASE WHEN coalesce(sum(octet_length(pair)), 0) < 1048575
    THEN array_to_tsvector(coalesce(array_agg(pair), '{}')) END
  FROM pairs
$$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        "CREATE TABLE IF NOT EXISTS discovery_ftspair (work_id bigint PRIMARY KEY, pairs tsvector)"
    )
    schema_editor.execute(
        "INSERT INTO discovery_ftspair (work_id, pairs) "
        "SELECT work_id, discovery_word_pairs(document) FROM discovery_ftsdoc "
        "ON CONFLICT (work_id) DO UPDATE SET pairs = EXCLUDED.pairs"
    )
    # Built after the backfill: one sort instead of an insert per row.
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS discovery_ftspair_gin ON discovery_ftspair USING gin (pairs)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS discovery_ftspair_unpaired ON discovery_ftspair (work_id)"
        " WHERE pairs IS NULL"
    )
    schema_editor.execute("ANALYZE discovery_ftspair")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TABLE IF EXISTS discovery_ftspair")
    schema_editor.execute("DROP FUNCTION IF EXISTS discovery_word_pairs(tsvector)")


class Migration(migrations.Migration):
    dependencies = [("discovery", "0007_mute_work_and_fandom")]

    operations = [migrations.RunPython(forwards, backwards)]
