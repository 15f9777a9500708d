"""The guarded HTTP client against a real local server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.lib import FeedServer, unused_port
from tidings.lib import http
from tidings.lib.errors import FetchError, FetchRefused, ResponseTooLarge
from tidings.lib.http import HttpStatusError, format_size, is_address_allowed


@pytest.fixture
def server() -> Iterator[FeedServer]:
    running = FeedServer().start()
    yield running
    running.stop()
    http.reset()


def test_get_returns_body_status_and_content_type(server):
    url = server.add("/feed.xml", b"<rss/>", content_type="application/rss+xml")
    response = http.get(url)
    assert (response.status_code, response.content, response.content_type) == (200, b"<rss/>", "application/rss+xml")


def test_user_agent_comes_from_settings(server, settings):
    settings.FETCH_USER_AGENT = "TidingsTest/1.0"
    http.get(server.add("/", b"hi"))
    assert server.requests[-1]["user-agent"] == "TidingsTest/1.0"


def test_redirect_is_followed_and_final_url_reported(server):
    target = server.add("/new.xml", b"<rss/>")
    start = server.add("/old.xml", status=301, headers={"Location": "/new.xml"})
    response = http.get(start)
    assert response.url == target
    assert response.content == b"<rss/>"


def test_more_than_five_redirects_fail(server):
    for hop in range(7):
        server.add(f"/r{hop}", status=302, headers={"Location": f"/r{hop + 1}"})
    with pytest.raises(FetchError, match="redirected more than 5 times"):
        http.get(server.url("/r0"))


def test_etag_makes_the_request_conditional(server):
    url = server.add("/feed.xml", b"<rss/>", etag='"v1"')
    first = http.get(url)
    second = http.get(url, etag=first.headers["etag"])
    assert second.status_code == 304
    assert server.requests[-1]["if-none-match"] == '"v1"'


def test_last_modified_is_sent_as_if_modified_since(server):
    url = server.add("/feed.xml", b"<rss/>")
    http.get(url, last_modified="Wed, 11 Mar 2026 10:00:00 GMT")
    assert server.requests[-1]["if-modified-since"] == "Wed, 11 Mar 2026 10:00:00 GMT"


def test_404_is_a_permanent_error_in_plain_words(server):
    with pytest.raises(HttpStatusError, match=r"^the server answered 404 Not Found$") as caught:
        http.get(server.url("/missing"))
    assert caught.value.permanent and caught.value.status_code == 404


def test_500_is_a_temporary_error(server):
    url = server.add("/broken", b"oops", status=500)
    with pytest.raises(HttpStatusError, match="the server answered 500 Internal Server Error") as caught:
        http.get(url)
    assert not caught.value.permanent


def test_connection_refused_is_said_plainly():
    with pytest.raises(FetchError, match=r"^could not connect to 127\.0\.0\.1 \(connection refused\)$"):
        http.get(f"http://127.0.0.1:{unused_port()}/feed.xml")


def test_unresolvable_host_is_said_plainly():
    with pytest.raises(FetchError, match=r"could not resolve the host name news\.invalid \(no internet\?\)"):
        http.get("http://news.invalid/feed.xml")


def test_slow_server_times_out(server, settings):
    settings.FETCH_TIMEOUT_SECONDS = 1
    url = server.add("/slow", b"late", delay=1.5)
    with pytest.raises(FetchError, match=r"^timed out after 1 s$"):
        http.get(url)


def test_body_over_the_cap_is_refused(server, settings):
    settings.FETCH_MAX_BYTES = 2048
    url = server.add("/big", b"x" * 5000)
    with pytest.raises(ResponseTooLarge, match=r"^the server sent more than 2 KB; the limit is 2 KB$"):
        http.get(url)


def test_body_over_the_cap_without_content_length_is_refused(server, settings):
    settings.FETCH_MAX_BYTES = 1000
    url = server.add("/big", b"x" * 50_000, chunked=True)
    with pytest.raises(ResponseTooLarge, match="more than 1000 bytes"):
        http.get(url)


def test_loopback_is_refused_unless_allowed(server, settings):
    settings.FETCH_ALLOW_NETWORKS = []
    with pytest.raises(FetchRefused, match="private or reserved address"):
        http.get(server.add("/feed.xml", b"<rss/>"))
    assert server.hits["/feed.xml"] == 0


def test_host_name_resolving_to_loopback_is_refused(server, settings):
    settings.FETCH_ALLOW_NETWORKS = []
    with pytest.raises(FetchRefused, match=r"^localhost points to a private or reserved address \(.+\); refusing"):
        http.get(f"http://localhost:{server.port}/feed.xml")
    assert server.hits["/feed.xml"] == 0


def test_redirect_to_a_private_address_is_refused(server, settings):
    settings.FETCH_ALLOW_NETWORKS = ["127.0.0.1/32"]
    url = server.add("/feed.xml", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"})
    with pytest.raises(FetchRefused, match=r"^169\.254\.169\.254 is a private or reserved address; refusing"):
        http.get(url)


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "file:///etc/passwd", "gopher://example.org/"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchRefused, match="only http and https"):
        http.get(url)


def test_redirect_to_another_scheme_is_refused(server):
    url = server.add("/feed.xml", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchRefused, match="only http and https"):
        http.get(url)


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.215.14", True),
        ("2606:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("192.168.0.10", False),
        ("172.16.5.4", False),
        ("169.254.169.254", False),
        ("224.0.0.1", False),
        ("0.0.0.0", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
    ],
)
def test_only_public_addresses_are_allowed_by_default(address, allowed):
    assert is_address_allowed(address, []) is allowed


def test_allow_networks_let_private_addresses_through():
    assert is_address_allowed("10.1.2.3", ["10.0.0.0/8"])


def test_a_malformed_allow_network_is_ignored_not_fatal():
    assert not is_address_allowed("10.1.2.3", ["ten-dot-something", "192.168.0.0/16"])


@pytest.mark.parametrize(("size", "text"), [(10 * 1024 * 1024, "10 MB"), (1536, "1.5 KB"), (900, "900 bytes")])
def test_sizes_are_written_for_people(size, text):
    assert format_size(size) == text
