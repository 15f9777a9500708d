"""Data: a source named by a web address (an OPML import of an untitled feed) gets its host as name and a new slug.

That address may be the feed's, with a private token, and name and slug are shown to everyone. The feed's
title replaces the host name at the next successful fetch; the old /source/<slug>/ address stops working.
"""

import logging
from urllib.parse import urlsplit

from django.db import migrations

logger = logging.getLogger(__name__)


def host_name(url: str) -> str:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    return host.removeprefix("www.")[:200] or "source"


def rename_sources_named_by_address(apps, schema_editor):
    from tidings.lib.slugs import unique_slug

    using = schema_editor.connection.alias if schema_editor is not None else "default"
    Source = apps.get_model("sources", "Source")
    manager = Source._base_manager.db_manager(using)
    renamed = 0
    for source in manager.filter(name__contains="://").only("pk", "name", "url", "slug"):
        name = host_name(source.url)
        manager.filter(pk=source.pk).update(name=name, slug=unique_slug(Source, name))
        renamed += 1
    if renamed:
        logger.warning("sources_named_by_address_renamed count=%d", renamed)


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0006_blank_unsafe_urls"),
    ]

    operations = [
        migrations.RunPython(rename_sources_named_by_address, migrations.RunPython.noop, elidable=True),
    ]
