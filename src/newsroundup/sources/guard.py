"""The SSRF guard: which addresses a URL may be fetched from (no loopback, private or metadata)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from newsroundup.errors import SourceError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata endpoints that are not caught by "not globally routable" alone.
_METADATA = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"),
     ipaddress.ip_address("100.100.100.200")}
)


# IPv6 ranges that carry an IPv4 address in their last 32 bits and reach it: IPv4-mapped and
# IPv4-translated (SIIT), NAT64 well-known prefix, IPv4-compatible (deprecated).
_EMBEDS_LAST_32 = tuple(
    ipaddress.ip_network(n) for n in ("::ffff:0:0/96", "::ffff:0:0:0/96", "64:ff9b::/96", "::/96")
)
# Never public: NAT64 local-use prefix (RFC 8215) and deprecated site-local addresses (RFC 3879).
_NEVER_PUBLIC = tuple(ipaddress.ip_network(n) for n in ("64:ff9b:1::/48", "fec0::/10"))


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address leads to (mapped, translated, NAT64, IPv4-compatible, 6to4)."""
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in net for net in _EMBEDS_LAST_32):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: IPAddress) -> bool:
    """True for globally routable unicast addresses; an IPv6 address that embeds an IPv4 one is judged as it."""
    if isinstance(address, ipaddress.IPv6Address):
        if any(address in net for net in _NEVER_PUBLIC):
            return False
        inner = embedded_ipv4(address)
        if inner is not None:
            return is_public_address(inner)
    return address.is_global and not address.is_multicast and address not in _METADATA


def resolve(url: str, allow_private: bool) -> list[IPAddress]:
    """The addresses ``url``'s host resolves to; raise ``SourceError`` when any is not public.

    Every address must be public: a host that resolves to one public and one private address
    is refused, since the connection could go to either.
    """
    parts = urlsplit(url)
    host = parts.hostname
    if parts.scheme not in ("http", "https") or not host:
        raise SourceError(f"{url}: only http and https URLs can be fetched", "bad-url")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise SourceError(f"{url}: invalid port", "bad-url") from exc
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise SourceError(f"{url}: host {host!r} cannot be resolved", "dns") from exc
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not allow_private:
        blocked = [a for a in addresses if not is_public_address(a)]
        if blocked:
            raise SourceError(
                f"{url}: refused, {host} resolves to non-public address {blocked[0]} "
                "(use --allow-private to fetch from local or private networks)",
                "blocked-private",
            )
    return addresses
