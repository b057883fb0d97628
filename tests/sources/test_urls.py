"""URL canonicalisation and the SSRF guard's address rules."""

from __future__ import annotations

import ipaddress

import pytest

from newsroundup.errors import SourceError
from newsroundup.sources.guard import is_public_address, resolve
from newsroundup.sources.identity import content_id, fingerprint, trusted_canonical
from newsroundup.sources.urls import canonical_url, host_of, is_web_url


def test_canonical_url_strips_tracking_fragment_and_default_port() -> None:
    url = "HTTPS://News.Example:443/world/story?id=7&utm_source=x&fbclid=abc&page=2#comments"
    assert canonical_url(url) == "https://news.example/world/story?id=7&page=2"
    assert canonical_url("/a/b?gclid=1", base="http://x.example:8080/feed") == "http://x.example:8080/a/b"
    assert canonical_url("https://x.example") == "https://x.example/"


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.100.100.200",
     "::1", "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1", "0.0.0.0", "100.64.0.1", "224.0.0.1"],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(SourceError) as caught:
        resolve(f"http://{host}/latest/meta-data", allow_private=False)
    assert caught.value.kind == "blocked-private" and "--allow-private" in str(caught.value)


def test_public_addresses_and_allow_private_pass() -> None:
    assert resolve("http://93.184.215.14/", allow_private=False) == [ipaddress.ip_address("93.184.215.14")]
    assert resolve("http://127.0.0.1:8080/", allow_private=True) == [ipaddress.ip_address("127.0.0.1")]


def test_only_http_urls_are_fetched() -> None:
    with pytest.raises(SourceError, match="only http and https"):
        resolve("file:///etc/passwd", allow_private=True)


def test_identity_ignores_spacing_and_case_and_trusts_same_site_canonicals() -> None:
    assert fingerprint("The  Bridge\ncloses.") == fingerprint("the bridge closes")
    assert content_id("abc").startswith("text-")
    assert trusted_canonical("https://amp.courier.example/x", "https://www.courier.example/x")
    assert not trusted_canonical("https://courier.example/x", "https://rival.example/x")
    assert trusted_canonical("https://amp.courier.co.uk/x", "https://www.courier.co.uk/x")
    assert not trusted_canonical("https://courier.co.uk/x", "https://rival.co.uk/x")


@pytest.mark.parametrize("url", ["http://[::1/", "https://[not-an-address]/x", "http://x]/["])
def test_a_url_python_cannot_split_is_no_web_url_not_a_crash(url: str) -> None:
    assert not is_web_url(url)
    assert canonical_url(url) == url and canonical_url("/a", base=url) == "/a"
    assert host_of(url) == ""
