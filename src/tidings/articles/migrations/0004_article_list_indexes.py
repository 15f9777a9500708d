"""Indexes for newest-first lists of visible articles (home, My News): see Article.Meta.indexes.

The foreign key's own index on duplicate_of_id is dropped by name lookup rather than by AlterField, because
AlterField makes Django rebuild articles_article on SQLite, which would drop the full-text triggers (0002).
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "articles_article"
COLUMN = "duplicate_of_id"


def _plain_indexes_on_duplicate_of(schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    return [
        name
        for name, info in constraints.items()
        if info["index"]
        and not info["unique"]
        and not info["primary_key"]
        and info["columns"] == [COLUMN]
        and name != "article_duplicate_of_set"
    ]


def drop_foreign_key_index(apps, schema_editor):
    quote = schema_editor.connection.ops.quote_name
    for name in _plain_indexes_on_duplicate_of(schema_editor):
        schema_editor.execute(f"DROP INDEX {quote(name)}")


def restore_foreign_key_index(apps, schema_editor):
    """Backwards: the index Django made for the foreign key, under the name it gave it."""
    if not _plain_indexes_on_duplicate_of(schema_editor):
        quote = schema_editor.connection.ops.quote_name
        name = schema_editor.connection.schema_editor()._create_index_name(TABLE, [COLUMN])
        schema_editor.execute(f"CREATE INDEX {quote(name)} ON {quote(TABLE)} ({quote(COLUMN)})")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_blank_unsafe_urls"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="article",
                    name="duplicate_of",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="duplicates",
                        to="articles.article",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_foreign_key_index, restore_foreign_key_index)],
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("duplicate_of__isnull", True)),
                fields=["-published_at", "-id"],
                name="article_visible_newest",
            ),
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("duplicate_of__isnull", False)),
                fields=["duplicate_of"],
                name="article_duplicate_of_set",
            ),
        ),
    ]
