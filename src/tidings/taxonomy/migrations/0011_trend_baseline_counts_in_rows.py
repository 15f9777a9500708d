"""Trending's stored baselines keep their per-topic counts as rows (taxonomy.TrendBaselineCount) instead of one
JSON value: the counts already stored are copied into rows before the JSON column goes, and back when this is
undone (a stored baseline is a few thousand topics; only the last day's are kept)."""

import django.db.models.deletion
from django.db import migrations, models


def json_to_rows(apps, schema_editor):
    baselines = apps.get_model("taxonomy", "TrendBaseline")
    rows = apps.get_model("taxonomy", "TrendBaselineCount")
    for baseline in baselines.objects.using(schema_editor.connection.alias).order_by("pk"):
        rows.objects.using(schema_editor.connection.alias).bulk_create(
            [
                rows(baseline_id=baseline.pk, topic_id=int(pk), n=int(n))
                for pk, n in sorted(baseline.counts.items())
                if int(n) > 0
            ],
            batch_size=2000,
        )


def rows_to_json(apps, schema_editor):
    baselines = apps.get_model("taxonomy", "TrendBaseline")
    rows = apps.get_model("taxonomy", "TrendBaselineCount")
    alias = schema_editor.connection.alias
    for baseline in baselines.objects.using(alias).order_by("pk"):
        kept = rows.objects.using(alias).filter(baseline_id=baseline.pk).values_list("topic_id", "n")
        baseline.counts = {str(pk): n for pk, n in kept}
        baseline.save(update_fields=["counts"])


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0010_fill_article_count"),
    ]

    operations = [
        migrations.CreateModel(
            name="TrendBaselineCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("topic_id", models.IntegerField()),
                ("n", models.PositiveIntegerField()),
                (
                    "baseline",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="topic_counts",
                        to="taxonomy.trendbaseline",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("baseline", "topic_id"), name="trend_baseline_count_once")
                ],
                "indexes": [models.Index(fields=["baseline", "topic_id", "n"], name="trend_baseline_count_read")],
            },
        ),
        migrations.RunPython(json_to_rows, rows_to_json),
        migrations.RemoveField(
            model_name="trendbaseline",
            name="counts",
        ),
    ]
