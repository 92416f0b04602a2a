"""AuditLog now belongs to core (core/migrations/0001_auditlog); its table stays."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("works", "0001_initial"),
        ("core", "0001_auditlog"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditLog")],
            database_operations=[],
        ),
    ]
