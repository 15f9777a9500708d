"""Fill taxonomy_topictrendcount for the articles already stored (taxonomy.trend_counts.recount_all as it stood,
frozen here: visible articles per topic per UTC hour, counting links with mentions or not set by the model, then
the days summed from the hours)."""

from datetime import UTC

from django.db import migrations
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDay, TruncHour


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    article = apps.get_model("articles", "Article")
    link = apps.get_model("taxonomy", "ArticleTopic")
    count = apps.get_model("taxonomy", "TopicTrendCount")
    visible = article.objects.filter(duplicate_of__isnull=True)
    hours = (
        link.objects.filter(Q(mentions__gt=0) | ~Q(origin="model"), article_id__in=visible.values("pk"))
        .annotate(bucket=TruncHour("article__published_at", tzinfo=UTC))
        .values("bucket", "topic_id")
        .annotate(n=Count("article_id", distinct=True))
        .order_by()
    )
    days = (
        count.objects.filter(span=1)
        .annotate(bucket=TruncDay("start", tzinfo=UTC))
        .values("bucket", "topic_id")
        .annotate(s=Sum("n"))
        .order_by()
    )
    table = count._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        for span, query, n in ((1, hours, "n"), (24, days, "s")):
            sql, params = query.query.sql_with_params()
            cursor.execute(
                f"INSERT INTO {table} (span, start, topic_id, n) "  # noqa: S608 (constant SQL, no input)
                f"SELECT %s, q.bucket, q.topic_id, q.{n} FROM ({sql}) q",
                (span, *params),
            )


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0006_topic_trend_count"), ("articles", "0001_initial")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
