"""The client's address: the one function every limit asks (sign-in, password reset,
invitations, the join form, the API's rate limit).

Behind a reverse proxy, ``REMOTE_ADDR`` is the proxy's address. ``X-Forwarded-For`` is then
read, but only when the request comes from a proxy listed in ``ADELANTE_TRUSTED_PROXIES``
(addresses or networks): each trusted proxy appends the address it received the request from,
so the list is read from the right, skipping trusted proxies, and the first address that is
not one is the client's. Entries further left were written by the client and are ignored
(anyone can send ``X-Forwarded-For: 1.2.3.4``). Without trusted proxies the header is ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from django.conf import settings

from adelante.operations import networks as listed

Network = listed.Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

UNKNOWN = "unknown"


def trusted_networks() -> tuple[Network, ...]:
    """The proxies whose X-Forwarded-For is believed (ADELANTE_TRUSTED_PROXIES)."""
    configured: Iterable[str] = getattr(settings, "ADELANTE_TRUSTED_PROXIES", ())
    return listed.parse(
        tuple(e for e in configured if e.strip()), setting="ADELANTE_TRUSTED_PROXIES"
    )


def parse(text: str) -> Address | None:
    """An address from a header entry, with or without a port (``1.2.3.4:5``, ``[::1]:5``)."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def client_address(request: object) -> str:
    """The address the request came from, as a string (``unknown`` if there is none)."""
    meta = getattr(request, "META", {})
    remote = str(meta.get("REMOTE_ADDR") or "")
    peer = parse(remote)
    if peer is None:
        return remote or UNKNOWN
    networks = trusted_networks()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    forwarded = str(meta.get("HTTP_X_FORWARDED_FOR") or "")
    nearest = peer
    for entry in reversed([e for e in forwarded.split(",") if e.strip()]):
        hop = parse(entry)
        if hop is None:
            # A trusted proxy wrote something that is not an address: stop at the last hop
            # that is known.
            break
        if not _trusted(hop, networks):
            return str(hop)
        nearest = hop
    return str(nearest)
