"""URL safety for feed sources: http(s) only, and no private addresses unless allowed.

A feed URL is user input that the bot fetches, so without this check anyone who can add a
source could make the bot read its own network (cloud metadata, admin panels).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from bot.domain.errors import SourceError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_SCHEMES = ("http", "https")


def display_host(url: str) -> str:
    """The host of `url` for messages and logs; never the path, query or credentials."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    return host or "the source"


def _is_public(ip: IPAddress) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    # is_global is False for loopback, private, link-local, CGNAT, reserved and unspecified.
    return ip.is_global and not ip.is_multicast


def _allowed_by_name(host: str, allowlist: Sequence[str]) -> bool:
    host = host.lower().rstrip(".")
    for raw in allowlist:
        entry = raw.strip().lower().rstrip(".")
        if not entry or "/" in entry:
            continue  # a network, checked against the resolved addresses
        if entry.startswith("*."):
            entry = entry[1:]
        if entry.startswith(".") and host.endswith(entry):
            return True
        if host == entry:
            return True
    return False


def _allowed_by_network(ip: IPAddress, allowlist: Sequence[str]) -> bool:
    for entry in allowlist:
        try:
            net = ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            continue
        if ip.version == net.version and ip in net:
            return True
    return False


def _parse(url: str) -> tuple[str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise SourceError(f"'{url}' is not a valid URL: {e}.", permanent=True) from e
    if parts.scheme.lower() not in _SCHEMES:
        scheme = parts.scheme or "none"
        raise SourceError(
            f"Only http and https URLs can be fetched, not '{scheme}'.", permanent=True
        )
    if not parts.hostname:
        raise SourceError(f"'{url}' has no host name.", permanent=True)
    return parts.hostname, port or (443 if parts.scheme.lower() == "https" else 80)


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _judge(host: str, addresses: Iterable[str], allowlist: Sequence[str]) -> None:
    for text in addresses:
        ip = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone id
        if not _is_public(ip) and not _allowed_by_network(ip, allowlist):
            raise SourceError(
                f"{host} points to the non-public address {ip}, which is refused unless "
                "private addresses are allowed.",
                permanent=True,
            )


def _addresses(infos: Iterable[tuple[Any, ...]]) -> list[str]:
    return [str(info[4][0]) for info in infos]


def check_url(url: str, *, allow_private: bool = False, allowlist: Sequence[str] = ()) -> None:
    """Refuse non-http(s) URLs and hosts that resolve to non-public addresses.

    `allowlist` holds host names (`feeds.example.org`, `.example.org` for subdomains) or
    networks (`10.0.0.0/8`) that may be private.

    Raises:
        SourceError: the URL is unusable or points somewhere private.
    """
    host, port = _parse(url)
    if allow_private or _allowed_by_name(host, allowlist):
        return
    literal = _literal(host)
    if literal is not None:
        _judge(host, [str(literal)], allowlist)
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as e:
        raise SourceError(f"The host {host} could not be resolved.") from e
    _judge(host, _addresses(infos), allowlist)


async def check_url_async(
    url: str, *, allow_private: bool = False, allowlist: Sequence[str] = ()
) -> None:
    """`check_url` with the DNS lookup run on the event loop's resolver.

    Raises:
        SourceError: the URL is unusable or points somewhere private.
    """
    host, port = _parse(url)
    if allow_private or _allowed_by_name(host, allowlist):
        return
    literal = _literal(host)
    if literal is not None:
        _judge(host, [str(literal)], allowlist)
        return
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as e:
        raise SourceError(f"The host {host} could not be resolved.") from e
    _judge(host, _addresses(infos), allowlist)
