"""Fill taxonomy_articlecount for the sources and categories already stored (taxonomy.article_counts.fill_sql as
it stood, frozen here): visible articles per source and per category, each counted up to 1,000 from one index
range, in two INSERT ... SELECT (seconds at a million articles)."""

from django.db import migrations

CAP = 1000
SOURCE = (
    "INSERT INTO {counts} (kind, target_id, count) SELECT 'source', s.id, (SELECT COUNT(*) FROM (SELECT 1 FROM "
    "{article} a WHERE a.source_id = s.id AND a.duplicate_of_id IS NULL LIMIT %s) capped) FROM {source} s"
)
CATEGORY = (
    "INSERT INTO {counts} (kind, target_id, count) SELECT 'category', c.id, (SELECT COUNT(*) FROM (SELECT 1 FROM "
    "{listing} l CROSS JOIN {article} a WHERE a.id = l.article_id AND l.kind = 'category' AND l.target_id = c.id "
    "AND a.duplicate_of_id IS NULL LIMIT %s) capped) FROM {category} c"
)


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    tables = {
        "counts": apps.get_model("taxonomy", "ArticleCount")._meta.db_table,
        "article": apps.get_model("articles", "Article")._meta.db_table,
        "source": apps.get_model("sources", "Source")._meta.db_table,
        "listing": apps.get_model("taxonomy", "ArticleListing")._meta.db_table,
        "category": apps.get_model("taxonomy", "Category")._meta.db_table,
    }
    with schema_editor.connection.cursor() as cursor:
        for sql in (SOURCE, CATEGORY):
            cursor.execute(sql.format(**tables), [CAP])


def empty(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("taxonomy", "ArticleCount").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0009_article_count"),
        ("articles", "0007_duplicate_newest_index"),
        ("sources", "0007_rename_sources_named_by_address"),
    ]

    operations = [migrations.RunPython(fill, empty)]
