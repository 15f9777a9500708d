"""Search ranks inside the index (issue 17).

SQLite: the FTS5 table's `rank` column is set to bm25 with the column weights of tidings.articles.search.sqlite, so
`ORDER BY rank LIMIT n` is done by FTS5 itself. PostgreSQL: a stored generated tsvector column with a GIN index
replaces 0002's expression index, so ts_rank reads the stored vector instead of re-parsing each matching text.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "INSERT INTO articles_article_fts(articles_article_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)')"
]
SQLITE_BACKWARD = ["INSERT INTO articles_article_fts(articles_article_fts, rank) VALUES ('rank', 'bm25()')"]

# The same expression as tidings.articles.search.postgres.VECTOR_SQL.
POSTGRES_FORWARD = [
    "DROP INDEX IF EXISTS articles_article_fts_gin",
    """ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(headline, '')), 'A') ||
        setweight(to_tsvector('english'::regconfig, coalesce(standfirst, '')), 'B') ||
        setweight(to_tsvector('english'::regconfig, coalesce(body_text, '')), 'D')
    ) STORED""",
    "CREATE INDEX IF NOT EXISTS articles_article_search_vector_gin ON articles_article USING GIN (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS articles_article_search_vector_gin",
    "ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector",
    """CREATE INDEX IF NOT EXISTS articles_article_fts_gin ON articles_article USING GIN ((
        setweight(to_tsvector('english'::regconfig, headline), 'A') ||
        setweight(to_tsvector('english'::regconfig, standfirst), 'B') ||
        setweight(to_tsvector('english'::regconfig, body_text), 'D')
    ))""",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_source_newest"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
            elidable=False,
        ),
    ]
