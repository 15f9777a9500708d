"""Story.source_count (stories.coverage): the column, filled from the stored articles, and the story_top_recent
index the home page's top stories are read from."""

from django.db import migrations, models


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """stories.coverage.recount_all as it stands (the migration must not import app code): one UPDATE with a
    correlated count per story through the link table's story index."""
    schema_editor.execute(
        "UPDATE stories_story SET source_count = COALESCE((SELECT COUNT(DISTINCT a.source_id)"
        " FROM stories_articlestory l JOIN articles_article a ON a.id = l.article_id"
        " WHERE l.story_id = stories_story.id AND a.duplicate_of_id IS NULL), 0)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0006_claim_via_text"),
        ("articles", "0006_search_rank_inside_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="source_count",
            field=models.PositiveIntegerField(
                default=0, help_text="Distinct outlets of its visible articles (stories.coverage keeps it)"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="story",
            index=models.Index(
                condition=models.Q(("merged_into__isnull", True), ("source_count__gte", 2)),
                fields=["last_published_at", "source_count", "id"],
                name="story_top_recent",
            ),
        ),
    ]
