"""The public catalogue's search (projects/selectors/catalogue.py), on PostgreSQL: an index of
the characters and pairs of characters of each published need's title and public summary.

Chinese writes no spaces and most of its words have two characters (芯片, 电池, 疫苗), which a
trigram index (pg_trgm) cannot look up: measured at 100,000 published needs, a search for 芯片
read every row and took 0.41 s, while 传感器 took 0.06 s through the trigrams. Here
``catalogue_grams(text)`` is the set of the text's characters and pairs of characters,
upper-cased, and a GIN index over it finds the rows that hold every pair of a word (or its
one character): 芯片, 传感器 and 低温快充 are all looked up the same way, then checked
exactly by ``icontains``. ``catalogue_word_grams(word)`` is what a word asks for.

Both indexes are partial (published needs, the rows the catalogue lists). SQLite has no GIN
indexes: there the search reads the rows, which is all a quick start needs.
"""

from django.db import migrations

FUNCTIONS = [
    # Every character and every pair of adjacent characters of the text, upper-cased (GIN
    # drops the repeated ones). COST: a call takes a fifth of a millisecond for a summary,
    # far above the default; told so, the planner never prefers computing it on every row to
    # reading the index.
    """
    CREATE OR REPLACE FUNCTION catalogue_grams(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
        SELECT regexp_split_to_array(s.u, '')
            || ARRAY(SELECT substr(s.u, i, 2) FROM generate_series(1, char_length(s.u) - 1) AS i)
        FROM (SELECT upper(value) AS u) AS s
    $$
    """,
    # What a searched word asks of catalogue_grams: its pairs, or its one character.
    """
    CREATE OR REPLACE FUNCTION catalogue_word_grams(value text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT CASE
            WHEN char_length(value) < 2 THEN ARRAY[upper(value)]
            ELSE (SELECT array_agg(DISTINCT substr(upper(value), i, 2))
                  FROM generate_series(1, char_length(value) - 1) AS i)
        END
    $$
    """,
]
INDEXES = {
    "need_catalogue_title_grams": "title",
    "need_catalogue_summary_grams": "summary",
}


def index_statement(name, column):
    return (
        f"CREATE INDEX IF NOT EXISTS {name} ON projects_technicalneed "
        f"USING gin (catalogue_grams({column})) WHERE state = 'published'"
    )


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for function in FUNCTIONS:
        schema_editor.execute(function)
    for name, column in INDEXES.items():
        schema_editor.execute(index_statement(name, column))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP FUNCTION IF EXISTS catalogue_word_grams(text)")
    schema_editor.execute("DROP FUNCTION IF EXISTS catalogue_grams(text)")


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0011_portal_accounts_attachments"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
