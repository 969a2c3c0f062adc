"""The fetch guard: a fetched URL may never reach the user's own network.

Every hop is checked before a connection is made: the scheme must be http(s) and every address the host
resolves to must be public. The guarded network backend repeats the check at connect time and connects to the
address it vetted, so a DNS answer that changes between the check and the connect (rebinding) cannot slip in.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from ...errors import SearchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud instance-metadata endpoints (AWS IPv4/IPv6, Alibaba): the classic SSRF targets.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
ALLOWED_SCHEMES = ("http", "https")


class UnsafeURLError(SearchError):
    """A URL the fetcher refuses: wrong scheme, no host, or a host that is not on the public internet."""


def resolve_host(host: str, port: int) -> list[str]:
    """Every address `host` resolves to. Tests replace this function so they never do real DNS."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURLError(f"cannot resolve {host!r}: {exc}") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address tunnels to (mapped, NAT64, 6to4, Teredo), if any."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    return None


def why_blocked(ip: IPAddress) -> str | None:
    """The reason an address is off limits, or None when it is a public unicast address."""
    if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded_ipv4(ip)) is not None:
        reason = why_blocked(inner)
        return f"{reason} (tunnelled in {ip})" if reason else None
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    for label, flag in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    ):
        if flag:
            return f"a {label} address"
    # Catches the rest that is not routable on the internet, e.g. shared address space 100.64.0.0/10.
    return None if ip.is_global else "a non-public address"


def vet_addresses(host: str, port: int) -> list[str]:
    """Resolve `host` and return its addresses, refusing if any of them is not public.

    One bad address is enough to refuse: a resolver may return several and the connection may use any.
    """
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        addresses = [str(literal)]
    except ValueError:
        addresses = resolve_host(host, port)
    if not addresses:
        raise UnsafeURLError(f"{host!r} resolves to no address")
    for address in addresses:
        reason = why_blocked(ipaddress.ip_address(address.split("%")[0]))
        if reason:
            shown = host if host == address else f"{host} ({address})"
            raise UnsafeURLError(f"refused {shown}: {reason}")
    return addresses


def check_url(url: str) -> list[str]:
    """Refuse a URL before connecting; returns the vetted addresses of its host."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURLError(f"refused {url!r}: malformed URL ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeURLError(f"refused {url!r}: scheme {scheme or '(none)'!r} is not http or https")
    if not parts.hostname:
        raise UnsafeURLError(f"refused {url!r}: no host")
    return vet_addresses(parts.hostname, port or (443 if scheme == "https" else 80))


class GuardedNetworkBackend(httpcore.NetworkBackend):
    """Connects only to vetted addresses: the connect-time half of the guard."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        # TLS still verifies the certificate for `host`: httpcore passes the origin's name as SNI.
        error: httpcore.ConnectError | None = None
        for address in vet_addresses(host, port):
            try:
                return self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:  # e.g. an IPv6 address on an IPv4-only network: try the next
                error = exc
        assert error is not None  # vet_addresses never returns an empty list
        raise error

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise UnsafeURLError("refused a unix-socket connection")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def guarded_transport() -> httpx.HTTPTransport:
    """An httpx transport whose connections go through `GuardedNetworkBackend`.

    httpx has no public hook for a network backend, so the transport's connection pool is rebuilt with one.
    Proxies from the environment are ignored on purpose: through a proxy the guard could not see the address.
    """
    transport = httpx.HTTPTransport(trust_env=False)
    transport._pool = httpcore.ConnectionPool(  # the one private attribute we touch; see the docstring
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=20,
        max_keepalive_connections=10,
        keepalive_expiry=5.0,
        network_backend=GuardedNetworkBackend(),
    )
    return transport
