"""Full-text search: FTS5 external-content table + triggers on SQLite, a GIN expression index on PostgreSQL.

On SQLite, a later migration that makes Django rebuild articles_article (most AlterField calls) drops the
triggers with the old table; such a migration must re-run SQLITE_FORWARD's triggers and the 'rebuild'.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS articles_article_fts USING fts5(
        headline, standfirst, body_text,
        content='articles_article', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER IF NOT EXISTS articles_article_fts_ai AFTER INSERT ON articles_article BEGIN
        INSERT INTO articles_article_fts(rowid, headline, standfirst, body_text)
        VALUES (new.id, new.headline, new.standfirst, new.body_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_article_fts_ad AFTER DELETE ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, headline, standfirst, body_text)
        VALUES ('delete', old.id, old.headline, old.standfirst, old.body_text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_article_fts_au
        AFTER UPDATE OF headline, standfirst, body_text ON articles_article BEGIN
        INSERT INTO articles_article_fts(articles_article_fts, rowid, headline, standfirst, body_text)
        VALUES ('delete', old.id, old.headline, old.standfirst, old.body_text);
        INSERT INTO articles_article_fts(rowid, headline, standfirst, body_text)
        VALUES (new.id, new.headline, new.standfirst, new.body_text);
    END""",
    # Index the rows that existed before this migration.
    "INSERT INTO articles_article_fts(articles_article_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_article_fts_au",
    "DROP TRIGGER IF EXISTS articles_article_fts_ad",
    "DROP TRIGGER IF EXISTS articles_article_fts_ai",
    "DROP TABLE IF EXISTS articles_article_fts",
]

# The same expression as tidings.articles.search.postgres.VECTOR_SQL, so that searches use this index.
POSTGRES_FORWARD = [
    """CREATE INDEX IF NOT EXISTS articles_article_fts_gin ON articles_article USING GIN ((
        setweight(to_tsvector('english'::regconfig, headline), 'A') ||
        setweight(to_tsvector('english'::regconfig, standfirst), 'B') ||
        setweight(to_tsvector('english'::regconfig, body_text), 'D')
    ))""",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS articles_article_fts_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
            elidable=False,
        ),
    ]
