"""Data: blank article links that are not absolute http(s) URLs (stored before links were checked)."""

from django.db import migrations


def blank_unsafe_links(apps, schema_editor):
    from tidings.lib.stored_urls import blank_unsafe_urls

    using = schema_editor.connection.alias if schema_editor is not None else "default"
    blank_unsafe_urls(apps.get_model("articles", "Article"), ["url", "image_url"], using=using)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_fulltext"),
    ]

    operations = [
        migrations.RunPython(blank_unsafe_links, migrations.RunPython.noop, elidable=True),
    ]
