"""The SSRF guard judges IPv6 addresses that embed an IPv4 address by that IPv4 address."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsroundup.sources.guard import embedded_ipv4, is_public_address


@pytest.mark.parametrize(
    "address",
    ["64:ff9b::7f00:1", "::ffff:0:7f00:1", "2002:a9fe:a9fe::1", "fec0::1", "::ffff:127.0.0.1", "::127.0.0.1",
     "::1", "64:ff9b:1::1", "169.254.169.254", "10.1.2.3"],
)
def test_private_and_loopback_in_any_disguise_are_refused(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2606:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_every_embedding_is_judged_as_its_ipv4_address(value: int) -> None:
    v4 = ipaddress.IPv4Address(value)
    embeddings = [
        ipaddress.IPv6Address((0xFFFF << 32) | value),  # ::ffff:a.b.c.d
        ipaddress.IPv6Address((0xFFFF << 48) | value),  # ::ffff:0:a.b.c.d
        ipaddress.IPv6Address((0x64FF9B << 96) | value),  # 64:ff9b::a.b.c.d
        ipaddress.IPv6Address((0x2002 << 112) | (value << 80) | 1),  # 2002:abcd:efgh::1
    ]
    for address in embeddings:
        assert embedded_ipv4(address) == v4
        assert is_public_address(address) == is_public_address(v4)
