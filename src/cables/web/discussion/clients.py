"""Who is posting: the client's IP address, as far as the site can trust it.

``REMOTE_ADDR`` is the peer of the TCP connection: a reader's address when gunicorn faces the
internet, the proxy's when nginx or a load balancer sits in front. ``X-Forwarded-For`` is believed
only as far as ``CABLES_TRUSTED_PROXIES`` says (a Django setting, or the environment variable of
that name: addresses and networks, comma-separated, ``unix`` for a proxy on a Unix socket, where
``REMOTE_ADDR`` is empty). Anyone can send the header, so reading it otherwise would let a spammer
pick a new address for every post and walk past the rate limits.

The header is read from the right: each trusted proxy appended the address it saw, so the first
untrusted address from the right is the client's.
"""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _setting() -> str:
    value = getattr(settings, "CABLES_TRUSTED_PROXIES", None)
    if value is None:
        value = os.environ.get("CABLES_TRUSTED_PROXIES", "")
    if not isinstance(value, str):
        value = ",".join(value)
    return value


@lru_cache(maxsize=8)
def _parse_proxies(value: str) -> tuple[tuple[Network, ...], bool]:
    networks, unix = [], False
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        if item.lower() == "unix":
            unix = True
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ValueError(f"CABLES_TRUSTED_PROXIES: {item!r} is not an address or network") from exc
    return tuple(networks), unix


def trusted_proxies() -> tuple[tuple[Network, ...], bool]:
    """The trusted networks, and whether a Unix-socket peer (empty ``REMOTE_ADDR``) is trusted."""
    return _parse_proxies(_setting())


@lru_cache(maxsize=4096)   # a REMOTE_ADDR is parsed on every API request: the same few, mostly
def _address(text: str) -> Address | None:
    text = (text or "").strip()
    if text.startswith("[") and "]" in text:          # [2001:db8::1]:443
        text = text[1:text.index("]")]
    elif text.count(":") == 1:                        # 192.0.2.1:443
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped                    # ::ffff:192.0.2.1 is 192.0.2.1
    return address


def _is_trusted(address: Address | None, networks: tuple[Network, ...], unix: bool) -> bool:
    if address is None:
        return unix
    return any(address.version == net.version and address in net for net in networks)


def client_address(request) -> str | None:
    """The client's IP address as text, or ``None`` when the site cannot tell."""
    networks, unix = trusted_proxies()
    remote = request.META.get("REMOTE_ADDR", "")
    peer = _address(remote)
    if not (networks or unix) or not _is_trusted(peer, networks, unix):
        return str(peer) if peer else None
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break           # garbage from before the trusted proxies: stop believing the header
        peer = address
        if not _is_trusted(address, networks, unix):
            break
    return str(peer) if peer else None
