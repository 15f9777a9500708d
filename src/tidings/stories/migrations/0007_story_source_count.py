"""Story.source_count (stories.coverage): the column, filled from the stored articles, and the story_top_recent
index the home page's top stories are read from."""

from django.db import migrations, models
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """stories.coverage.recount_all as it stands (historical models: the migration must not import app code)."""
    Article = apps.get_model("articles", "Article")
    Story = apps.get_model("stories", "Story")
    sources = (
        Article.objects.using(schema_editor.connection.alias)
        .filter(story_link__story_id=OuterRef("pk"), duplicate_of__isnull=True)
        .order_by()
        .values("story_link__story_id")
        .annotate(n=Count("source_id", distinct=True))
        .values("n")[:1]
    )
    Story.objects.using(schema_editor.connection.alias).update(source_count=Coalesce(Subquery(sources), Value(0)))


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
