"""PostgreSQL: a word-pair index on the full-text documents (issue 17).

``discovery_word_pairs(document)`` is the tsvector of a document's adjacent lexeme pairs
("said softly" for 'said' at position p and 'softly' at p + 1), read from the stored
document itself, so the pairs follow exactly what the phrase operator ``<->`` sees (the
'simple' configuration's lexemes, the positions PostgreSQL kept: at most 256 per lexeme,
none past 16,383, fields joined end to end). A GIN index on that expression makes a
two-word phrase one posting list instead of RUM's positions of two common words, and a
longer phrase the AND of its pairs, checked against the document.

An expression index, not a column: the pairs are not stored twice (the index alone is
read: a query of plain lexemes needs no recheck), and every write of a document (the
backend's upsert, a reindex, a restore, a bulk load) keeps them in step with no code of
its own. A document whose pairs would not fit a tsvector (1 MB of lexemes) gets the one
lexeme UNPAIRED instead (a leading space: no pair has one), and such works are searched
on their documents. Built on an existing archive from the documents already indexed (no
text is read again); SQLite does nothing (its FTS5 index answers phrases from positions)."""

from django.db import migrations

UNPAIRED = " unpaired"
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
    THEN array_to_tsvector(coalesce(array_agg(pair), '{}'))
    ELSE array_to_tsvector(ARRAY[' unpaired']) END
  FROM pairs
$$
"""
INDEX = "discovery_ftsdoc_pairs"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON discovery_ftsdoc"
        " USING gin (discovery_word_pairs(document))"
    )
    # No statistics on the expression: ANALYZE would compute the pairs of its whole
    # sample (30,000 documents) each time; without them the planner takes @@'s default
    # selectivity (0.5 %), which is what a phrase's pairs are near, and uses the index.
    schema_editor.execute(f"ALTER INDEX {INDEX} ALTER COLUMN 1 SET STATISTICS 0")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute("DROP FUNCTION IF EXISTS discovery_word_pairs(tsvector)")


class Migration(migrations.Migration):
    dependencies = [("discovery", "0007_mute_work_and_fandom")]

    operations = [migrations.RunPython(forwards, backwards)]
