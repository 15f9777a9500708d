"""Fill taxonomy_articlelisting for the articles already stored (the SQL of taxonomy.listing.relist_all, frozen
here: the membership rule of taxonomy.membership as it stood, a listed link in its category and its parent unless
an editor rejected the article from that one, and every topic link)."""

from django.db import migrations

LISTED = "(l.score >= 0.25 OR (l.origin <> 'model' AND l.score > 0))"
REJECTED = (
    "EXISTS (SELECT 1 FROM taxonomy_articlecategory r WHERE r.article_id = l.article_id AND r.category_id = {cat} "
    "AND r.origin = 'editor' AND r.score <= 0)"
)
FILL_CATEGORIES = f"""
INSERT INTO taxonomy_articlelisting (article_id, kind, target_id, published_at)
SELECT DISTINCT p.article_id, 'category', p.listed_in, a.published_at FROM (
    SELECT l.article_id AS article_id, l.category_id AS listed_in FROM taxonomy_articlecategory l
    WHERE {LISTED} AND NOT {REJECTED.format(cat="l.category_id")}
    UNION ALL
    SELECT l.article_id, c.parent_id FROM taxonomy_articlecategory l
    INNER JOIN taxonomy_category c ON c.id = l.category_id
    WHERE c.parent_id IS NOT NULL AND {LISTED} AND NOT {REJECTED.format(cat="c.parent_id")}
) p INNER JOIN articles_article a ON a.id = p.article_id
"""  # noqa: S608 (constant SQL, no input)
FILL_TOPICS = """
INSERT INTO taxonomy_articlelisting (article_id, kind, target_id, published_at)
SELECT DISTINCT t.article_id, 'topic', t.topic_id, a.published_at FROM taxonomy_articletopic t
INNER JOIN articles_article a ON a.id = t.article_id
"""


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0003_article_listing")]

    operations = [
        migrations.RunSQL(
            [FILL_CATEGORIES, FILL_TOPICS], reverse_sql=["DELETE FROM taxonomy_articlelisting"], elidable=True
        ),
    ]
