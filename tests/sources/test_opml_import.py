"""Importing and exporting OPML through the service and the import_opml / export_opml commands."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import httpx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.sources.factories import SourceFactory
from tidings.lib.errors import ParseError
from tidings.sources.models import Source
from tidings.sources.opml import OpmlFeed, parse_opml
from tidings.sources.opml_import import export_opml, import_opml
from tools.feedfarm import running_farm

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
SUBSCRIPTIONS = DATA / "subscriptions.opml"


def opml(body: str) -> bytes:
    return f'<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>{body}</body></opml>'.encode()


@pytest.fixture
def report():
    return import_opml(SUBSCRIPTIONS.read_bytes())


def test_good_entries_are_added_and_bad_ones_reported(report):
    assert (len(report.added), len(report.already_present), len(report.errors)) == (5, 0, 4)
    assert Source.objects.count() == 5


def test_summary_counts_each_outcome(report):
    assert report.summary() == "5 added, 0 already present, 4 not imported"


def test_imported_source_is_filed_in_its_folder(report):
    assert Source.objects.get(url="https://courier.example.org/feed.xml").folder == "News/World"


def test_imported_source_is_named_after_its_outline(report):
    assert Source.objects.get(url="https://bulletin.example.org/atom").name == "Northern Bulletin"


def test_web_page_address_becomes_the_site_address(report):
    assert Source.objects.get(url="https://courier.example.org/feed.xml").site_url == "https://courier.example.org/"


def test_imported_sources_wait_for_their_first_fetch(report):
    assert set(Source.objects.values_list("kind", flat=True)) == {"unknown"}


def test_report_lists_folders_of_the_file(report):
    assert report.folders == ("News", "News/World", "Science & Tech", "Empty folder")


def test_feed_that_is_already_a_source_is_counted_not_duplicated():
    existing = SourceFactory(url="https://courier.example.org/feed.xml", name="My courier")
    report = import_opml(SUBSCRIPTIONS.read_bytes())
    assert [(s.source_id, s.name) for s in report.already_present] == [(existing.pk, "My courier")]
    assert Source.objects.filter(url__icontains="courier.example.org").count() == 1


def test_existing_source_with_a_different_spelling_of_the_address_is_found():
    SourceFactory(url="https://courier.example.org/feed.xml?utm_source=newsletter")
    report = import_opml(SUBSCRIPTIONS.read_bytes())
    assert "https://courier.example.org/feed.xml" not in [s.url for s in report.added]


def test_importing_the_same_file_twice_adds_nothing_the_second_time(report):
    again = import_opml(SUBSCRIPTIONS.read_bytes())
    assert (len(again.added), len(again.already_present)) == (0, 5)
    assert Source.objects.count() == 5


def test_reimport_files_a_source_that_had_no_folder():
    SourceFactory(url="https://courier.example.org/feed.xml", folder="")
    import_opml(SUBSCRIPTIONS.read_bytes())
    assert Source.objects.get(url="https://courier.example.org/feed.xml").folder == "News/World"


def test_reimport_never_moves_a_source_already_filed():
    SourceFactory(url="https://courier.example.org/feed.xml", folder="Favourites")
    import_opml(SUBSCRIPTIONS.read_bytes())
    assert Source.objects.get(url="https://courier.example.org/feed.xml").folder == "Favourites"


def test_entry_refused_by_add_source_is_reported_and_the_rest_imported():
    body = (
        '<outline type="rss" text="Intranet" xmlUrl="https://intranet/feed"/>'
        '<outline type="rss" text="Fine" xmlUrl="https://fine.example.org/feed"/>'
    )
    report = import_opml(opml(body))
    [error] = report.errors
    assert (error.title, error.url) == ("Intranet", "https://intranet/feed")
    assert "is not a web address" in error.reason
    assert [s.url for s in report.added] == ["https://fine.example.org/feed"]


def test_progress_is_reported_after_every_feed():
    seen = []
    import_opml(SUBSCRIPTIONS.read_bytes(), on_progress=lambda p: seen.append((p.done, p.total)))
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_progress_counts_added_and_already_present_feeds():
    SourceFactory(url="https://bulletin.example.org/atom")
    seen = []
    import_opml(SUBSCRIPTIONS.read_bytes(), on_progress=seen.append)
    assert (seen[-1].added, seen[-1].already_present) == (4, 1)


def test_unreadable_file_raises_and_stores_nothing():
    with pytest.raises(ParseError, match="not a readable OPML file"):
        import_opml((DATA / "malformed.opml").read_bytes())
    assert not Source.objects.exists()


def test_long_folder_path_is_cut_to_the_field_size():
    body = f'<outline text="{"x" * 150}"><outline text="{"y" * 150}">'
    body += '<outline type="rss" text="Deep" xmlUrl="https://deep.example.org/rss"/></outline></outline>'
    import_opml(opml(body))
    assert len(Source.objects.get().folder) == 200


def test_export_groups_sources_by_folder():
    SourceFactory(name="Zed", url="https://zed.example.org/rss", folder="News")
    SourceFactory(name="Alpha", url="https://alpha.example.org/rss", folder="")
    SourceFactory(name="Beta", url="https://beta.example.org/rss", folder="News/World")
    document = parse_opml(export_opml())
    assert [(feed.title, feed.folder) for feed in document.feeds] == [
        ("Alpha", ""),
        ("Zed", "News"),
        ("Beta", "News/World"),
    ]


def test_export_leaves_out_sources_without_an_address():
    SourceFactory(name="Imported text", url="")
    assert parse_opml(export_opml()).feeds == ()


def test_export_then_import_restores_every_feed_and_folder(report):
    exported = export_opml()
    Source.objects.all().delete()
    again = import_opml(exported)
    assert sorted((s.url, s.folder) for s in again.added) == sorted((s.url, s.folder) for s in report.added)


def test_export_carries_the_site_address():
    SourceFactory(name="Site", url="https://site.example.org/rss", site_url="https://site.example.org/")
    assert parse_opml(export_opml()).feeds == (
        OpmlFeed("https://site.example.org/rss", "Site", "https://site.example.org/", ""),
    )


def test_import_command_prints_the_summary_and_each_bad_entry():
    out = StringIO()
    call_command("import_opml", str(SUBSCRIPTIONS), "--no-progress", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Imported “Morning reading & more”: 5 added, 0 already present, 4 not imported."
    assert "  line 17: “Script feed” has a feed address that is not http or https" in "\n".join(lines)
    assert sum(line.startswith("  line ") for line in lines) == 4


def test_import_command_names_the_folders():
    out = StringIO()
    call_command("import_opml", str(SUBSCRIPTIONS), "--no-progress", stdout=out)
    assert "Folders: News, News/World, Science & Tech, Empty folder" in out.getvalue()


def test_import_command_shows_the_tolerant_parser_warning():
    out = StringIO()
    call_command("import_opml", str(DATA / "unclosed.opml"), "--no-progress", stdout=out)
    assert "Warning: the file is not well-formed XML" in out.getvalue()


def test_import_command_exits_1_for_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"cannot read .*missing\.opml: No such file or directory") as raised:
        call_command("import_opml", str(tmp_path / "missing.opml"), "--no-progress")
    assert raised.value.returncode == 1


def test_import_command_exits_1_for_an_unreadable_file():
    with pytest.raises(CommandError, match=r"cannot import .*malformed\.opml: this is not a readable OPML") as raised:
        call_command("import_opml", str(DATA / "malformed.opml"), "--no-progress")
    assert raised.value.returncode == 1


def test_import_command_with_only_bad_entries_still_succeeds(tmp_path):
    target = tmp_path / "bad.opml"
    target.write_bytes(opml('<outline type="rss" text="Nope" xmlUrl="javascript:void(0)"/>'))
    out = StringIO()
    call_command("import_opml", str(target), "--no-progress", stdout=out)
    assert out.getvalue().startswith("Imported “t”: 0 added, 0 already present, 1 not imported.")


def test_export_command_writes_standard_output():
    SourceFactory(name="Out", url="https://out.example.org/rss")
    out = StringIO()
    call_command("export_opml", stdout=out)
    assert parse_opml(out.getvalue().encode()).feeds[0].xml_url == "https://out.example.org/rss"


def test_export_command_writes_a_file(tmp_path):
    SourceFactory(name="File", url="https://file.example.org/rss", folder="Saved")
    target = tmp_path / "sources.opml"
    call_command("export_opml", "-o", str(target), stderr=StringIO())
    assert parse_opml(target.read_bytes()).feeds[0].folder == "Saved"


def test_export_command_reports_an_unwritable_target(tmp_path):
    with pytest.raises(CommandError, match="cannot write") as raised:
        call_command("export_opml", "-o", str(tmp_path / "no" / "such" / "dir.opml"))
    assert raised.value.returncode == 1


def test_the_feed_farm_list_imports_every_feed_in_its_host_folder():
    with running_farm(feeds=10, seed=3) as farm:
        with httpx.Client(trust_env=False, timeout=30) as client:
            data = client.get(farm.opml_url).content
        feed_urls = set(farm.feed_urls)
    report = import_opml(data)
    assert ({s.url for s in report.added}, report.errors) == (feed_urls, ())
    assert len(report.folders) == 2
    assert set(Source.objects.values_list("folder", flat=True)) == set(report.folders)
