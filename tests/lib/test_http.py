"""The guarded HTTP client against a real local server."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import ipaddress
import time

import pytest

from tests.lib import unused_port
from tidings.lib import http, http_async
from tidings.lib.errors import FetchError, FetchRefused, ResponseTooLarge
from tidings.lib.http import HttpStatusError, format_size, is_address_allowed


def async_get(url: str, *, etag: str = "", last_modified: str = "", **limits: object) -> http.HttpResponse:
    async def run() -> http.HttpResponse:
        options = {"allow_networks": ("127.0.0.0/8",), "timeout_s": 5.0, **limits}
        async with http_async.AsyncFetcher(http_async.FetchLimits(**options)) as fetcher:  # type: ignore[arg-type]
            return await fetcher.get(url, etag=etag, last_modified=last_modified)

    return asyncio.run(run())


def test_get_returns_body_status_and_content_type(server):
    url = server.add("/feed.xml", b"<rss/>", content_type="application/rss+xml")
    response = async_get(url)
    assert (response.status_code, response.content, response.content_type) == (200, b"<rss/>", "application/rss+xml")


def test_user_agent_comes_from_the_limits(server):
    async_get(server.add("/", b"hi"), user_agent="TidingsTest/1.0")
    assert server.requests[-1]["user-agent"] == "TidingsTest/1.0"


def test_redirect_is_followed_and_final_url_reported(server):
    target = server.add("/new.xml", b"<rss/>")
    start = server.add("/old.xml", status=301, headers={"Location": "/new.xml"})
    response = async_get(start)
    assert response.url == target
    assert response.content == b"<rss/>"


def test_more_than_five_redirects_fail(server):
    for hop in range(7):
        server.add(f"/r{hop}", status=302, headers={"Location": f"/r{hop + 1}"})
    with pytest.raises(FetchError, match="redirected more than 5 times"):
        async_get(server.url("/r0"))


def test_etag_makes_the_request_conditional(server):
    url = server.add("/feed.xml", b"<rss/>", etag='"v1"')
    first = async_get(url)
    second = async_get(url, etag=first.headers["etag"])
    assert second.status_code == 304
    assert server.requests[-1]["if-none-match"] == '"v1"'


def test_last_modified_is_sent_as_if_modified_since(server):
    url = server.add("/feed.xml", b"<rss/>")
    async_get(url, last_modified="Wed, 11 Mar 2026 10:00:00 GMT")
    assert server.requests[-1]["if-modified-since"] == "Wed, 11 Mar 2026 10:00:00 GMT"


def test_404_is_a_permanent_error_in_plain_words(server):
    with pytest.raises(HttpStatusError, match=r"^the server answered 404 Not Found$") as caught:
        async_get(server.url("/missing"))
    assert caught.value.permanent and caught.value.status_code == 404


def test_500_is_a_temporary_error(server):
    url = server.add("/broken", b"oops", status=500)
    with pytest.raises(HttpStatusError, match="the server answered 500 Internal Server Error") as caught:
        async_get(url)
    assert not caught.value.permanent


def test_connection_refused_is_said_plainly():
    with pytest.raises(FetchError, match=r"^could not connect to 127\.0\.0\.1 \(connection refused\)$"):
        async_get(f"http://127.0.0.1:{unused_port()}/feed.xml")


def test_unresolvable_host_is_said_plainly():
    with pytest.raises(FetchError, match=r"could not resolve the host name news\.invalid \(no internet\?\)"):
        async_get("http://news.invalid/feed.xml")


def test_limits_come_from_settings(settings):
    settings.FETCH_TIMEOUT_SECONDS = 7
    settings.FETCH_MAX_BYTES = 2048
    settings.FETCH_USER_AGENT = "TidingsTest/1.0"
    settings.FETCH_ALLOW_NETWORKS = ["10.0.0.0/8"]
    limits = http_async.limits_from_settings()
    assert (limits.timeout_s, limits.max_bytes, limits.user_agent, limits.allow_networks) == (
        7.0,
        2048,
        "TidingsTest/1.0",
        ("10.0.0.0/8",),
    )


def test_body_over_the_cap_is_refused(server):
    url = server.add("/big", b"x" * 5000)
    with pytest.raises(ResponseTooLarge, match=r"^the server sent more than 2 KB; the limit is 2 KB$"):
        async_get(url, max_bytes=2048)


def test_body_over_the_cap_without_content_length_is_refused(server):
    url = server.add("/big", b"x" * 50_000, chunked=True)
    with pytest.raises(ResponseTooLarge, match="more than 1000 bytes"):
        async_get(url, max_bytes=1000)


def test_loopback_is_refused_unless_allowed(server):
    with pytest.raises(FetchRefused, match="private or reserved address"):
        async_get(server.add("/feed.xml", b"<rss/>"), allow_networks=())
    assert server.hits["/feed.xml"] == 0


def test_host_name_resolving_to_loopback_is_refused(server):
    with pytest.raises(FetchRefused, match=r"^localhost points to a private or reserved address \(.+\); refusing"):
        async_get(f"http://localhost:{server.port}/feed.xml", allow_networks=())
    assert server.hits["/feed.xml"] == 0


@pytest.mark.parametrize("target", ["169.254.169.254", "100.100.100.200", "[2002:a9fe:a9fe::1]", "[::ffff:10.0.0.1]"])
def test_redirect_to_a_private_address_is_refused(server, target):
    url = server.add("/feed.xml", status=302, headers={"Location": f"http://{target}/latest/meta-data/"})
    with pytest.raises(FetchRefused, match=r"private or reserved address"):
        async_get(url, allow_networks=("127.0.0.1/32",))


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "file:///etc/passwd", "gopher://example.org/"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(FetchRefused, match="only http and https"):
        async_get(url)


def test_redirect_to_another_scheme_is_refused(server):
    url = server.add("/feed.xml", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchRefused, match="only http and https"):
        async_get(url)


PUBLIC_ADDRESSES = [
    "93.184.215.14",
    "8.8.8.8",
    "1.1.1.1",
    "100.63.255.255",  # just below carrier-grade NAT
    "100.128.0.1",  # just above it
    "198.20.0.1",  # just above the benchmarking network
    "2606:4700::1111",
    "2a00:1450:4001::200e",
    "::ffff:8.8.8.8",  # IPv4-mapped public address
    "2002:0808:0808::1",  # 6to4 wrapping 8.8.8.8
    "64:ff9b::808:808",  # NAT64 of 8.8.8.8
]
NOT_GLOBAL_ADDRESSES = [
    "0.0.0.0",
    "0.1.2.3",
    "10.1.2.3",
    "100.64.0.1",  # carrier-grade NAT / tailnets
    "100.100.100.200",  # Alibaba Cloud metadata
    "100.127.255.254",
    "127.0.0.1",
    "169.254.169.254",  # cloud metadata
    "172.16.5.4",
    "192.0.0.1",  # IETF protocol assignments
    "192.0.2.10",  # documentation
    "192.88.99.1",  # 6to4 relay anycast
    "192.168.0.10",
    "198.18.0.1",  # benchmarking
    "198.19.255.254",
    "198.51.100.7",
    "203.0.113.9",
    "224.0.0.1",  # multicast
    "233.252.0.1",  # multicast that Python calls global
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "::",
    "::1",
    "fc00::1",  # unique local
    "fd12:3456::1",
    "fe80::1",  # link-local
    "fe80::1%eth0",
    "fec0::1",  # site-local (deprecated)
    "ff02::1",  # multicast
    "ff0e::1",
    "2001:db8::1",  # documentation
    "3fff::1",
    "100::1",  # discard
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "::ffff:100.100.100.200",
    "::a00:1",  # IPv4-compatible 10.0.0.1
    "::ffff:0:a00:1",  # IPv4-translated 10.0.0.1
    "2002:c0a8::1",  # 6to4 wrapping 192.168.0.0
    "2002:7f00:1::1",  # 6to4 wrapping 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 wrapping 169.254.169.254
    "2002:6464:64c8::1",  # 6to4 wrapping 100.100.100.200
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    "2001:0:a00:1::f5ff:fffe",  # Teredo, server 10.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b:1::808:808",  # local-use NAT64
]


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_globally_routable_addresses_are_allowed(address):
    assert is_address_allowed(address, [])


@pytest.mark.parametrize("address", NOT_GLOBAL_ADDRESSES)
def test_addresses_that_are_not_globally_routable_are_refused(address):
    assert not is_address_allowed(address, [])


@pytest.mark.parametrize("address", ["2001:0:a00:1::f5ff:fffe", "2001:0:808:808::f5ff:fffe"])
def test_teredo_is_refused_whatever_it_wraps(address):
    assert not is_address_allowed(address, [])


def test_teredo_client_address_is_unwrapped():
    server, client = http.embedded_ipv4(ipaddress.ip_address("2001:0:808:808::f5ff:fffe"))
    assert (str(server), str(client)) == ("8.8.8.8", "10.0.0.1")


@pytest.mark.parametrize(
    ("address", "networks"),
    [("127.0.0.1", ["127.0.0.0/8"]), ("::ffff:127.0.0.1", ["127.0.0.0/8"]), ("100.64.3.4", ["100.64.0.0/10"])],
)
def test_allow_networks_let_listed_addresses_through(address, networks):
    assert is_address_allowed(address, networks)


def test_allow_networks_do_not_let_other_addresses_through():
    assert not is_address_allowed("2002:c0a8::1", ["127.0.0.0/8"])
    assert not is_address_allowed("100.100.100.200", ["127.0.0.0/8"])


@pytest.mark.parametrize("target", ["100.64.0.1", "[2002:c0a8::1]", "[64:ff9b::a00:1]", "[::ffff:10.0.0.1]"])
def test_async_fetch_of_a_wrapped_or_shared_address_is_refused_before_connecting(target):
    with pytest.raises(FetchRefused, match="private or reserved address; refusing to fetch it"):
        async_get(f"http://{target}/feed.xml", allow_networks=("127.0.0.0/8",))


def test_there_is_no_synchronous_client_that_resolves_twice():
    assert not hasattr(http, "get")


def test_allow_networks_let_private_addresses_through():
    assert is_address_allowed("10.1.2.3", ["10.0.0.0/8"])


def test_a_malformed_allow_network_is_ignored_not_fatal():
    assert not is_address_allowed("10.1.2.3", ["ten-dot-something", "192.168.0.0/16"])


@pytest.mark.parametrize(("size", "text"), [(10 * 1024 * 1024, "10 MB"), (1536, "1.5 KB"), (900, "900 bytes")])
def test_sizes_are_written_for_people(size, text):
    assert format_size(size) == text


# --- The async fetcher -----------------------------------------------------------------------------


def test_async_permanent_redirect_reports_the_new_url(server):
    target = server.add("/v2.xml", b"<rss/>")
    response = async_get(server.add("/old.xml", status=308, headers={"Location": "/v2.xml"}))
    assert (response.url, response.permanent_url) == (target, target)


def test_async_temporary_redirect_on_the_way_keeps_the_old_url(server):
    server.add("/v2.xml", b"<rss/>")
    server.add("/mirror.xml", status=301, headers={"Location": "/v2.xml"})
    response = async_get(server.add("/old.xml", status=302, headers={"Location": "/mirror.xml"}))
    assert response.permanent_url == ""


def test_async_redirect_loop_is_named(server):
    server.add("/a", status=302, headers={"Location": "/b"})
    server.add("/b", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchError, match=r"^the server redirects in a loop$"):
        async_get(server.url("/a"))


def test_async_redirect_to_a_private_address_is_refused(server):
    start = server.add("/feed", status=301, headers={"Location": "http://169.254.169.254/latest/meta-data"})
    with pytest.raises(FetchRefused, match=r"169\.254\.169\.254 is a private or reserved address"):
        async_get(start, allow_networks=("127.0.0.1/32",))


def test_async_total_deadline_cuts_a_slow_server(server):
    url = server.add("/slow", b"<rss/>", delay=3.0)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"too slow|timed out"):
        async_get(url, timeout_s=0.5)
    assert time.monotonic() - started < 2


def test_async_error_status_carries_the_headers(server):
    url = server.add("/busy", b"", status=503, headers={"Retry-After": "120"})
    with pytest.raises(HttpStatusError) as caught:
        async_get(url)
    assert caught.value.headers["retry-after"] == "120"


def test_bounded_decoder_inflates_gzip():
    decoder = http_async.BoundedDecoder("gzip", 1000)
    decoder.feed(gzip.compress(b"x" * 900))
    assert decoder.finish() == b"x" * 900


def test_bounded_decoder_stops_a_gzip_bomb_early():
    decoder = http_async.BoundedDecoder("gzip", 1024 * 1024)
    with pytest.raises(ResponseTooLarge, match="inflates to more than 1 MB when decompressed; the limit is 1 MB"):
        decoder.feed(gzip.compress(b" " * (50 * 1024 * 1024)))


def test_bounded_decoder_refuses_an_unrequested_encoding():
    with pytest.raises(FetchError, match="compression we did not ask for"):
        http_async.BoundedDecoder("br", 1000)


def test_host_key_can_include_path_segments_for_simulated_hosts():
    assert http_async.host_key("http://127.0.0.1:8765/h/kestrel/latest/rss.xml") == "127.0.0.1:8765"
    assert http_async.host_key("http://127.0.0.1:8765/h/kestrel/latest/rss.xml", 2) == "127.0.0.1:8765/h/kestrel"


def test_async_429_lowers_the_hosts_concurrency(server):
    server.add("/busy", b"", status=429)
    slow = server.add("/slow", b"<rss/>", delay=0.5)

    async def run() -> float:
        limits = http_async.FetchLimits(allow_networks=("127.0.0.0/8",), timeout_s=5.0, per_host=2)
        async with http_async.AsyncFetcher(limits) as fetcher:
            with pytest.raises(HttpStatusError):
                await fetcher.get(server.url("/busy"))
            started = time.monotonic()
            await asyncio.gather(fetcher.get(slow), fetcher.get(slow))
            return time.monotonic() - started

    assert asyncio.run(run()) >= 1.0  # one slot left: the two requests ran one after the other


# --- The aiohttp transport underneath keeps the guarantees ----------------------------------------------


def test_async_gzip_body_is_inflated_by_our_decoder(server):
    url = server.add("/gz.xml", gzip.compress(b"<rss/>" * 100), headers={"Content-Encoding": "gzip"})
    assert async_get(url).content == b"<rss/>" * 100


def test_async_gzip_bomb_stops_at_the_decompressed_cap(server):
    bomb = gzip.compress(b" " * (8 * 1024 * 1024))  # ~8 KB on the wire, 8 MB inflated
    url = server.add("/bomb.xml", bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(ResponseTooLarge, match="inflates to more than 1 MB when decompressed; the limit is 1 MB"):
        async_get(url, max_decompressed_bytes=1024 * 1024)


def test_async_wire_size_cap_refuses_a_large_body(server):
    url = server.add("/big.xml", b"x" * 5000, chunked=True)  # no Content-Length: counted while streaming
    with pytest.raises(ResponseTooLarge, match=r"^the server sent more than 2 KB; the limit is 2 KB$"):
        async_get(url, max_bytes=2048)


def test_async_connection_refused_is_named():
    with pytest.raises(FetchError, match=r"^could not connect to 127\.0\.0\.1 \(connection refused\)$"):
        async_get(f"http://127.0.0.1:{unused_port()}/feed.xml")


def test_async_fetcher_ignores_a_proxy_from_the_environment(server, monkeypatch):
    dead_proxy = f"http://127.0.0.1:{unused_port()}"
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, dead_proxy)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert async_get(server.add("/feed.xml", b"<rss/>")).content == b"<rss/>"


def test_async_fetcher_reuses_one_connection_for_sequential_requests():
    async def run() -> int:
        accepted = 0

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            nonlocal accepted
            accepted += 1
            with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
                while await reader.readuntil(b"\r\n\r\n"):  # HTTP/1.1 keep-alive: answer every request
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 6\r\n\r\n<rss/>"
                    )
                    await writer.drain()
            writer.close()

        listener = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        limits = http_async.FetchLimits(allow_networks=("127.0.0.0/8",), timeout_s=5.0)
        async with listener, http_async.AsyncFetcher(limits) as fetcher:
            for n in range(5):
                await fetcher.get(f"http://127.0.0.1:{port}/feed{n}.xml")
        return accepted

    assert asyncio.run(run()) == 1


def test_guarded_resolver_answers_only_checked_names():
    resolver = http_async._GuardedResolver({("news.example.org", 80): ["93.184.216.34"]})
    answer = asyncio.run(resolver.resolve("news.example.org", 80))
    assert [(a["host"], a["port"]) for a in answer] == [("93.184.216.34", 80)]


def test_guarded_resolver_refuses_a_name_the_guard_did_not_check():
    resolver = http_async._GuardedResolver({("news.example.org", 80): ["93.184.216.34"]})
    with pytest.raises(OSError, match="not checked by the address guard"):
        asyncio.run(resolver.resolve("rebound.example.org", 80))


def test_async_fetch_by_host_name_connects_to_the_checked_address(server):
    url = server.add("/feed.xml", b"<rss/>").replace("127.0.0.1", "localhost")
    assert async_get(url, allow_networks=("127.0.0.0/8", "::1/128")).content == b"<rss/>"


def test_async_connection_cut_mid_body_is_named():
    async def run() -> None:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n<rss><channel>")
            await writer.drain()
            writer.transport.abort()  # reset: 986 bytes never come

        listener = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        limits = http_async.FetchLimits(allow_networks=("127.0.0.0/8",), timeout_s=5.0)
        async with listener, http_async.AsyncFetcher(limits) as fetcher:
            await fetcher.get(f"http://127.0.0.1:{port}/feed.xml")

    with pytest.raises(FetchError, match=r"^the connection to 127\.0\.0\.1 broke off before the whole answer arrived"):
        asyncio.run(run())
