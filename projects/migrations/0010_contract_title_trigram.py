"""A trigram index behind the contract list's search by title (PostgreSQL only).

``title__icontains`` is ``UPPER(title::text) LIKE UPPER('%…%')``: at a million contracts a
sequential scan takes seconds, the trigram index answers in milliseconds. Other databases
(SQLite in the quick start) search without it. Creating ``pg_trgm`` needs a role allowed to
create extensions (the database owner on PostgreSQL 13+, it is a trusted extension).
"""

from django.db import migrations

INDEX = "contract_title_trgm_idx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON projects_transfercontract "
        "USING gin ((UPPER(title::text)) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0009_contract_list_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
