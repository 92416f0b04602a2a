"""Whether the database is behind the code's migrations, and bringing it up to date."""

from __future__ import annotations

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def migrations_pending() -> bool:
    """True when the default database lacks a migration the code has."""
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def migrate_if_needed() -> bool:
    """Apply pending migrations quietly; returns whether there were any."""
    if not migrations_pending():
        return False
    call_command("migrate", interactive=False, verbosity=0)
    return True
