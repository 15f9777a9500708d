from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="PeriodicLease",
            fields=[
                ("name", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("next_run_at", models.DateTimeField()),
                ("last_run_at", models.DateTimeField(blank=True, null=True)),
                (
                    "holder",
                    models.CharField(blank=True, help_text="host and process id of the last runner", max_length=200),
                ),
                ("task_id", models.CharField(blank=True, help_text="the task queued last time", max_length=64)),
            ],
        ),
    ]
