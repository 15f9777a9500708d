"""Data: blank source site links (and feed addresses) that are not absolute http(s) URLs."""

from django.db import migrations


def blank_unsafe_links(apps, schema_editor):
    from tidings.lib.stored_urls import blank_unsafe_urls

    using = schema_editor.connection.alias if schema_editor is not None else "default"
    blank_unsafe_urls(apps.get_model("sources", "Source"), ["site_url", "url"], using=using)


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0005_source_added_by"),
    ]

    operations = [
        migrations.RunPython(blank_unsafe_links, migrations.RunPython.noop, elidable=True),
    ]
