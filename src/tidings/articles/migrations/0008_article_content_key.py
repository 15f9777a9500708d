"""The content-hash dedup lookup reads a compact integer key (issue 17): content_key, filled for existing rows.

A refresh's inserts used to add random 64-character keys to a global index on content_hash: into a large
database nearly every insert dirtied an index page of its own, and those pages were written again at every
checkpoint. content_key (articles.keys.content_key: the hash's first 8 bytes) is indexed instead, a fifth of
the size; the index on content_hash goes (the column stays: it is compared exactly after a key match).

The fill runs in batches of ids, each committed (the migration is not atomic; a rerun fills what is left):
in SQL on PostgreSQL (the same value as the Python function for every hash that starts with 16 hex digits),
through the Python function registered on the SQLite connection, and in Python for the rest. The index on
content_hash is dropped by name lookup rather than by AlterField, because AlterField makes Django rebuild
articles_article on SQLite, which would drop the full-text triggers (0002).
"""

from django.db import migrations, models, transaction

from tidings.articles.keys import content_key

TABLE = "articles_article"
BATCH = 50_000
POSTGRES_KEY = "('x' || substr(content_hash, 1, 16))::bit(64)::bigint"


def fill_content_key(apps, schema_editor):
    connection = schema_editor.connection
    alias = connection.alias
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.create_function("tidings_content_key", 1, content_key, deterministic=True)
        expression, condition = "tidings_content_key(content_hash)", ""
    elif connection.vendor == "postgresql":
        expression, condition = POSTGRES_KEY, " AND content_hash ~ '^[0-9a-fA-F]{16}'"
    else:
        expression = ""
    if expression:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT min(id), max(id) FROM {TABLE}")  # noqa: S608
            low, high = cursor.fetchone()
        for start in range(low or 0, (high or 0) + 1, BATCH):
            with transaction.atomic(using=alias), connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {TABLE} SET content_key = {expression}"  # noqa: S608
                    f" WHERE id >= %s AND id < %s AND content_key IS NULL{condition}",
                    [start, start + BATCH],
                )
    Article = apps.get_model("articles", "Article")
    rest = Article.objects.using(alias).filter(content_key__isnull=True).order_by("pk")
    while batch := list(rest.values_list("pk", "content_hash")[:5000]):
        with transaction.atomic(using=alias):
            for pk, digest in batch:
                Article.objects.using(alias).filter(pk=pk).update(content_key=content_key(digest))


def _plain_indexes_on_content_hash(schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return [
        name
        for name, info in constraints.items()
        if info["index"] and not info["unique"] and not info["primary_key"] and info["columns"] == ["content_hash"]
    ]


def drop_content_hash_index(apps, schema_editor):
    quote = schema_editor.connection.ops.quote_name
    for name in _plain_indexes_on_content_hash(schema_editor):
        schema_editor.execute(f"DROP INDEX {quote(name)}")


def restore_content_hash_index(apps, schema_editor):
    """Backwards: the index Django made for db_index=True, under the name it gave it (PostgreSQL's pattern
    index for LIKE is not made again: nothing queries content_hash by pattern)."""
    if not _plain_indexes_on_content_hash(schema_editor):
        quote = schema_editor.connection.ops.quote_name
        name = schema_editor.connection.schema_editor()._create_index_name(TABLE, ["content_hash"])
        schema_editor.execute(f"CREATE INDEX {quote(name)} ON {quote(TABLE)} ({quote('content_hash')})")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0007_duplicate_newest_index"),
        ("sources", "0007_rename_sources_named_by_address"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="content_key",
            field=models.BigIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_content_key, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["content_key"], name="article_content_key"),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="content_hash",
                    field=models.CharField(max_length=64),
                ),
            ],
            database_operations=[migrations.RunPython(drop_content_hash_index, restore_content_hash_index)],
        ),
    ]
